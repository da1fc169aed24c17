// The Markdown renderer on pathological and long replies, without a browser: the patterns stay
// linear, nesting is bounded, a growing reply reuses its finished blocks, and nothing is lost.
// (Budgets here are generous on purpose: the timed goal is benchmark #8.)
import { expect, it } from 'vitest';
import { StreamingMarkdown } from '../src/markdown.ts';

const options = { copyLabel: 'Copy', copy: () => undefined };

/** Every string a rendering holds, in order: what a reader would see. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(textOf).join('');
  const result = value as { values?: unknown[] } | null;
  return result?.values ? result.values.map(textOf).join('') : '';
}

const timed = <T>(run: () => T): [T, number] => {
  const started = performance.now();
  const value = run();
  return [value, performance.now() - started];
};

it('renders 20,000 unmatched emphasis openers (`*a` × 20,000) in linear time', () => {
  const text = '*a'.repeat(20_000);
  const [parts, ms] = timed(() => new StreamingMarkdown().render(text, options));
  expect(textOf(parts)).toBe(text);
  expect(ms).toBeLessThan(1500);
});

it('renders other unclosed openers (links, code spans, strikethrough, headings) in linear time', () => {
  for (const text of ['['.repeat(40_000), '`a'.repeat(20_000), '~~a'.repeat(13_000), `# ${'#'.repeat(40_000)}x`, `# ${' '.repeat(40_000)}x`]) {
    const [parts, ms] = timed(() => new StreamingMarkdown().render(text, options));
    expect(textOf(parts).length, text.slice(0, 10)).toBeGreaterThan(0);
    expect(ms, text.slice(0, 10)).toBeLessThan(1500);
  }
});

it('shows 3,000 nested quotes without overflowing the stack, keeping the text', () => {
  const text = `${'>'.repeat(3000)} deep`;
  const parts = new StreamingMarkdown().render(text, options);
  expect(textOf(parts)).toContain('deep');
  const lines = Array.from({ length: 3000 }, (_, i) => `${'> '.repeat(i + 1)}level ${i}`).join('\n');
  expect(textOf(new StreamingMarkdown().render(lines, options))).toContain('level 2999');
});

it('parses the finished blocks of a growing reply once, and only the open tail again', () => {
  const markdown = new StreamingMarkdown();
  const first = markdown.render('One.\n\nTwo.\n\nThr', options);
  const second = markdown.render('One.\n\nTwo.\n\nThree, longer now.', options);
  // The finished block is the very same rendering (Lit finds nothing to change in it), the tail is new.
  expect(second).toHaveLength(2);
  expect(second[0]).toBe(first[0]);
  expect(second[1]).not.toBe(first[1]);
  expect(textOf(second)).toBe('One.Two.Three, longer now.');
});

it('keeps a loose list and a fenced code block with blank lines whole while they stream', () => {
  const markdown = new StreamingMarkdown();
  const text = '1. one\n\n2. two\n\n```\ncode\n\nmore code\n```\n\nafter';
  const parts = markdown.render(text, options);
  expect(parts).toHaveLength(2);
  expect(textOf(parts)).toContain('more code');
});

it('cuts a long paragraph into text nodes that stay the same as it grows', () => {
  const markdown = new StreamingMarkdown();
  const leaves = (text: string) => (markdown.render(text, options)[0] as { values: unknown[][] }[])[0].values[0];
  const before = leaves('A'.repeat(5000));
  const after = leaves('A'.repeat(6000));
  expect(before.map((s) => (s as string).length)).toEqual([1024, 1024, 1024, 1024, 904]);
  expect(after.slice(0, 4)).toEqual(before.slice(0, 4));
  expect(after.join('')).toBe('A'.repeat(6000));
});
