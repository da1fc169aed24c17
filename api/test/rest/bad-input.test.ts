// Every kind of bad input a REST client can send gets { detail } with a 4xx status, never a 500,
// and the status is one the OpenAPI document lists for the operation (the client checks that).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type RequestOptions, type RestClient, type RestUser, registerRestUser, restClient } from './client.ts';

let server: ApiServer;
let api: RestClient;
let user: RestUser;
let botId: string;
const sessionId = randomUUID();

beforeAll(async () => {
  server = await startApiServer();
  api = await restClient(server.origin);
  user = await registerRestUser(api);
  botId = (await api.call('GET', '/bots', { token: user.token })).body[0].id;
  await api.call('POST', '/sessions', { token: user.token, json: { bot_id: botId, session_id: sessionId } });
});
afterAll(() => server?.stop());

type Case = [name: string, method: string, path: string, options: RequestOptions, status: number, detail?: RegExp];

async function expectRefused(cases: Case[]) {
  for (const [name, method, path, options, status, detail] of cases) {
    const response = await api.call(method, path, { token: user.token, ...options });
    expect(response.status, name).toBe(status);
    expect(response.headers.get('content-type'), name).toBe('application/json');
    expect(Object.keys(response.body), name).toEqual(['detail']);
    if (detail) expect(response.body.detail, name).toMatch(detail);
  }
}

const json = (raw: string): RequestOptions => ({ raw, headers: { 'content-type': 'application/json' } });
const messages = `/sessions/${sessionId}/messages`;

