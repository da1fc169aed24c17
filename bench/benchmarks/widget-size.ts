// #1 widget.js: what a host page downloads (every script and stylesheet in widget/dist, gzipped),
// and which dependencies the bytes come from (esbuild metafile); and launcher.js, all that a
// bubble-mode page loads before the visitor reaches for the chat.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { requireFrom, ROOT } from '../lib/api.ts';
import { runBenchmark, type Row } from '../lib/result.ts';

const DIST = path.join(ROOT, 'widget/dist');
const GOAL_KB = 45;
const LAUNCHER = 'launcher.js';
const LAUNCHER_GOAL_KB = 6;
const kb = (bytes: number) => Math.round((bytes / 1024) * 10) / 10;

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

function packageOf(input: string): string {
  const match = input.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (match) return match[1];
  if (input.includes('sdk/src')) return '@multi-bot-chat/sdk';
  if (input.includes('widget/src')) return '@multi-bot-chat/widget';
  return input;
}

/** The metafile the widget build wrote, if it writes one; otherwise an identical-settings measurement build. */
async function metafile(): Promise<{ meta: Metafile; source: string }> {
  for (const name of ['widget.meta.json', 'meta.json', 'metafile.json']) {
    const file = path.join(DIST, name);
    if (existsSync(file)) return { meta: JSON.parse(readFileSync(file, 'utf8')), source: `widget/dist/${name}` };
  }
  const esbuild = requireFrom('widget')('esbuild') as typeof import('esbuild');
  const entry = ['src/multi-bot-chat.ts', 'src/index.ts'].map((p) => path.join(ROOT, 'widget', p)).find(existsSync);
  if (!entry) throw new Error('no widget entry point (widget/src/multi-bot-chat.ts)');
  const sdkEntry = path.join(ROOT, 'sdk/src/index.ts');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    outfile: path.join(DIST, 'measure.js'),
    metafile: true,
    legalComments: 'none',
    target: ['chrome111', 'firefox113', 'safari16.4'],
    alias: existsSync(sdkEntry) ? { '@multi-bot-chat/sdk': sdkEntry } : {},
    define: { __VERSION__: '"0.0.0"' },
    logLevel: 'silent',
  });
  return { meta: result.metafile as Metafile, source: 'measurement build (esbuild, same entry, minified; the real build also squeezes template whitespace)' };
}

await runBenchmark('1', 'widget.js size', async () => {
  const main = path.join(DIST, 'widget.js');
  if (!existsSync(main)) throw new Error('widget/dist/widget.js does not exist: the widget build (widget/build.mjs) has not produced it');
  // What a host page loads first: widget.js and the chunks it imports statically (the build lists
  // them; chunks loaded on demand come later, if ever). launcher.js is measured on its own: a page
  // loads it instead of, then before, widget.js.
  const files: string[] = JSON.parse(readFileSync(path.join(DIST, 'first-load.json'), 'utf8'));
  const raw = files.reduce((n, f) => n + statSync(path.join(DIST, f)).size, 0);
  const gzip9 = files.reduce((n, f) => n + gzipSync(readFileSync(path.join(DIST, f)), { level: 9 }).length, 0);
  const gzip6 = files.reduce((n, f) => n + gzipSync(readFileSync(path.join(DIST, f))).length, 0);
  const brotli = files.reduce((n, f) => n + brotliCompressSync(readFileSync(path.join(DIST, f))).length, 0);

  const { meta, source } = await metafile();
  const output = Object.values(meta.outputs).find((o) => Object.keys(o.inputs).length > 0)!;
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput);
  }
  const total = [...byPackage.values()].reduce((a, b) => a + b, 0);
  const packages = [...byPackage].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => ({
    name,
    minifiedBytes: bytes,
    share: Math.round((bytes / total) * 1000) / 10,
    // gzip is not additive; this is the package's share of the total gzip size.
    approxGzipKb: kb((bytes / total) * gzip9),
  }));
  const launcherFile = path.join(DIST, LAUNCHER);
  if (!existsSync(launcherFile)) throw new Error('widget/dist/launcher.js does not exist: the widget build (widget/build.mjs) has not produced it');
  const launcher = readFileSync(launcherFile);
  const launcherGzip = gzipSync(launcher, { level: 9 }).length;
  const rows: Row[] = [
    {
      id: '1a',
      measure: `first load gzip (${files.join(" + ")})`,
      value: kb(gzip9),
      unit: 'KB',
      goal: `≤ ${GOAL_KB} KB gzip`,
      baseline: null,
      ratio: Math.round((gzip9 / 1024 / GOAL_KB) * 100) / 100,
      pass: gzip9 / 1024 <= GOAL_KB,
      notes: `${kb(raw)} KB minified, ${kb(gzip6)} KB gzip -6, ${kb(brotli)} KB brotli; ratio = size / goal`,
    },
    {
      id: '1c',
      measure: 'launcher.js gzip (bubble mode: all a page loads until the visitor hovers, focuses or opens the chat)',
      value: kb(launcherGzip),
      unit: 'KB',
      goal: `≤ ${LAUNCHER_GOAL_KB} KB gzip`,
      baseline: null,
      ratio: Math.round((launcherGzip / 1024 / LAUNCHER_GOAL_KB) * 100) / 100,
      pass: launcherGzip / 1024 <= LAUNCHER_GOAL_KB,
      notes: `${kb(launcher.length)} KB minified; widget.js follows on hover, focus or click`,
    },
    ...packages.slice(0, 8).map((p, i) => ({
      id: `1b.${i + 1}`,
      measure: `  bytes from ${p.name}`,
      value: kb(p.minifiedBytes),
      unit: 'KB min',
      goal: '—',
      baseline: null,
      ratio: null,
      pass: null,
      notes: `${p.share}% of the bundle, ≈ ${p.approxGzipKb} KB of the gzip`,
    })),
  ];
  return { rows, details: { files, launcherGzip9Bytes: launcherGzip, rawBytes: raw, gzip9Bytes: gzip9, gzip6Bytes: gzip6, brotliBytes: brotli, metafileSource: source, packages } };
});
