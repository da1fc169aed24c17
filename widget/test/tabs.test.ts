// Tabs of one browser against a real API, through the SDK the widget is built on: one event
// connection serves every chat of every tab, and tabs renewing the sign-in at the same moment never
// sign the visitor out — with Web Locks (a secure page) and without (a page over plain http).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../api/test/support/api-server.ts';
import { launchChromium } from '../../api/test/support/chromium.ts';
import { gqlOk, registerUser } from '../../api/test/support/graphql-client.ts';
import { browserSuite } from './support/widget.ts';

/** A name that is not localhost: pages served under it are not a secure context, so they have no Web Locks. */
const PLAIN_HOST = 'tabs.test';

let browser: Browser;
let pages: Server;
let pagesPort: number;

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../../sdk/src/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    define: { __VERSION__: '"test"' },
  });
  const sdk = bundle.outputFiles[0]!.text;
  // The SDK as a page loads it, on an origin of its own (the API is another).
  pages = createServer((req, res) => {
    if (req.url === '/sdk.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk);
    res.writeHead(200, { 'content-type': 'text/html' }).end(
      '<!doctype html><meta charset="utf-8"><title>tab</title><script type="module">import * as sdk from "/sdk.js"; window.sdk = sdk;</script>',
    );
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  pagesPort = (pages.address() as AddressInfo).port;
  browser = await launchChromium([`--host-resolver-rules=MAP ${PLAIN_HOST} 127.0.0.1`]);
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => pages?.close(resolve));
});

async function openTabs(context: BrowserContext, count: number, host = '127.0.0.1'): Promise<Page[]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) {
    const tab = await context.newPage();
    tab.on('pageerror', (error) => console.error(`[tab ${i}]`, error));
    await tab.goto(`http://${host}:${pagesPort}/`);
    await tab.waitForFunction(() => 'sdk' in window);
    tabs.push(tab);
  }
  return tabs;
}

/** In each tab: a client of `url`, signed in by the first tab (the others read the shared localStorage). */
async function signIn(tabs: Page[], url: string, user: { email: string; password: string }) {
  for (const [i, tab] of tabs.entries()) {
    await tab.evaluate(
      async ({ url, user, first }) => {
        const w = window as any;
        w.chat = w.sdk.createClient({ url });
        w.authChanges = [];
        w.chat.auth.onChange((change: any) => w.authChanges.push(change.reason));
        if (first) await w.chat.auth.login(user);
      },
      { url, user, first: i === 0 },
    );
  }
}

async function metric(api: ApiServer, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${api.origin}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}
const openSubscriptions = (api: ApiServer) => metric(api, /^mbc_open_subscriptions (\d+)/m);
const viewerEventsOpened = (api: ApiServer) => metric(api, /^mbc_graphql_operations_total\{operation="viewerEvents",type="subscription"\} (\d+)/m);