describe('bad input is refused with { detail } and a 4xx status', () => {
  it('malformed or empty JSON is 400', async () => {
    await expectRefused([
      ['truncated JSON', 'POST', '/auth/register', json('{"email":'), 400, /not valid JSON/],
      ['not JSON at all', 'POST', '/bots', json("{name: 'x'}"), 400, /not valid JSON/],
      ['an empty body', 'POST', messages, json(''), 400, /empty/],
    ]);
  });

  it('a body that is not a JSON object is 422', async () => {
    await expectRefused([
      ['an array', 'POST', '/bots', json('[]'), 422, /expected object/],
      ['null', 'POST', '/sessions', json('null'), 422, /expected object/],
      ['a number', 'POST', messages, json('42'), 422, /expected object/],
    ]);
  });

  it('a body in another content type is 415', async () => {
    await expectRefused([
      ['text/plain on a JSON operation', 'POST', '/bots', { raw: '{"name":"x"}', headers: { 'content-type': 'text/plain' } }, 415, /application\/json/],
      ['a form on a JSON operation', 'POST', messages, { form: { message: 'hi' } }, 415, /application\/json/],
      ['no content type', 'POST', '/auth/register', { raw: '{}' }, 415],
      ['JSON on the form-encoded login', 'POST', '/auth/login', { json: { username: user.email, password: user.password } }, 415, /x-www-form-urlencoded/],
      ['multipart on the login', 'POST', '/auth/login', { raw: '--x--', headers: { 'content-type': 'multipart/form-data; boundary=x' } }, 415],
    ]);
  });

  it('missing fields are 422 and name the field', async () => {
    await expectRefused([
      ['register without a password', 'POST', '/auth/register', { json: { email: 'x@example.com' } }, 422, /^password:/],
      ['login without a username', 'POST', '/auth/login', { form: { password: 'x' } }, 422, /^username:/],
      ['a bot without a system prompt', 'POST', '/bots', { json: { name: 'x' } }, 422, /^system_prompt:/],
      ['a session without a bot', 'POST', '/sessions', { json: {} }, 422, /^bot_id:/],
      ['a message without text', 'POST', messages, { json: {} }, 422, /^message:/],
    ]);
  });

  it('unknown fields are 422, not silently ignored', async () => {
    await expectRefused([
      ['a role at registration', 'POST', '/auth/register', { json: { email: 'y@example.com', password: 'long enough!', role: 'ADMIN' } }, 422, /Unrecognized key: "role"/],
      ['an owner for a new bot', 'POST', '/bots', { json: { name: 'x', system_prompt: 'y', owner_id: null } }, 422, /owner_id/],
      ['camelCase instead of snake_case', 'PUT', `/bots/${botId}`, { json: { systemPrompt: 'y' } }, 422, /systemPrompt/],
      ['an unknown query parameter', 'GET', '/sessions?page=2', {}, 422, /page/],
      ['an unknown form field', 'POST', '/auth/login', { form: { username: 'a', password: 'b', role: 'ADMIN' } }, 422, /role/],
    ]);
  });

  it('wrong types and values are 422', async () => {
    await expectRefused([
      ['a temperature as text', 'POST', '/bots', { json: { name: 'x', system_prompt: 'y', temperature: 'hot' } }, 422, /^temperature:/],
      ['a temperature out of range', 'POST', '/bots', { json: { name: 'x', system_prompt: 'y', temperature: 7 } }, 422, /between 0 and 2/],
      ['settings as a list', 'POST', '/bots', { json: { name: 'x', system_prompt: 'y', settings: [] } }, 422, /^settings:/],
      ['a number as the message', 'POST', messages, { json: { message: 5 } }, 422, /^message:/],
      ['a blank message', 'POST', messages, { json: { message: '   ' } }, 422, /empty/],
      ['a session_id that is not a UUID', 'POST', '/sessions', { json: { bot_id: botId, session_id: 'my-session' } }, 422, /UUID/],
      ['a bot id as a number', 'POST', '/sessions', { json: { bot_id: 5 } }, 422, /^bot_id:/],
      ['an e-mail that is not one', 'POST', '/auth/register', { json: { email: 'nobody', password: 'long enough!' } }, 422, /valid email/],
      ['a password too short', 'POST', '/auth/register', { json: { email: 'z@example.com', password: 'short' } }, 422, /at least 8/],
      ['an unknown grant type', 'POST', '/auth/login', { form: { username: 'a', password: 'b', grant_type: 'client_credentials' } }, 422, /grant_type/],
    ]);
  });

  it('huge strings are 422 when over a field limit, and 413 when over the request limit', async () => {
    await expectRefused([
      ['a message over MESSAGE_MAX_LENGTH', 'POST', messages, { json: { message: 'x'.repeat(8001) } }, 422, /longer than 8000/],
      ['a bot name of 61 characters', 'POST', '/bots', { json: { name: 'n'.repeat(61), system_prompt: 'y' } }, 422, /longer than 60/],
      ['an e-mail of 300 characters', 'POST', '/auth/register', { json: { email: `${'e'.repeat(290)}@example.com`, password: 'long enough!' } }, 422, /too long/],
      ['a body over MAX_REQUEST_BYTES', 'POST', '/bots', { json: { name: 'x', system_prompt: 'y'.repeat(200_000) } }, 413, /larger than/],
    ]);
  });

  it('lone surrogates and NUL characters, which neither database stores, are 422', async () => {
    await expectRefused([
      ['a lone high surrogate in a message', 'POST', messages, json('{"message":"hi \\ud800"}'), 422, /^message holds/],
      ['a lone low surrogate in a bot name', 'POST', '/bots', json('{"name":"\\udc00","system_prompt":"y"}'), 422, /^name holds/],
      ['a NUL in a session title', 'POST', '/sessions', json(`{"bot_id":"${botId}","title":"a\\u0000b"}`), 422, /^title holds/],
      ['a lone surrogate in a settings key', 'POST', '/bots', json('{"name":"x","system_prompt":"y","settings":{"\\ud800":1}}'), 422, /^settings holds/],
      ['a NUL in the login form', 'POST', '/auth/login', { form: { username: 'a\u0000', password: 'b' } }, 422, /NUL/],
      ['a NUL in the query', 'GET', `${messages}?before=%00`, {}, 422, /^before holds/],
    ]);
    const pair = await api.call('POST', messages, { token: user.token, json: { message: 'a surrogate pair is fine: 😀' } });
    expect(pair.body[0].text).toBe('a surrogate pair is fine: 😀');
  });

  it('ids that cannot exist are 404 before any lookup, as any missing id', async () => {
    await expectRefused([
      ['malformed percent-encoding', 'GET', '/bots/%ZZ', {}, 404],
      ['an encoded lone surrogate', 'GET', '/sessions/%ED%A0%80', {}, 404],
      ['an encoded NUL', 'GET', '/bots/%00', {}, 404],
      ['a 500-character id', 'GET', `/bots/${'x'.repeat(500)}`, {}, 404],
      ['a session id that is not a UUID', 'GET', '/sessions/not-a-session', {}, 404],
      ['a UUID nobody used', 'DELETE', `/sessions/${randomUUID()}`, {}, 404],
      ['a session id as a bot id', 'GET', `/bots/${sessionId}`, {}, 404],
      ['a bot that does not exist', 'POST', '/sessions', { json: { bot_id: 'nope' } }, 404],
    ]);
  });

  it('bad paging is 422', async () => {
    await expectRefused([
      ['limit 0', 'GET', `${messages}?limit=0`, {}, 422, /^limit:/],
      ['limit over 100', 'GET', '/sessions?limit=101', {}, 422, /^limit:/],
      ['limit as a word', 'GET', `${messages}?limit=ten`, {}, 422, /^limit:/],
      ['limit as a fraction', 'GET', '/sessions?limit=1.5', {}, 422, /^limit:/],
      ['a negative offset', 'GET', '/sessions?offset=-1', {}, 422, /^offset:/],
    ]);
    // As over GraphQL, a cursor outside the session pages nothing rather than failing.
    expect((await api.call('GET', `${messages}?before=unknown`, { token: user.token })).body).toEqual([]);
  });

  it('unknown endpoints are 404 and unknown methods 405, both with { detail }', async () => {
    const unknown = await api.call('GET', '/bots/x/y', { token: user.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/\/docs/);
    const patch = await api.call('PATCH', `/bots/${botId}`, { token: user.token, json: {} });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('GET, PUT, DELETE');
    expect(patch.body.detail).toEqual(expect.any(String));
  });
});
