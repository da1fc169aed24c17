// What a bot remembers from a message, and what a session is called after its first message.
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../src/chat/facts.ts';
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
  ])('%s', (text, facts) => {
    expect(extractFacts(text)).toEqual(facts);
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