browserSuite('tabs of one browser', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await startApiServer({ env: { OFFLINE_CHUNK_DELAY_MS: '40', RATE_LIMIT_CONCURRENT_REPLIES: '20', RATE_LIMIT_SENDS_PER_MINUTE: '1000' } });
  });
  afterAll(() => api?.stop());

  it.each([
    ['with Web Locks (a secure page)', '127.0.0.1'],
    ['without Web Locks (a page over plain http)', PLAIN_HOST],
  ])('%s: 5 tabs following 10 chats hold one event connection; every reply reaches every tab, and queries answer meanwhile', async (_, host) => {
    const user = await registerUser(api.graphqlUrl);
    const { bots } = await gqlOk(api.graphqlUrl, '{ bots { id } }', {}, user.accessToken);
    const sessions: string[] = [];
    for (let i = 0; i < 10; i++) {
      sessions.push((await gqlOk(api.graphqlUrl, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[i % bots.length].id }, user.accessToken)).createSession.id);
    }
    const context = await browser.newContext();
    const tabs = await openTabs(context, 5, host);
    await signIn(tabs, api.graphqlUrl, user);
    // Every tab follows every chat, as a tab that shows them (or kept them open) would.
    for (const tab of tabs) {
      await tab.evaluate((sessions) => {
        const w = window as any;
        w.replies = {};
        for (const sessionId of sessions) {
          void (async () => {
            for await (const event of w.chat.messages.subscribe(sessionId)) {
              if (event.type === 'completed' && event.message.role === 'BOT') w.replies[event.message.id] = event.message.text;
              if (event.type === 'delta') w.streamed = (w.streamed ?? 0) + 1;
            }
          })();
        }
      }, sessions);
    }
    await expect.poll(() => openSubscriptions(api)).toBe(1);

    // Each tab sends in two chats; all ten replies stream at once.
    let mostConnections = 0;
    const sampling = setInterval(async () => (mostConnections = Math.max(mostConnections, await openSubscriptions(api))), 100);
    const sent: string[] = (
      await Promise.all(
        sessions.map((sessionId, i) =>
          tabs[i % 5]!.evaluate(async (sessionId) => {
            const reply = (window as any).chat.messages.send({ sessionId, text: 'Tell me something long' });
            return (await reply.done).id as string;
          }, sessionId),
        ),
      )
    ).sort();
    // While they stream (or just after), a trivial request still gets a connection at once.
    await tabs[3]!.evaluate(() => (window as any).sdk && (window as any).chat.bots.list());
    const started = Date.now();
    await tabs[4]!.evaluate(() => (window as any).chat.sessions.list());
    expect(Date.now() - started, 'a trivial query while replies stream (ms)').toBeLessThan(2_000);

    for (const tab of tabs) {
      await expect.poll(() => tab.evaluate(() => Object.keys((window as any).replies).sort()), { message: 'replies seen by a tab' }).toEqual(sent);
    }
    clearInterval(sampling);
    expect(mostConnections, 'event connections open at once while replies streamed').toBe(1);
    const stored = await gqlOk(api.graphqlUrl, 'query($ids: [ID!]!) { nodes(ids: $ids) { ... on Message { id text } } }', { ids: sent }, user.accessToken);
    for (const tab of tabs) {
      const replies = await tab.evaluate(() => (window as any).replies);
      for (const message of stored.nodes) expect(replies[message.id]).toBe(message.text);
    }

    // The tab holding the connection closes: another opens it, and replies still reach every tab.
    const opened = await viewerEventsOpened(api);
    await tabs[0]!.close({ runBeforeUnload: true });
    await expect.poll(() => viewerEventsOpened(api), { message: 'a new event connection after the holder closed' }).toBe(opened + 1);
    const next = await tabs[1]!.evaluate(async (sessionId) => {
      const reply = (window as any).chat.messages.send({ sessionId, text: 'And once more' });
      return (await reply.done).id as string;
    }, sessions[0]!);
    for (const tab of tabs.slice(1)) {
      await expect.poll(() => tab.evaluate((id) => id in (window as any).replies, next), { message: 'the reply after the handover' }).toBe(true);
    }
    await expect.poll(() => openSubscriptions(api)).toBe(1);
    await context.close();
  });
});

browserSuite('two tabs renewing the sign-in at the same moment', () => {
  let api: ApiServer;
  beforeAll(async () => {
    api = await startApiServer({ env: { ACCESS_TOKEN_TTL: '2s' } });
  });
  afterAll(() => api?.stop());

  const ROUNDS = 8;

  for (const [name, host, secure] of [
    ['with Web Locks (a secure page)', '127.0.0.1', true],
    ['without Web Locks (a page over plain http)', PLAIN_HOST, false],
  ] as const) {
    it(`${name}: ${ROUNDS} rounds of both tabs acting just after the token expired, never signed out`, async () => {
      const user = await registerUser(api.graphqlUrl);
      const context = await browser.newContext();
      const tabs = await openTabs(context, 2, host);
      expect(await tabs[0]!.evaluate(() => [window.isSecureContext, 'locks' in navigator])).toEqual([secure, secure]);
      await signIn(tabs, api.graphqlUrl, user);
      for (let round = 0; round < ROUNDS; round++) {
        // Both tabs act at the same instant, once the access token has expired.
        const at = Date.now() + 2_300;
        const outcomes = await Promise.all(
          tabs.map((tab) =>
            tab.evaluate(async (at) => {
              const chat = (window as any).chat;
              await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
              try {
                await Promise.all([chat.sessions.list(), chat.bots.list()]);
                return chat.auth.user ? 'signed in' : 'signed out';
              } catch (error) {
                return `failed: ${(error as Error).message}`;
              }
            }, at),
          ),
        );
        expect(outcomes, `round ${round + 1}`).toEqual(['signed in', 'signed in']);
      }
      for (const tab of tabs) expect(await tab.evaluate(() => (window as any).authChanges)).not.toContain('expired');
      await context.close();
    });
  }
});
