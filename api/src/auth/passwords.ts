import bcrypt from 'bcryptjs';

export const PASSWORD_MIN_LENGTH = 8;
// bcrypt ignores bytes past 72; longer passwords would silently collide.
export const PASSWORD_MAX_LENGTH = 72;

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so a login takes as long either way.
let dummyHash: Promise<string> | undefined;
export function verifyAgainstDummy(password: string, cost: number): Promise<boolean> {
  dummyHash ??= bcrypt.hash('not-a-real-password', cost);
  return dummyHash.then((hash) => bcrypt.compare(password, hash)).then(() => false);
}
