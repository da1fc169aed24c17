#!/usr/bin/env node
// Builds what `npm start` runs: the API and the workspace's own TypeScript (the Prisma package and
// its generated clients) in one ES module, dist/main.mjs. Started this way there is no TypeScript
// loader compiling ~100 files on every start (bench #6 compares the two).
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const API = path.dirname(fileURLToPath(import.meta.url));

/**
 * Third-party packages stay imports, each of the exact file esbuild resolves it to, since pnpm
 * keeps a package's dependencies next to it rather than next to the bundle. With `bundlePackagesExcept`
 * they are bundled too, all but those listed (native code, or files loaded from beside themselves).
 * The output must sit two levels below the repository, as src/ does: the sources find ../../prisma
 * and ../../widget/dist from import.meta.dirname.
 */
export async function buildApi({ outfile = path.join(API, 'dist/main.mjs'), bundlePackagesExcept } = {}) {
  const started = performance.now();
  await esbuild.build({
    entryPoints: [path.join(API, 'src/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked', // node --enable-source-maps maps stack traces back to src/
    logLevel: 'warning',
    // CommonJS packages bundled into an ES module still call require() for Node's built-ins.
    banner: bundlePackagesExcept
      ? { js: "import { createRequire as __apiCreateRequire } from 'node:module'; const require = __apiCreateRequire(import.meta.url);" }
      : undefined,
    plugins: [
      {
        name: 'third-party-by-path',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('node:') || args.path.startsWith('@multi-bot-chat/') || args.pluginData?.inner) return undefined;
            if (bundlePackagesExcept && !bundlePackagesExcept.some((p) => args.path === p || args.path.startsWith(`${p}/`))) return undefined;
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
            if (resolved.errors.length) return { errors: resolved.errors };
            return { path: resolved.external ? args.path : resolved.path, external: true };
          });
        },
      },
    ],
  });
  return { file: outfile, ms: Math.round(performance.now() - started) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(path.join(API, 'dist'), { recursive: true, force: true });
  const { ms } = await buildApi();
  console.log(`api/dist/main.mjs built in ${ms} ms`);
}
