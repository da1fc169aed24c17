// Share links: a snapshot of a chat behind an unguessable URL, served as a script-free HTML page
// with the widget's Markdown rules, revocable at once; sharing and revoking race safely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKDOWN, PAYLOADS } from '../../../widget/test/fixtures/markdown-corpus.ts';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { errorCode, gql, gqlOk } from '../support/graphql-client.ts';
import { fakeLlmEnv, newChat } from '../support/steps.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  fake.script({ reply: 'Sure: **bold** and `code`.' });
  server = await startApiServer({ env: fakeLlmEnv(fake) });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

const SEND = 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { botMessage { id } } }';
const SHARE = 'mutation($id: ID!) { shareSession(id: $id) { url title createdAt } }';
const UNSHARE = 'mutation($id: ID!) { unshareSession(id: $id) }';
const shareOf = async (chat: { token: string; sessionId: string }) =>
  (await gqlOk(url, 'query($id: ID!) { session(id: $id) { share { url } } }', { id: chat.sessionId }, chat.token)).session.share;

// The elements and attributes the page and the Markdown renderer make; nothing else may appear.
const TAGS = new Set('html head meta title style body main header footer h1 p time ol ul li div span a strong em del code pre br hr blockquote table thead tbody tr th td h3 h4 h5'.split(' '));
const ATTRIBUTES = new Set('lang charset name content class href target rel start datetime aria-label'.split(' '));
function markupOf(html: string) {
  const tags = [...html.matchAll(/<([a-z][\w-]*)([^>]*)>/gi)];
  return {
    tags: new Set(tags.map((t) => t[1].toLowerCase())),
    attributes: new Set(tags.flatMap((t) => [...t[2].matchAll(/\s([^\s="/]+)(?:="[^"]*"|=[^\s"]+)?/g)].map((a) => a[1].toLowerCase()))),
    hrefs: [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]),
  };
}

describe('a shared chat', () => {
  it('is a script-free page of the transcript at an unguessable URL, with a strict CSP', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'Hello <script>alert(1)</script> there' }, chat.token);
    const { shareSession } = await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token);
    expect(shareSession.url).toMatch(new RegExp(`^${server.origin}/share/[\\w-]{43}$`));

    const response = await fetch(shareSession.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[\w+/=]+'/);
    expect(csp).not.toMatch(/script-src|unsafe/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Support'); // the bot
    expect(html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt; there');
    expect(html).toContain('Sure: <strong>bold</strong> and <code>code</code>.');
    expect(html).not.toMatch(/<script/i);
  });

  it('shows the chat as it stood when shared; sharing again replaces the snapshot and the old link', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'first question' }, chat.token);
    const first = (await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token)).shareSession.url;
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'second question' }, chat.token);
    const page = await (await fetch(first)).text();
    expect(page).toContain('first question');
    expect(page).not.toContain('second question');

    const second = (await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token)).shareSession.url;
    expect(second).not.toBe(first);
    expect((await fetch(first)).status).toBe(404);
    expect(await (await fetch(second)).text()).toContain('second question');
    expect((await shareOf(chat)).url).toBe(second);
  });

  it('stops working at once when revoked, or when the chat is deleted', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'to be revoked' }, chat.token);
    const link = (await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token)).shareSession.url;
    expect((await gqlOk(url, UNSHARE, { id: chat.sessionId }, chat.token)).unshareSession).toBe(true);
    expect((await fetch(link)).status).toBe(404);
    expect(await shareOf(chat)).toBeNull();
    expect((await gqlOk(url, UNSHARE, { id: chat.sessionId }, chat.token)).unshareSession).toBe(false);

    const again = (await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token)).shareSession.url;
    await gqlOk(url, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: chat.sessionId }, chat.token);
    expect((await fetch(again)).status).toBe(404);
  });

  it('reaches nothing beyond its transcript', async () => {
    const chat = await newChat(url);
    const link = (await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token)).shareSession.url;
    const token = link.split('/share/')[1];
    for (const path of [`/share/${token}/`, `/share/${token}/../graphql`, `/share/${token}x`, `/share/${token.slice(1)}`, '/share/', `/share/${token}%2F..%2Fgraphql`]) {
      const response = await fetch(`${server.origin}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain(chat.email);
    }
    // Other methods are not served, and the token is no bearer token for the API.
    expect((await fetch(link, { method: 'POST' })).status).toBe(404);
    expect(errorCode(await gql(url, '{ me { id } }', {}, token))).toBe('UNAUTHENTICATED');
  });

  it("renders replies by the widget's Markdown rules: the corpus gives only the renderer's own markup and safe links", async () => {
    const chat = await newChat(url);
    for (const [i, reply] of [MARKDOWN, ...PAYLOADS].entries()) {
      fake.enqueue({ reply });
      await gqlOk(url, SEND, { s: chat.sessionId, t: `payload ${i} <img src=x onerror=alert(1)>` }, chat.token);
    }
    const html = await (await fetch((await gqlOk(url, SHARE, { id: chat.sessionId }, chat.token)).shareSession.url)).text();
    const { tags, attributes, hrefs } = markupOf(html);
    expect([...tags].filter((tag) => !TAGS.has(tag))).toEqual([]);
    expect([...attributes].filter((attribute) => !ATTRIBUTES.has(attribute))).toEqual([]);
    expect(hrefs.filter((href) => !/^(https?:|mailto:)/.test(href))).toEqual([]);
    expect(html).toContain('<h3>Title</h3>');
    expect(html).toContain('<ol start="3">');
    expect(html).toContain('<td class="center">b</td>');
  });

  it("is another user's to share or revoke: NOT_FOUND", async () => {
    const alice = await newChat(url);
    const bob = await newChat(url);
    for (const mutation of [SHARE, UNSHARE]) expect(errorCode(await gql(url, mutation, { id: alice.sessionId }, bob.token))).toBe('NOT_FOUND');
  });
});

describe('sharing races', () => {
  it('parallel shares of one chat leave exactly one working link, the one the chat reports', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'race me' }, chat.token);
    const results = await Promise.all(Array.from({ length: 8 }, () => gql(url, SHARE, { id: chat.sessionId }, chat.token)));
    expect(results.filter((r) => r.errors)).toEqual([]);
    const links = results.map((r) => r.data.shareSession.url as string);
    const statuses = await Promise.all(links.map(async (link) => (await fetch(link)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect((await shareOf(chat)).url).toBe(links[statuses.indexOf(200)]);
  });

  it('shares and revocations at once end consistent: the chat reports a link only if it works', async () => {
    const chat = await newChat(url);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => gql(url, i % 2 ? UNSHARE : SHARE, { id: chat.sessionId }, chat.token)),
    );
    expect(results.filter((r) => r.errors)).toEqual([]);
    const links = results.flatMap((r) => (r.data.shareSession ? [r.data.shareSession.url as string] : []));
    const working = (await Promise.all(links.map(async (link) => ((await fetch(link)).status === 200 ? link : null)))).filter(Boolean);
    const reported = await shareOf(chat);
    expect(working).toEqual(reported ? [reported.url] : []);
  });
});
