// The piece of a found message a search result shows, with where the searched words are in it.
// Plain text plus ranges (never markup), so a client renders the highlights as text and nothing in
// a message can become HTML.

export interface TextRange {
  /** Offset in UTF-16 code units (JavaScript string indices) into the snippet's text. */
  start: number;
  length: number;
}

export interface Snippet {
  text: string;
  highlights: TextRange[];
}

const CONTEXT_BEFORE = 60;
const SNIPPET_LENGTH = 200;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A window of about 200 characters around the first hit, cut at spaces, with every searched word highlighted. */
export function snippetOf(text: string, words: string[]): Snippet {
  const flat = text.replace(/\s+/g, ' ').trim();
  const hits: TextRange[] = [];
  if (words.length) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
    for (const match of flat.matchAll(pattern)) hits.push({ start: match.index, length: match[0].length });
  }
  let start = Math.max(0, (hits[0]?.start ?? 0) - CONTEXT_BEFORE);
  if (start > 0) start = flat.indexOf(' ', start) + 1 || start;
  let end = Math.min(flat.length, start + SNIPPET_LENGTH);
  if (end < flat.length) end = flat.lastIndexOf(' ', end) > start ? flat.lastIndexOf(' ', end) : end;
  const prefix = start > 0 ? '…' : '';
  const body = flat.slice(start, end);
  return {
    text: `${prefix}${body}${end < flat.length ? '…' : ''}`,
    highlights: hits
      .filter((hit) => hit.start >= start && hit.start + hit.length <= end)
      .map((hit) => ({ start: hit.start - start + prefix.length, length: hit.length })),
  };
}
