// GraphiQL at /graphql works with no internet: every asset is served by the API itself.
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_DEFAULT_DOCUMENT } from '../src/graphiql.ts';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { chromiumAvailable, launchChromium, CHROMIUM_PATH } from './support/chromium.ts';
import { requireService } from './support/services.ts';

const hasChromium = requireService(`Chromium at ${CHROMIUM_PATH}`, chromiumAvailable(), 'The GraphiQL browser test');

describe.runIf(hasChromium)('GraphiQL in a browser', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(() => server?.stop());

  it('renders offline with the guided document and runs an operation', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const outside: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && !['127.0.0.1', 'localhost'].includes(url.hostname)) outside.push(request.url());
      });
      await page.goto(`${server.origin}/graphql`);
      await page.getByText('mutation Register').first().waitFor({ timeout: 20_000 });
      expect(await page.locator('.graphiql-container').count()).toBeGreaterThan(0);
      // The page's origin answers GraphQL: what GraphiQL's fetcher calls.
      const result = await page.evaluate(async () => {
        const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) });
        return response.json();
      });
      expect(result).toEqual({ data: { me: null } });
      expect(outside).toEqual([]);
      if (process.env.UPDATE_SCREENSHOTS) {
        await page.setViewportSize({ width: 1280, height: 720 });
        await page.screenshot({ path: new URL('../../docs/graphiql.png', import.meta.url).pathname });
      }
    } finally {
      await browser.close();
    }
  });
});

it("GraphiQL's guided document, the admin's CreateSite included, is valid against the schema", () => {
  const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
  const document = parse(GRAPHIQL_DEFAULT_DOCUMENT);
  expect(validate(schema, document).map((error) => error.message)).toEqual([]);
  expect(document.definitions.map((d) => ('name' in d ? d.name?.value : undefined))).toContain('CreateSite');
});

describe("GraphiQL's page", () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(() => server?.stop());

  it('is sent compressed to browsers that accept it, and revalidated by its ETag', async () => {
    const page = (encoding: string, headers: Record<string, string> = {}) =>
      fetch(`${server.origin}/graphql`, { headers: { accept: 'text/html', 'accept-encoding': encoding, ...headers } });
    const br = await page('gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(br.headers.get('content-length'))).toBeLessThan(3_000_000); // 9 MB of HTML uncompressed
    expect(await br.text()).toContain('multi-bot-chat API');
    const gzip = await page('gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(await gzip.text()).toContain('mutation Register');

    const etag = br.headers.get('etag')!;
    expect(br.headers.get('cache-control')).toBe('no-cache');
    const revalidated = await page('br', { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
  });
});
