// What a bot remembers from a message, and what a session is called after its first message.
import { describe, expect, it } from 'vitest';
import { extractFacts, note } from '../src/chat/facts.ts';
import { rankFacts } from '../src/chat/memory-relevance.ts';
import { snippetOf } from '../src/chat/snippets.ts';
import { estimateTokens } from '../src/llm/estimate-usage.ts';
import { titleFrom } from '../src/chat/titles.ts';

describe('facts a user states about themselves', () => {
  it.each([
    ['Hi, my name is Ada Lovelace.', [{ key: 'name', value: 'Ada Lovelace' }]],
    ['Please call me Bob', [{ key: 'name', value: 'Bob' }]],
    ['My name is Ada and I live in London', [{ key: 'name', value: 'Ada' }, { key: 'location', value: 'London' }]],
    ["I'm 34 years old and I live in Lisbon, Portugal", [{ key: 'age', value: '34' }, { key: 'location', value: 'Lisbon' }]],
    ['I work as a nurse. I really like jazz and I prefer short answers!', [{ key: 'occupation', value: 'nurse' }, { key: 'likes', value: 'jazz and I prefer short answers' }, { key: 'prefers', value: 'short answers' }]],
    ['My favourite colour is green', [{ key: 'favorite colour', value: 'green' }]],
    ['What is the capital of France?', []],
    ['Please remember that my flight leaves on Friday.', [note('my flight leaves on Friday')]],
    ['Remember: I am allergic to nuts!', [note('I am allergic to nuts')]],
  ])('%s', (text, facts) => {
    expect(extractFacts(text)).toEqual(facts);
  });
});

describe('notes the user asks a bot to keep', () => {
  it('are one fact per text, whatever its case, spacing and punctuation', () => {
    expect(note('I have two cats').key).toBe(note('  i HAVE two cats! ').key);
    expect(note('I have two cats').key).not.toBe(note('I have three cats').key);
    expect(note('I have two cats').value).toBe('I have two cats');
  });

  it('are cut at a word beyond 500 characters', () => {
    const { value } = note('word '.repeat(200));
    expect(value.length).toBeLessThanOrEqual(501);
    expect(value).toMatch(/word…$/);
  });
});

describe('which facts a prompt carries first', () => {
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes));
  const facts = [
    { key: 'likes', value: 'jazz', usedAt: at(5) },
    { key: 'note:a', value: 'My cats are named Tom and Kit', usedAt: at(1) },
    { key: 'location', value: 'Lisbon', usedAt: at(9) },
    { key: 'note:b', value: 'The cat food brand is Purr', usedAt: at(2) },
  ];

  it('ranks by words shared with the question, in key or value (plurals and case ignored), then by recent use', () => {
    // "cat" and "food": two words; "likes" (the key) and "cats": one each, the more recently used first.
    expect(rankFacts(facts, 'What food do my CATS like?').map((f) => f.value)).toEqual(['The cat food brand is Purr', 'jazz', 'My cats are named Tom and Kit', 'Lisbon']);
  });

  it('ignores stop words and short words, so an unrelated question ranks by recent use alone', () => {
    expect(rankFacts(facts, 'and the is it?').map((f) => f.key)).toEqual(['location', 'likes', 'note:b', 'note:a']);
  });
});

describe('search snippets', () => {
  const slice = (s: { text: string; highlights: Array<{ start: number; length: number }> }) => s.highlights.map((h) => s.text.slice(h.start, h.start + h.length));

  it('are plain text with the ranges of the searched words, whole words only', () => {
    const snippet = snippetOf('Heaters <b>HEAT</b> the tank; preheat it, heat!', ['heat']);
    expect(snippet.text).toBe('Heaters <b>HEAT</b> the tank; preheat it, heat!');
    expect(slice(snippet)).toEqual(['HEAT', 'heat']);
  });

  it('show a window around the first hit of a long message, cut at spaces, with ellipses', () => {
    const text = `${'lorem ipsum '.repeat(40)}the zebrafish swims ${'dolor sit '.repeat(40)}`;
    const snippet = snippetOf(text, ['zebrafish']);
    expect(snippet.text.startsWith('…lorem') || snippet.text.startsWith('…ipsum')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(202);
    expect(slice(snippet)).toEqual(['zebrafish']);
  });

  it('count offsets in UTF-16 code units, as JavaScript strings do', () => {
    const snippet = snippetOf('🐟🐟 zebrafish', ['zebrafish']);
    expect(slice(snippet)).toEqual(['zebrafish']);
  });
});

describe('session titles', () => {
  it('are the first line of the first message, cut at a word', () => {
    expect(titleFrom('  How do I reset my password?  ')).toBe('How do I reset my password?');
    expect(titleFrom('First line\nsecond line')).toBe('First line');
    const long = titleFrom('Explain the difference between TCP and UDP with examples from real networked games please');
    expect(long.length).toBeLessThanOrEqual(61);
    expect(long.endsWith('…')).toBe(true);
    expect(long).toMatch(/^Explain the difference between TCP and UDP with examples/);
  });
});

describe('token estimates', () => {
  it('grow with the text', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('x'.repeat(400))).toBe(100);
  });
});
