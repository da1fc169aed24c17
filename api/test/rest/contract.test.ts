// The REST contract the product was specified with, replayed request by request. Every response is
// checked against the server's own /openapi.json by the client (status listed, body matches).
import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { gqlOk } from '../support/graphql-client.ts';
import { type RestClient, type RestUser, registerRestUser, restClient } from './client.ts';

let server: ApiServer;
let api: RestClient;
let user: RestUser;

beforeAll(async () => {
  server = await startApiServer();
  api = await restClient(server.origin);
  user = await registerRestUser(api);
});
afterAll(() => server?.stop());

const BOT_FIELDS = ['id', 'name', 'description', 'model', 'system_prompt', 'temperature', 'owner_id', 'created_at'];

describe('the REST contract, replayed from the specification', () => {
  it('registering answers a bearer token; the same e-mail again is 400', async () => {
    const email = `Spec-${randomUUID()}@example.com`;
    const first = await api.call('POST', '/auth/register', { json: { email, password: 'correct horse battery' } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ access_token: expect.any(String), token_type: 'bearer' });
    const again = await api.call('POST', '/auth/register', { json: { email: email.toLowerCase(), password: 'another password' } });
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/already exists/);
  });

  it('login takes the OAuth 2.0 password form; a wrong password is 401', async () => {
    const ok = await api.call('POST', '/auth/login', { form: { grant_type: 'password', username: user.email, password: user.password } });
    expect(ok.status).toBe(200);
    expect(ok.body.token_type).toBe('bearer');
    const wrong = await api.call('POST', '/auth/login', { form: { username: user.email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect(wrong.body).toEqual({ detail: 'Wrong email or password.' });
  });

  it('lists the system bots with the specified fields, and reads one with its settings', async () => {
    const list = await api.call('GET', '/bots', { token: user.token });
    expect(list.status).toBe(200);
    expect(list.body.map((bot: any) => bot.name)).toEqual(['Support', 'Tutor', 'Fun']);
    for (const bot of list.body) {
      expect(Object.keys(bot)).toEqual(expect.arrayContaining(BOT_FIELDS));
      expect(bot.owner_id).toBeNull();
    }
    const one = await api.call('GET', `/bots/${list.body[0].id}`, { token: user.token });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ ...list.body[0], settings: {} });
  });

  it("creates, changes and deletes a bot of one's own", async () => {
    const created = await api.call('POST', '/bots', {
      token: user.token,
      json: { name: 'Chef', system_prompt: 'You are a chef.', temperature: 1.1, settings: { cuisine: 'thai' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Chef', system_prompt: 'You are a chef.', temperature: 1.1, settings: { cuisine: 'thai' }, model: 'default' });
    expect(created.body.owner_id).toEqual(expect.any(String));
    const changed = await api.call('PUT', `/bots/${created.body.id}`, { token: user.token, json: { name: 'Head chef', description: 'Cooks' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Head chef', description: 'Cooks', system_prompt: 'You are a chef.', temperature: 1.1 });
    expect((await api.call('GET', '/bots', { token: user.token })).body.map((b: any) => b.name)).toContain('Head chef');
    const deleted = await api.call('DELETE', `/bots/${created.body.id}`, { token: user.token });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await api.call('GET', `/bots/${created.body.id}`, { token: user.token })).status).toBe(404);
  });

  it("a session is created under the client's session_id, idempotently, and listed (per bot too)", async () => {
    const [support, tutor] = (await api.call('GET', '/bots', { token: user.token })).body;
    const sessionId = randomUUID();
    const created = await api.call('POST', '/sessions', { token: user.token, json: { bot_id: support.id, session_id: sessionId } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), bot_id: support.id, session_id: sessionId, created_at: expect.any(String) });
    const again = await api.call('POST', '/sessions', { token: user.token, json: { bot_id: support.id, session_id: sessionId } });
    expect(again.body.id).toBe(created.body.id);
    const otherBot = await api.call('POST', '/sessions', { token: user.token, json: { bot_id: tutor.id, session_id: sessionId } });
    expect(otherBot.status).toBe(409);
    const withTutor = await api.call('POST', '/sessions', { token: user.token, json: { bot_id: tutor.id } });
    expect(withTutor.body.session_id).toMatch(/^[0-9a-f-]{36}$/);

    const all = await api.call('GET', '/sessions', { token: user.token });
    expect(all.body.map((s: any) => s.session_id)).toEqual(expect.arrayContaining([sessionId, withTutor.body.session_id]));
    const perBot = await api.call('GET', `/sessions?bot_id=${tutor.id}`, { token: user.token });
    expect(perBot.body.map((s: any) => s.session_id)).toEqual([withTutor.body.session_id]);
    const read = await api.call('GET', `/sessions/${sessionId}`, { token: user.token });
    expect(read.body).toEqual(created.body);
  });

  it('the same session_id sent many times at once makes one session', async () => {
    const fresh = await registerRestUser(api);
    const [support] = (await api.call('GET', '/bots', { token: fresh.token })).body;
    const sessionId = randomUUID();
    const created = await Promise.all(
      Array.from({ length: 8 }, () => api.call('POST', '/sessions', { token: fresh.token, json: { bot_id: support.id, session_id: sessionId } })),
    );
    expect(created.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect((await api.call('GET', '/sessions', { token: fresh.token })).body).toHaveLength(1);
  });

  it("a message is answered [userMessage, botMessage] once the reply has ended, latency_ms on the bot's", async () => {
    const [support] = (await api.call('GET', '/bots', { token: user.token })).body;
    const sessionId = randomUUID();
    await api.call('POST', '/sessions', { token: user.token, json: { bot_id: support.id, session_id: sessionId } });
    const sent = await api.call('POST', `/sessions/${sessionId}/messages`, { token: user.token, json: { message: 'Hello there' } });
    expect(sent.status).toBe(200);
    const [question, reply] = sent.body;
    expect(question).toMatchObject({ role: 'user', text: 'Hello there', status: 'complete' });
    expect(question).not.toHaveProperty('latency_ms');
    expect(reply).toMatchObject({ role: 'bot', status: 'complete', latency_ms: expect.any(Number) });
    expect(reply.text.length).toBeGreaterThan(0);

    const history = await api.call('GET', `/sessions/${sessionId}/messages`, { token: user.token });
    expect(history.body).toEqual([question, reply]);
  });

  it('the history pages backwards with limit and before', async () => {
    const [support] = (await api.call('GET', '/bots', { token: user.token })).body;
    const sessionId = randomUUID();
    await api.call('POST', '/sessions', { token: user.token, json: { bot_id: support.id, session_id: sessionId } });
    for (const text of ['one', 'two', 'three']) {
      await api.call('POST', `/sessions/${sessionId}/messages`, { token: user.token, json: { message: text } });
    }
    const newest = await api.call('GET', `/sessions/${sessionId}/messages?limit=4`, { token: user.token });
    expect(newest.body.map((m: any) => m.role)).toEqual(['user', 'bot', 'user', 'bot']);
    expect(newest.body[0].text).toBe('two');
    const older = await api.call('GET', `/sessions/${sessionId}/messages?limit=4&before=${newest.body[0].id}`, { token: user.token });
    expect(older.body.map((m: any) => m.text.slice(0, 3))).toEqual(['one', expect.any(String)]);
    const none = await api.call('GET', `/sessions/${sessionId}/messages?before=${older.body[0].id}`, { token: user.token });
    expect(none.body).toEqual([]);
  });

  it('deleting a session is 204, and then it and its messages are gone', async () => {
    const [support] = (await api.call('GET', '/bots', { token: user.token })).body;
    const sessionId = randomUUID();
    await api.call('POST', '/sessions', { token: user.token, json: { bot_id: support.id, session_id: sessionId } });
    await api.call('POST', `/sessions/${sessionId}/messages`, { token: user.token, json: { message: 'bye' } });
    const deleted = await api.call('DELETE', `/sessions/${sessionId}`, { token: user.token });
    expect(deleted.status).toBe(204);
    expect((await api.call('GET', `/sessions/${sessionId}/messages`, { token: user.token })).status).toBe(404);
    expect((await api.call('DELETE', `/sessions/${sessionId}`, { token: user.token })).status).toBe(404);
  });

  it('REST and GraphQL share tokens and data: a GraphQL session is reachable by its server id', async () => {
    const { bots } = await gqlOk(server.graphqlUrl, '{ bots { id } }', {}, user.token);
    const { createSession } = await gqlOk(server.graphqlUrl, 'mutation($b: ID!) { createSession(botId: $b, title: "from GraphQL") { id } }', { b: bots[0].id }, user.token);
    const serverId = atob(createSession.id).split(':')[1];
    const listed = (await api.call('GET', '/sessions', { token: user.token })).body.find((s: any) => s.id === serverId);
    expect(listed).toMatchObject({ session_id: serverId, title: 'from GraphQL', bot_id: atob(bots[0].id).split(':')[1] });
    const sent = await api.call('POST', `/sessions/${serverId}/messages`, { token: user.token, json: { message: 'hi from REST' } });
    expect(sent.status).toBe(200);
  });
});

describe('the OpenAPI document and the reference page', () => {
  it('/openapi.json is valid OpenAPI 3.1 with every operation, and every schema in it compiles', async () => {
    const { document } = api;
    const validator = new Validator();
    expect(await validator.validate(structuredClone(document))).toEqual({ valid: true });
    expect(validator.version).toBe('3.1');
    const operations = Object.entries<any>(document.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'POST /auth/register',
        'POST /auth/login',
        'GET /bots',
        'POST /bots',
        'GET /bots/{id}',
        'PUT /bots/{id}',
        'DELETE /bots/{id}',
        'POST /sessions',
        'GET /sessions',
        'GET /sessions/{session_id}',
        'DELETE /sessions/{session_id}',
        'POST /sessions/{session_id}/messages',
        'GET /sessions/{session_id}/messages',
      ].sort(),
    );
    for (const name of Object.keys(document.components.schemas)) expect(() => api.assertSchema(name, null)).toThrow(/does not match/);
    expect(document.info.description).toMatch(/database ids/);
  });

  it('/docs is one HTML page listing every operation, with no script and nothing loaded from elsewhere', async () => {
    const response = await fetch(`${server.origin}/docs`);
    const html = await response.text();
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|src=|@import|https?:\/\/(?!shop\.example)/i);
    for (const [path, item] of Object.entries<any>(api.document.paths)) {
      for (const method of Object.keys(item)) expect(html).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
    }
  });

  it('both are served compressed and revalidated by ETag', async () => {
    for (const path of ['/openapi.json', '/docs']) {
      const gzipped = await fetch(`${server.origin}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(gzipped.headers.get('cache-control')).toMatch(/max-age=\d+/);
      expect(gzipped.headers.get('vary')).toBe('accept-encoding');
      // fetch decodes by itself; the raw length proves the body was compressed.
      const plain = await (await fetch(`${server.origin}${path}`, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer();
      expect(Number(gzipped.headers.get('content-length'))).toBeLessThan(plain.byteLength / 3);
      expect(gunzipSync(await rawBody(`${server.origin}${path}`, 'gzip')).byteLength).toBe(plain.byteLength);
      const etag = gzipped.headers.get('etag')!;
      const revalidated = await fetch(`${server.origin}${path}`, { headers: { 'if-none-match': etag } });
      expect(revalidated.status).toBe(304);
    }
  });
});

/** The body as sent, before any decoding (node:http, which does not decompress). */
async function rawBody(url: string, encoding: string): Promise<Buffer> {
  const { get } = await import('node:http');
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}
