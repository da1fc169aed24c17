// Prints the size of the SDK as a browser app would ship it: dist/index.js bundled with its
// dependencies (@urql/core, wonka, @0no-co/graphql.web), minified for production, then gzipped.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function browserBundleSize() {
  const result = await build({
    entryPoints: [path.join(root, 'dist/index.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    define: { 'process.env.NODE_ENV': '"production"' },
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.entries(result.metafile.outputs)[0][1].inputs;
  const byPackage = {};
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(file);
    const name = match ? match[1] : '@multi-bot-chat/sdk';
    byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
  }
  return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length, byPackage };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzipped, byPackage } = await browserBundleSize();
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(`browser ESM bundle: ${kb(minified)} minified, ${kb(gzipped)} minified+gzip`);
  for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1])) console.log(`  ${name}: ${kb(bytes)} minified`);
}
