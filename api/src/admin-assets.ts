// The console at /admin: a small HTML page under a strict Content-Security-Policy (scripts, styles
// and requests only from this origin, no framing) that loads /admin.js, the console's own bundle.
// The page is public, as a sign-in page is; everything behind it is refused by the API to non-admins.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CompressedBody, compress, sendCompressed } from './http/compressed.ts';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const page = (bundlePath: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Console · multi-bot chat</title>
<script type="module" src="${bundlePath}"></script>
</head>
<body>
<multi-bot-admin></multi-bot-admin>
</body>
</html>
`;

const SECURITY_HEADERS = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export class AdminAssets {
  private bundle?: CompressedBody & { mtimeMs: number };

  constructor(private readonly distDir: string) {}

  matches(pathname: string): boolean {
    return pathname === '/admin' || pathname === '/admin/' || /^\/admin\.[0-9a-f]{12}\.js$/.test(pathname);
  }

  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const bundle = await this.load();
    if (!bundle) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      res.end('The console is not built yet: run `npm run build`.\n');
      return;
    }
    if (pathname.endsWith('.js')) {
      if (pathname !== `/admin.${bundle.hash}.js`) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
        res.end('Unknown console version.\n');
        return;
      }
      sendCompressed(req, res, bundle, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS });
      return;
    }
    const html = Buffer.from(page(`/admin.${bundle.hash}.js`));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-length': String(html.length), ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : html);
  }

  // Re-read when the file changes, so a rebuild is served at once.
  private async load() {
    const file = path.join(this.distDir, 'admin.js');
    const info = await stat(file).catch(() => undefined);
    if (!info) return undefined;
    if (this.bundle?.mtimeMs !== info.mtimeMs) this.bundle = { mtimeMs: info.mtimeMs, ...compress(await readFile(file)) };
    return this.bundle;
  }
}
