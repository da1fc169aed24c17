// Serves the widget's scripts: /widget.js (short cache, revalidated), /widget.<hash>.js (immutable),
// /chunks/<name>-<hash>.js (parts widget.js imports, at once or on demand; content-hashed names, so
// immutable) and /launcher.js (the bubble-mode button that loads /widget.js when the visitor reaches
// for it), precompressed, with CORS so any page can load them as module scripts.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CompressedBody, compress, sendCompressed } from './http/compressed.ts';

interface Bundle extends CompressedBody {
  mtimeMs: number;
}

type Script = 'widget.js' | 'launcher.js' | `chunks/${string}.js`;
const CHUNK = /^\/chunks\/[\w-]+\.js$/;

export class WidgetAssets {
  private readonly bundles = new Map<Script, Bundle>();

  constructor(private readonly distDir: string) {}

  /** The versioned path of the current bundle, e.g. /widget.3f2a9c1d.js, or null before a build. */
  async versionedPath(): Promise<string | null> {
    const bundle = await this.load('widget.js');
    return bundle ? `/widget.${bundle.hash}.js` : null;
  }

  matches(pathname: string): boolean {
    return pathname === '/widget.js' || pathname === '/launcher.js' || /^\/widget\.[0-9a-f]{12}\.js$/.test(pathname) || CHUNK.test(pathname);
  }

  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const chunk = CHUNK.test(pathname);
    const script: Script = pathname === '/launcher.js' ? 'launcher.js' : chunk ? (pathname.slice(1) as Script) : 'widget.js';
    const bundle = await this.load(script);
    const versioned = chunk || (pathname.startsWith('/widget.') && pathname !== '/widget.js');
    if (!bundle || (versioned && !chunk && pathname !== `/widget.${bundle.hash}.js`)) {
      res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
      res.end(bundle ? 'Unknown widget version.\n' : 'The widget is not built yet: run `npm run build`.\n');
      return;
    }
    sendCompressed(req, res, bundle, {
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300, stale-while-revalidate=86400',
      ...(script === 'widget.js' ? { 'x-widget-version': `/widget.${bundle.hash}.js` } : {}),
    });
  }

  // Re-read when the file changes, so a rebuild during development is served at once.
  private async load(script: Script): Promise<Bundle | undefined> {
    const file = path.join(this.distDir, script);
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    const known = this.bundles.get(script);
    if (known?.mtimeMs === info.mtimeMs) return known;
    const bundle = { mtimeMs: info.mtimeMs, ...compress(await readFile(file)) };
    this.bundles.set(script, bundle);
    return bundle;
  }
}
