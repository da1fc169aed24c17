// The widget's scripts as a host page on another origin loads them: /launcher.js (bubble mode's
// first load) and /widget.js, each compressed, cacheable by ETag and allowed cross-origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ApiServer, startApiServer } from './support/api-server.ts';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server?.stop());

describe('the widget scripts', () => {
  it.each(['/launcher.js', '/widget.js'])('%s is served compressed to any origin and revalidated by its ETag', async (path) => {
    const first = await fetch(`${server.origin}${path}`, { headers: { origin: 'https://shop.example', 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(first.headers.get('access-control-allow-origin')).toBe('*');
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(first.headers.get('cache-control')).toMatch(/max-age=300/);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await first.text()).length).toBeGreaterThan(1000);

    const again = await fetch(`${server.origin}${path}`, { headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    expect(again.status).toBe(304);
  });

  it('the launcher loads widget.js from beside itself, and is a fraction of its size', async () => {
    const launcher = await (await fetch(`${server.origin}/launcher.js`)).text();
    const widget = await (await fetch(`${server.origin}/widget.js`)).text();
    expect(launcher).toContain('widget.js');
    expect(launcher.length * 5).toBeLessThan(widget.length);
  });
});

describe('chunks of the widget', () => {
  it('are served from /chunks/ with immutable caching and CORS; other paths under it are not', async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'mbc-dist-'));
    mkdirSync(path.join(dist, 'chunks'));
    writeFileSync(path.join(dist, 'widget.js'), 'import("./chunks/panel-AB12CD34.js");');
    writeFileSync(path.join(dist, 'chunks/panel-AB12CD34.js'), `export const panel = ${JSON.stringify('x'.repeat(2000))};`);
    writeFileSync(path.join(dist, 'secret.txt'), 'not a script');
    const local = await startApiServer({ env: { WIDGET_DIST: dist } });
    try {
      const chunk = await fetch(`${local.origin}/chunks/panel-AB12CD34.js`, { headers: { origin: 'https://shop.example', 'accept-encoding': 'br' } });
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
      expect(chunk.headers.get('content-encoding')).toBe('br');
      expect(await chunk.text()).toContain('export const panel');
      for (const probe of ['/chunks/missing-00000000.js', '/chunks/..%2Fsecret.txt', '/chunks/../secret.txt']) {
        expect((await fetch(`${local.origin}${probe}`)).status, probe).toBe(404);
      }
    } finally {
      await local.stop();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
