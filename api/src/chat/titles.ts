export const DEFAULT_SESSION_TITLE = 'New chat';
const MAX_TITLE_LENGTH = 60;

/** A session title from its first message: the first line, cut at a word boundary. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0].replace(/\s+/g, ' ');
  if (line.length <= MAX_TITLE_LENGTH) return line || DEFAULT_SESSION_TITLE;
  const cut = line.slice(0, MAX_TITLE_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > 20 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
