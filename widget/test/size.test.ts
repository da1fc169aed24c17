// The weight budget of a page's first load: widget.js and the chunks it imports statically (Lit,
// the SDK, the renderer, our code), as widget/build.mjs lists them in dist/first-load.json. Parts
// loaded on demand (dist/chunks/, through `import()`) are not part of it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';

const dist = new URL('../dist/', import.meta.url);

it('the first load stays within 45 KB gzipped', () => {
  const files: string[] = JSON.parse(readFileSync(new URL('first-load.json', dist), 'utf8'));
  expect(files[0]).toBe('widget.js');
  const gzipped = files.reduce((sum, file) => sum + gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length, 0);
  expect(gzipped).toBeLessThanOrEqual(45 * 1024);
});
