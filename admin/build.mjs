// Builds dist/admin.js: the console as one minified ES module (Lit, uPlot and its CSS, the views).
// It is a bundle of its own, loaded only by the /admin page: visitors' widget.js never includes it.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const outfile = join(root, 'dist/admin.js');
await build({
  entryPoints: [join(root, 'src/multi-bot-admin.ts')],
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  outfile,
  loader: { '.css': 'text' },
  legalComments: 'none',
});
const raw = readFileSync(outfile);
console.log(`admin.js: ${(raw.length / 1024).toFixed(1)} KB, ${(gzipSync(raw, { level: 9 }).length / 1024).toFixed(1)} KB gzip`);
