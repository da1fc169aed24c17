// Builds dist/widget.js: a minified ES module with everything a page needs first (Lit, the SDK from
// its source, and the element), plus dist/chunks/*.js for the parts loaded on demand (dialogs and
// panels a visitor may never open: `import()` in the sources), and dist/launcher.js: the
// bubble-mode button that loads widget.js when the visitor reaches for it. Writes
// dist/first-load.json (the files a page loads before any of those: widget.js and the chunks it
// imports statically) and prints the sizes, gzipped, and the first load per package.
//
//   node build.mjs            build
//   node build.mjs --watch    rebuild on change
import { build, context } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = dirname(fileURLToPath(import.meta.url));
const sdk = join(root, '../sdk');
const dist = join(root, 'dist');
const outfile = join(dist, 'widget.js');
const launcherFile = join(dist, 'launcher.js');

/**
 * Lit's html`` and css`` templates, and the SDK's GraphQL documents, are strings esbuild cannot
 * minify: squeeze their whitespace (and CSS comments) with the TypeScript scanner, so nothing
 * outside template text is touched. (The documents' spaces cost 150 bytes of the gzip.)
 */
const squeezeTemplates = {
  name: 'squeeze-templates',
  setup(b) {
    b.onLoad({ filter: /(widget\/src\/.*|sdk\/src\/documents)\.ts$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
      const documents = path.endsWith('documents.ts');
      const edits = [];
      const visit = (node) => {
        if (documents && ts.isNoSubstitutionTemplateLiteral(node)) {
          // GraphQL needs no space next to punctuation.
          const text = node.text.replace(/\s+/g, ' ').replace(/ ?([{}():,!=]) ?/g, '$1').trim();
          edits.push({ start: node.getStart(file) + 1, end: node.getEnd() - 1, text });
        } else if (ts.isTaggedTemplateExpression(node)) {
          const tag = node.tag.getText(file);
          const parts = ts.isNoSubstitutionTemplateLiteral(node.template)
            ? [node.template]
            : [node.template.head, ...node.template.templateSpans.map((s) => s.literal)];
          for (const part of parts) {
            // Text between the delimiters: ` or } before, ` or ${ after.
            const start = part.getStart(file) + 1;
            const end = part.getEnd() - (ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1);
            edits.push({ start, end, text: squeeze(source.slice(start, end), tag === 'css') });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(file);
      let contents = source;
      for (const { start, end, text } of edits.sort((a, b) => b.start - a.start)) {
        contents = contents.slice(0, start) + text + contents.slice(end);
      }
      return { contents, loader: 'ts' };
    });
  },
};

function squeeze(text, isCss) {
  if (!isCss) return text.replace(/\s*\n\s*/g, ' ');
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}

const common = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome111', 'firefox113', 'safari16.4'],
  legalComments: 'none',
  // The SDK is bundled from its source (no build order between the packages); its version is
  // what its own build would inline.
  alias: { '@multi-bot-chat/sdk': join(sdk, 'src/index.ts') },
  define: { __VERSION__: JSON.stringify(JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')).version) },
  plugins: [squeezeTemplates],
  logLevel: 'warning',
};

const options = {
  ...common,
  entryPoints: { widget: join(root, 'src/multi-bot-chat.ts') },
  outdir: dist,
  splitting: true,
  // Hashed names: a chunk's URL changes with its content, so it can be cached for good.
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
};

const launcherOptions = { ...common, entryPoints: [join(root, 'src/launcher.ts')], outfile: launcherFile };

/** widget.js and the chunks it imports statically (shared code esbuild split off): what a page loads first. */
function writeFirstLoad(metafile) {
  const files = [];
  const visit = (output) => {
    if (files.includes(output)) return;
    files.push(output);
    for (const { path, kind } of metafile.outputs[output].imports) if (kind === 'import-statement') visit(path);
  };
  visit(relative(process.cwd(), outfile));
  const names = files.map((file) => relative(dist, file));
  writeFileSync(join(dist, 'first-load.json'), `${JSON.stringify(names)}\n`);
  return names;
}

async function buildAll() {
  rmSync(join(dist, 'chunks'), { recursive: true, force: true }); // old hashes would pile up
  const [widget] = await Promise.all([build(options), build(launcherOptions)]);
  return writeFirstLoad(widget.metafile);
}

/** Prints the bundles' sizes, and each package's share of widget.js (its slices of the output, gzipped alone). */
async function report(firstLoad) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const launcher = readFileSync(launcherFile);
  console.log(`dist/launcher.js  ${kb(launcher.length)} minified, ${kb(gzipSync(launcher, { level: 9 }).length)} gzip`);
  const sizes = firstLoad.map((file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length);
  console.log(`first load (${firstLoad.join(' + ')})  ${kb(sizes.reduce((a, b) => a + b, 0))} gzip`);
  const { outputFiles } = await build({ ...options, write: false, sourcemap: 'external', metafile: false });
  const slices = new Map();
  for (const file of firstLoad) {
    // This build's shared chunks carry other hashes (the source map comment is part of their content).
    const unhashed = (name) => name.replace(/-[A-Z0-9]{8}(?=\.js)/, '');
    const output = (suffix) => outputFiles.find((f) => unhashed(relative(dist, f.path)) === unhashed(file + suffix));
    const map = JSON.parse(output('.map').text);
    const text = output('').text;
    for (const [start, end, source] of segments(text, map)) {
      const name = packageOf(map.sources[source]);
      slices.set(name, (slices.get(name) ?? '') + text.slice(start, end));
    }
  }
  const rows = [...slices].map(([name, part]) => [name, part.length, gzipSync(part, { level: 9 }).length]);
  for (const [name, raw, gz] of rows.sort((a, b) => b[2] - a[2])) {
    console.log(`  ${name.padEnd(26)} ${kb(raw).padStart(9)} minified ${kb(gz).padStart(8)} gzip`);
  }
  console.log('  (each part gzipped alone; together they compress better)');
}

/** [start, end, sourceIndex] ranges of the output, from the source map's mappings. */
function* segments(text, map) {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  let source = 0;
  let previous = null;
  for (const [line, mappings] of map.mappings.split(';').entries()) {
    let column = 0;
    for (const segment of mappings ? mappings.split(',') : []) {
      const [columnDelta, sourceDelta] = vlq(segment);
      column += columnDelta;
      const at = lineStarts[line] + column;
      if (previous) yield [previous.at, at, previous.source];
      if (sourceDelta !== undefined) source += sourceDelta;
      previous = { at, source };
    }
    const lineEnd = (lineStarts[line + 1] ?? text.length + 1) - 1;
    if (previous) yield [previous.at, lineEnd, previous.source];
    previous = null;
  }
}

function vlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      values.push(value & 1 ? -(value >> 1) : value >> 1);
      value = shift = 0;
    }
  }
  return values;
}

function packageOf(input) {
  const match = input.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (match) return match[1];
  return input.includes('sdk/src') ? '@multi-bot-chat/sdk' : '@multi-bot-chat/widget (our code)';
}

if (process.argv.includes('--watch')) {
  const launcherContext = await context(launcherOptions);
  await launcherContext.watch();
  const ctx = await context({ ...options, plugins: [...options.plugins, { name: 'report', setup: (b) => b.onEnd((result) => report(writeFirstLoad(result.metafile))) }] });
  await ctx.watch();
} else {
  await report(await buildAll());
}
