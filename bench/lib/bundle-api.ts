// Bundles the API (api/src/main.ts and the workspace's own TypeScript) into one ES module with
// esbuild, leaving third-party packages as imports of their exact files. Node then starts it with
// no TypeScript loader: what a production build of the API would run (measured by #6).
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { requireFrom, ROOT } from './api.ts';

/**
 * `all`: third-party packages bundled too, except those that load native code or files next to
 * themselves, which stay imports of their exact path.
 */
const KEEP_EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', '@prisma/client', 'bcryptjs', 'pino', 'thread-stream'];

export async function bundleApi(mode: 'app' | 'all' = 'app'): Promise<{ file: string; ms: number }> {
  const esbuild = requireFrom('widget')('esbuild') as typeof import('esbuild');
  const outdir = path.join(tmpdir(), `mbc-bench-api-bundle-${mode}-${process.pid}`);
  mkdirSync(outdir, { recursive: true });
  const file = path.join(outdir, 'main.mjs');
  const src = path.join(ROOT, 'api/src');
  const started = performance.now();
  await esbuild.build({
    entryPoints: [path.join(src, 'main.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // CommonJS packages bundled into an ES module still call require() for Node's built-ins.
    banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
    // The sources locate files relative to themselves (../../prisma, ../../widget/dist, bcryptjs).
    define: { 'import.meta.dirname': JSON.stringify(src), 'import.meta.url': JSON.stringify(pathToFileURL(path.join(src, 'main.ts')).href) },
    plugins: [
      {
        name: 'packages-by-path',
        setup(build) {
          // Bare imports of third-party packages stay imports, of the file esbuild resolves them to
          // (pnpm keeps each package's dependencies next to it, not next to the bundle).
          build.onResolve({ filter: /^[^./]/ }, async (args) => {
            if (args.path.startsWith('node:') || args.path.startsWith('@multi-bot-chat/') || args.pluginData?.inner) return undefined;
            if (mode === 'all' && !KEEP_EXTERNAL.some((p) => args.path === p || args.path.startsWith(`${p}/`))) return undefined;
            const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
            if (resolved.errors.length) return { errors: resolved.errors };
            return { path: resolved.external ? args.path : resolved.path, external: true };
          });
        },
      },
    ],
  });
  return { file, ms: Math.round(performance.now() - started) };
}
