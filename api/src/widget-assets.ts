// Serves the widget bundle: /widget.js (short cache, revalidated) and /widget.<hash>.js (immutable),
// precompressed, with CORS so any page can load it as a module script.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';

interface Bundle {
  mtimeMs: number;
  hash: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
}

export class WidgetAssets {
  private bundle?: Bundle;

  constructor(private readonly distDir: string) {}

  /** The versioned path of the current bundle, e.g. /widget.3f2a9c1d.js, or null before a build. */
  async versionedPath(): Promise<string | null> {
    const bundle = await this.load();
    return bundle ? `/widget.${bundle.hash}.js` : null;
  }

  matches(pathname: string): boolean {
    return pathname === '/widget.js' || /^\/widget\.[0-9a-f]{12}\.js$/.test(pathname);
  }

  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const bundle = await this.load();
    const versioned = pathname !== '/widget.js';
    if (!bundle || (versioned && pathname !== `/widget.${bundle.hash}.js`)) {
      res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
      res.end(bundle ? 'Unknown widget version.\n' : 'The widget is not built yet: run `npm run build`.\n');
      return;
    }
    const etag = `"${bundle.hash}"`;
    const headers: Record<string, string> = {
      'content-type': 'text/javascript; charset=utf-8',
      'access-control-allow-origin': '*',
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=300, stale-while-revalidate=86400',
      etag,
      vary: 'accept-encoding',
      'x-widget-version': `/widget.${bundle.hash}.js`,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const [body, encoding] = /\bbr\b/.test(accepts)
      ? [bundle.br, 'br']
      : /\bgzip\b/.test(accepts)
        ? [bundle.gzip, 'gzip']
        : [bundle.raw, undefined];
    if (encoding) headers['content-encoding'] = encoding;
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  // Re-read when the file changes, so a rebuild during development is served at once.
  private async load(): Promise<Bundle | undefined> {
    const file = path.join(this.distDir, 'widget.js');
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    if (this.bundle?.mtimeMs === info.mtimeMs) return this.bundle;
    const raw = await readFile(file);
    this.bundle = {
      mtimeMs: info.mtimeMs,
      hash: createHash('sha256').update(raw).digest('hex').slice(0, 12),
      raw,
      gzip: gzipSync(raw, { level: 9 }),
      br: brotliCompressSync(raw),
    };
    return this.bundle;
  }
}
