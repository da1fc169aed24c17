// Builds dist/widget.js: one minified ES module with everything a page needs (Lit, the SDK from
// its source, and the element). Prints its size, gzipped, in total and per package.
//
//   node build.mjs            build
//   node build.mjs --watch    rebuild on change
import { build, context } from 'esbuild';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = dirname(fileURLToPath(import.meta.url));
const sdk = join(root, '../sdk');
const outfile = join(root, 'dist/widget.js');

/**
 * Lit's html`` and css`` templates are strings esbuild cannot minify: squeeze their whitespace
 * (and CSS comments) with the TypeScript scanner, so nothing outside template text is touched.
 */
const squeezeTemplates = {
  name: 'squeeze-templates',
  setup(b) {
    b.onLoad({ filter: /widget\/src\/.*\.ts$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
      const edits = [];
      const visit = (node) => {
        if (ts.isTaggedTemplateExpression(node)) {
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

const options = {
  entryPoints: [join(root, 'src/multi-bot-chat.ts')],
  outfile,
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome111', 'firefox113', 'safari16.4'],
  legalComments: 'none',
  // Member names of the widget's controllers that occur nowhere else in the bundle, as property
  // names or keys (not in the SDK, Lit, urql, the cached JSON, the events or the i18n tables):
  // shortened like variables, −380 bytes gzip (the first load sits at the 45 KB budget). A name added here must pass that check.
  mangleProps:
    /^(conn|reachability|replies|account|origins|following|finished|deliverChat|deliverItem|followStreaming|appendDelta|upsert|hasEarlier|pageStart|remember|forget|welcome|signedOut|placeLauncher|lost|stopAll|merge|deliver|canSend|refused|probeTimer|life|adopt|draft|reach|hosts|isMine|changed|phase|emit|flush|sync|auto|preselect)$/,
  // The SDK is bundled from its source (no build order between the packages); its version is
  // what its own build would inline.
  alias: { '@multi-bot-chat/sdk': join(sdk, 'src/index.ts') },
  define: { __VERSION__: JSON.stringify(JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')).version) },
  plugins: [squeezeTemplates],
  logLevel: 'warning',
};

/** Prints the bundle's size, and each package's share of it (its slices of the output, gzipped alone). */
async function report() {
  const code = readFileSync(outfile);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`dist/widget.js  ${kb(code.length)} minified, ${kb(gzipSync(code, { level: 9 }).length)} gzip`);
  const { outputFiles } = await build({ ...options, write: false, sourcemap: 'external', metafile: false });
  const map = JSON.parse(outputFiles.find((f) => f.path.endsWith('.map')).text);
  const text = outputFiles.find((f) => f.path.endsWith('.js')).text;
  const slices = new Map();
  for (const [start, end, source] of segments(text, map)) {
    const name = packageOf(map.sources[source]);
    slices.set(name, (slices.get(name) ?? '') + text.slice(start, end));
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
  const ctx = await context({ ...options, plugins: [...options.plugins, { name: 'report', setup: (b) => b.onEnd(report) }] });
  await ctx.watch();
} else {
  await build(options);
  await report();
}
