// The weight budget: the whole element (Lit, SDK, renderer, our code) in one module.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

it('widget.js, everything included, stays within 45 KB gzipped', () => {
  const bundle = readFileSync(new URL('../dist/widget.js', import.meta.url));
  const gzipped = gzipSync(bundle, { level: 9 }).length;
  expect(gzipped).toBeLessThanOrEqual(45_000);
  // One self-contained ES module: no imports left for the page to resolve.
  expect(bundle.toString()).not.toMatch(/\bimport\s*["'{*]|\bimport\(/);
});
