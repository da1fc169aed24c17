// The widget's scripts as a host page on another origin loads them: /launcher.js (bubble mode's
// first load) and /widget.js, each compressed, cacheable by ETag and allowed cross-origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
