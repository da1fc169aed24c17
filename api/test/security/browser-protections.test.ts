// What a browser on another site can and cannot make the API do: forged form posts and GET
// mutations do nothing, CORS admits only CORS_ORIGINS, and a bot can be kept to the sites that embed it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { SESSION_EVENTS, gqlOk, uniqueEmail } from '../support/graphql-client.ts';
import { SEND, newChat, postGraphql } from '../support/steps.ts';

const SHOP = 'https://shop.example';
const BLOG = 'https://blog.example';
const EVIL = 'https://evil.example';

let server: ApiServer;
let url: string;
beforeAll(async () => {
  server = await startApiServer({ env: { CORS_ORIGINS: `${SHOP},${BLOG}` } });
  url = server.graphqlUrl;
});
afterAll(() => server?.stop());

const REGISTER = (email: string) => `mutation { register(email: "${email}", password: "correct horse battery") { accessToken } }`;
const LOGIN = 'mutation($e: String!) { login(email: $e, password: "correct horse battery") { accessToken } }';

async function wasRegistered(email: string): Promise<boolean> {
  const { body } = await postGraphql(url, { query: LOGIN, variables: { e: email } });
  return Boolean(body.data?.login);
}

describe('cross-site request forgery', () => {
  it.each([
    ['an HTML form (application/x-www-form-urlencoded)', 'application/x-www-form-urlencoded', (q: string) => new URLSearchParams({ query: q }).toString()],
    ['a multipart form', 'multipart/form-data; boundary=x', (q: string) => `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${q}\r\n--x--\r\n`],
    ['a no-cors fetch (text/plain)', 'text/plain', (q: string) => JSON.stringify({ query: q })],
  ])('a POST a page could forge as %s is refused before anything runs', async (_, contentType, encode) => {
    const email = uniqueEmail('forged');
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, origin: EVIL }, body: encode(REGISTER(email)) });
    expect(response.status).toBe(400);
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(await wasRegistered(email)).toBe(false);
  });

  it('a POST without a content type is refused too', async () => {
    const email = uniqueEmail('forged');
    const response = await fetch(url, { method: 'POST', body: new Blob([JSON.stringify({ query: REGISTER(email) })]) });
    expect(response.status).toBe(400);
    expect(await wasRegistered(email)).toBe(false);
  });

  it('GET never runs a mutation (405), while GET queries work', async () => {
    const email = uniqueEmail('get');
    const mutation = await fetch(`${url}?${new URLSearchParams({ query: REGISTER(email) })}`, { headers: { accept: 'application/json' } });
    expect(mutation.status).toBe(405);
    expect(await wasRegistered(email)).toBe(false);
    const query = await fetch(`${url}?${new URLSearchParams({ query: '{ __typename }' })}`, { headers: { accept: 'application/json' } });
    expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('a JSON POST from a real client works', async () => {
    const email = uniqueEmail('client');
    expect((await postGraphql(url, { query: REGISTER(email) }, { origin: SHOP })).body.data.register.accessToken).toBeTruthy();
  });
});

describe('CORS_ORIGINS', () => {
  const preflight = (origin: string) =>
    fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  it('lets a listed site call the API from the browser, and shows it the request id', async () => {
    const response = await preflight(SHOP);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(response.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const call = await postGraphql(url, { query: '{ __typename }' }, { origin: BLOG });
    expect(call.headers.get('access-control-allow-origin')).toBe(BLOG);
    expect(call.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(call.headers.get('x-request-id')).toMatch(/^[\w-]{36}$/);
  });

  it('lets a listed site read the refusals made before GraphQL runs, such as a request too large', async () => {
    const huge = JSON.stringify({ query: '{ __typename }', variables: { padding: 'x'.repeat(200_000) } });
    const fromShop = await postGraphql(url, huge, { origin: SHOP });
    expect(fromShop.status).toBe(413);
    expect(fromShop.body.errors[0].extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE' });
    expect(fromShop.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(fromShop.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    const fromEvil = await postGraphql(url, huge, { origin: EVIL });
    expect(fromEvil.status).toBe(413);
    expect(fromEvil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives another site no CORS permission, so its browser neither sends nor reads', async () => {
    const response = await preflight(EVIL);
    expect(response.headers.get('access-control-allow-origin')).not.toBe(EVIL);
    const call = await postGraphql(url, { query: '{ __typename }' }, { origin: EVIL });
    expect(call.headers.get('access-control-allow-origin')).not.toBe(EVIL);
  });
});

describe("a bot's allowed origins (settings.allowedOrigins)", () => {
  let chat: Awaited<ReturnType<typeof newChat>>;
  let shopBotId: string;

  beforeAll(async () => {
    chat = await newChat(url);
    const { createBot } = await gqlOk(url, 'mutation($input: BotInput!) { createBot(input: $input) { id } }', {
      input: { name: 'Shop assistant', systemPrompt: 'You help shoppers.', settings: { allowedOrigins: [SHOP] } },
    }, chat.token);
    shopBotId = createBot.id;
  });

  const asBrowser = (origin: string | undefined, query: string, variables: Record<string, unknown>) =>
    postGraphql(url, { query, variables }, { authorization: `Bearer ${chat.token}`, ...(origin ? { origin } : {}) });
  const CREATE_SESSION = 'mutation($b: ID!) { createSession(botId: $b) { id } }';

  it('a page on another site cannot start a session with the bot, its own site and non-browser clients can', async () => {
    const refused = await asBrowser(BLOG, CREATE_SESSION, { b: shopBotId });
    expect(refused.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await asBrowser(SHOP, CREATE_SESSION, { b: shopBotId })).body.data.createSession.id).toBeTruthy();
    expect((await asBrowser(undefined, CREATE_SESSION, { b: shopBotId })).body.data.createSession.id).toBeTruthy();
    expect((await asBrowser(server.origin, CREATE_SESSION, { b: shopBotId })).body.data.createSession.id).toBeTruthy(); // the API's own pages
  });

  it('nor send in, or listen to, a session with the bot', async () => {
    const { body } = await asBrowser(SHOP, CREATE_SESSION, { b: shopBotId });
    const sessionId = body.data.createSession.id;

    const send = await asBrowser(BLOG, SEND, { s: sessionId, t: 'from the wrong site', wait: true });
    expect(send.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await asBrowser(SHOP, SEND, { s: sessionId, t: 'from the shop', wait: true })).body.data.sendMessage.botMessage.status).toBe('COMPLETE');

    const listen = await firstEvent(BLOG, sessionId);
    expect(listen.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('a bot without allowedOrigins may be used from any site CORS admits', async () => {
    expect((await asBrowser(BLOG, CREATE_SESSION, { b: chat.botId })).body.data.createSession.id).toBeTruthy();
    expect((await asBrowser(BLOG, SEND, { s: chat.sessionId, t: 'hello', wait: true })).body.data.sendMessage.botMessage.status).toBe('COMPLETE');
  });

  /** The first event of a sessionEvents subscription opened from a page on `origin`. */
  async function firstEvent(origin: string, sessionId: string) {
    const controller = new AbortController();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${chat.token}`, origin },
      body: JSON.stringify({ query: SESSION_EVENTS, variables: { sessionId } }),
      signal: controller.signal,
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const timer = setTimeout(() => controller.abort(), 5000);
    try {
      while (!/\ndata: .*\n/.test(`\n${text}`)) text += (await reader.read()).value ?? '';
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
    return JSON.parse(/(?:^|\n)data: (.*)\n/.exec(text)![1]);
  }
});
