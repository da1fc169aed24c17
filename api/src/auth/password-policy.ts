// What a new password must be. Checked where a password is chosen (register), never at login: a
// hash stored under an older rule keeps working with the password it was made from.
import { badInput } from '../errors.ts';

const PASSWORD_MIN_CHARACTERS = 8;
// bcrypt reads only the first 72 bytes: two longer passwords with the same first 72 bytes would
// sign each other in. Counted in UTF-8 bytes, since an emoji is 4 of them (18 fill the limit).
const PASSWORD_MAX_BYTES = 72;

// The 49,233 most common passwords of zxcvbn-ts (lowercase, most used first), decompressed on
// first use: ~40 ms and ~10 MB, a cost that servers which never register anyone do not pay.
let commonPasswords: Promise<ReadonlySet<string>> | undefined;
function loadCommonPasswords(): Promise<ReadonlySet<string>> {
  commonPasswords ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return commonPasswords;
}

/** Why `password` may not be chosen, or undefined when it may. */
export async function passwordProblem(password: string): Promise<string | undefined> {
  if ([...password].length < PASSWORD_MIN_CHARACTERS) return `The password must have at least ${PASSWORD_MIN_CHARACTERS} characters.`;
  if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) {
    return `The password must be at most ${PASSWORD_MAX_BYTES} bytes (UTF-8): fewer characters, as letters with accents and emoji take 2 to 4 bytes each.`;
  }
  // "        " and "aaaaaaaa" are on no list but are guessed as fast as any on it.
  if (new Set(password).size === 1) return 'The password repeats a single character: anyone can guess it. Choose another.';
  if ((await loadCommonPasswords()).has(password.toLowerCase())) {
    return 'This password is one of the most commonly used ones, which attackers try first. Choose another.';
  }
  return undefined;
}

/** Refuses a password that may not be chosen with BAD_USER_INPUT on `password`, saying why. */
export async function assertAcceptablePassword(password: string): Promise<void> {
  const problem = await passwordProblem(password);
  if (problem) throw badInput('password', problem);
}
