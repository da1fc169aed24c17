// Short facts a bot keeps about a user, taken from what the user says about themselves.
import { createHash } from 'node:crypto';

export interface Fact {
  key: string;
  value: string;
}

/** The longest fact kept; a longer note is cut at a word. */
export const FACT_MAX_LENGTH = 500;

/**
 * A free-form fact the user asked to keep ("remember that …", the panel, "Remember this"). Its key
 * is derived from the text, so asking to remember the same thing twice keeps one fact.
 */
export function note(text: string): Fact {
  let value = text.trim().replace(/\s+/g, ' ');
  if (value.length > FACT_MAX_LENGTH) value = `${value.slice(0, FACT_MAX_LENGTH).replace(/\s+\S*$/, '')}…`;
  const normalised = value.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return { key: `note:${createHash('sha256').update(normalised).digest('base64url').slice(0, 16)}`, value };
}

// "Remember that my cat is called Tom." / "Please remember: I'm vegetarian"
const REMEMBER = /\bremember(?: that|:)\s*([^\n]{3,}?)[.!]*\s*$/im;

const clause = "([^.,;!?\\n]{2,60})";
const PATTERNS: Array<{ key: string | ((m: RegExpExecArray) => string); pattern: RegExp; group?: number }> = [
  // Case-sensitive on purpose: a second name must be capitalised ("Ada Lovelace", not "Ada and").
  { key: 'name', pattern: /\b[Mm]y name is (\p{L}[\p{L}'-]*(?: \p{Lu}[\p{L}'-]*)?)/u },
  { key: 'name', pattern: /\b(?:call me|i go by) ([\p{L}][\p{L}'-]*)/iu },
  { key: 'age', pattern: /\bi(?:'m| am) (\d{1,3}) (?:years|yrs) old\b/i },
  { key: 'location', pattern: new RegExp(`\\bi live in ${clause}`, 'i') },
  { key: 'from', pattern: new RegExp(`\\bi(?:'m| am) from ${clause}`, 'i') },
  { key: 'occupation', pattern: new RegExp(`\\bi work as (?:an? )?${clause}`, 'i') },
  { key: 'likes', pattern: new RegExp(`\\bi (?:really )?(?:like|love|enjoy) ${clause}`, 'i') },
  { key: 'dislikes', pattern: new RegExp(`\\bi (?:really )?(?:dislike|hate|don't like) ${clause}`, 'i') },
  { key: 'prefers', pattern: new RegExp(`\\bi prefer ${clause}`, 'i') },
  { key: (m) => `favorite ${m[1].toLowerCase()}`, pattern: new RegExp(`\\bmy favou?rite (\\w+) is ${clause}`, 'i'), group: 2 },
];

/** The facts stated in one message; later statements of the same key win. */
export function extractFacts(text: string): Fact[] {
  const facts = new Map<string, string>();
  for (const { key, pattern, group = 1 } of PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const value = match[group].trim().replace(/\s+/g, ' ');
    if (value) facts.set(typeof key === 'string' ? key : key(match), value);
  }
  const asked = REMEMBER.exec(text);
  if (asked) {
    const { key, value } = note(asked[1]);
    facts.set(key, value);
  }
  return [...facts].map(([key, value]) => ({ key, value }));
}
