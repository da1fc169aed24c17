// The REST API keeps GraphQL's protections: the same rate limits (429 with Retry-After), CORS,
// per-bot allowed origins, and no cross-site forgery of anything that acts for a user.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type RestClient, type RestUser, registerRestUser, restClient } from './client.ts';

let server: ApiServer;
let api: RestClient;
let user: RestUser;

beforeAll(async () => {
  server = await startApiServer({
    env: {
      RATE_LIMIT_SENDS_PER_MINUTE: '3',
      RATE_LIMIT_AUTH_PER_IP: '4',
      RATE_LIMIT_LOGIN_FAILURES: '2',
      // Each test signs in from an address of its own (X-Forwarded-For), so their budgets are apart.
      TRUST_PROXY: 'true',
      CORS_ORIGINS: 'https://app.example,https://shop.example,https://elsewhere.example',
    },
  });
  api = await restClient(server.origin);
  user = await registerRestUser(api);
});
afterAll(() => server?.stop());

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('rate limits', () => {
  it('sending faster than the limit is 429 with Retry-After, and nothing is stored', async () => {
    const sender = await registerRestUser(api);
    const [bot] = (await api.call('GET', '/bots', { token: sender.token })).body;
    const sessionId = randomUUID();
    await api.call('POST', '/sessions', { token: sender.token, json: { bot_id: bot.id, session_id: sessionId } });
    const send = () => api.call('POST', `/sessions/${sessionId}/messages`, { token: sender.token, json: { message: 'hi' } });
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.detail).toMatch(/too fast/);
    expect((await api.call('GET', `/sessions/${sessionId}/messages`, { token: sender.token })).body).toHaveLength(6);
  });

  it('registering too often from one address is 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await api.call('POST', '/auth/register', { json: { email: `burst-${randomUUID()}@example.com`, password: 'long enough!' }, headers: from('203.0.113.10') });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('wrong passwords lock the account out from that address (429), as over GraphQL', async () => {
    const login = (password: string) =>
      api.call('POST', '/auth/login', { form: { username: user.email, password }, headers: from('203.0.113.20') });
    expect((await login('wrong one')).status).toBe(401);
    expect((await login('wrong two')).status).toBe(401);
    const locked = await login(user.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address still signs in.
    expect((await api.call('POST', '/auth/login', { form: { username: user.email, password: user.password }, headers: from('203.0.113.21') })).status).toBe(200);
  });
});

describe('browsers', () => {
  it('a listed site may call with a bearer token (preflight allows the methods and headers); others get no CORS grant', async () => {
    const preflight = await fetch(`${server.origin}/bots/some-id`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    const listed = await api.call('GET', '/bots', { token: user.token, headers: { origin: 'https://app.example' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(listed.headers.get('access-control-expose-headers')).toContain('retry-after');
    const unlisted = await api.call('GET', '/bots', { token: user.token, headers: { origin: 'https://evil.example' } });
    expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("a bot that lists its sites cannot be used from another site: sessions and messages are 403", async () => {
    const owner = await registerRestUser(api);
    const bot = await api.call('POST', '/bots', {
      token: owner.token,
      json: { name: 'Shop helper', system_prompt: 'Help shoppers.', settings: { allowedOrigins: ['https://shop.example'] } },
    });
    const start = (origin: string, sessionId = randomUUID()) =>
      api.call('POST', '/sessions', { token: owner.token, json: { bot_id: bot.body.id, session_id: sessionId }, headers: { origin } });
    const refused = await start('https://elsewhere.example');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/this site/);
    const sessionId = randomUUID();
    expect((await start('https://shop.example', sessionId)).status).toBe(201);
    const send = (origin?: string) =>
      api.call('POST', `/sessions/${sessionId}/messages`, { token: owner.token, json: { message: 'hi' }, headers: origin ? { origin } : {} });
    expect((await send('https://elsewhere.example')).status).toBe(403);
    expect((await send('https://shop.example')).status).toBe(200);
    // Not a browser (no Origin): bound by the token alone.
    expect((await send()).status).toBe(200);
  });

  it('a cross-site form cannot act for a user: forms are refused where JSON is expected, and carry no token', async () => {
    const [bot] = (await api.call('GET', '/bots', { token: user.token })).body;
    const forged = await api.call('POST', '/sessions', { form: { bot_id: bot.id }, headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(401);
    const plain = await api.call('POST', '/bots', { raw: '{"name":"x","system_prompt":"y"}', token: user.token, headers: { 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect((await api.call('GET', '/bots', { token: user.token })).body.map((b: any) => b.name)).not.toContain('x');
    const register = await api.call('POST', '/auth/register', { form: { email: 'forged@example.com', password: 'long enough!' }, headers: from('203.0.113.30') });
    expect(register.status).toBe(415);
  });
});
