// The GraphQL ownership matrix over REST: nobody reaches another user's bots, sessions or messages,
// nor can tell that they exist; only admins change the system bots.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type RestClient, type RestUser, promoteToAdmin, registerRestUser, restClient } from './client.ts';

let server: ApiServer;
let api: RestClient;

beforeAll(async () => {
  server = await startApiServer();
  api = await restClient(server.origin);
});
afterAll(() => server?.stop());

describe("a user cannot touch another user's objects, nor tell that they exist", () => {
  let alice: RestUser;
  let bob: RestUser;
  const a = { botId: '', sessionId: randomUUID(), serverSessionId: '', messageId: '' };
  const missing = { botId: 'cmissingbot0000000000000', sessionId: randomUUID(), serverSessionId: 'cmissingsession000000000' };

  beforeAll(async () => {
    alice = await registerRestUser(api);
    bob = await registerRestUser(api);
    a.botId = (await api.call('POST', '/bots', { token: alice.token, json: { name: 'Secret', system_prompt: 'classified' } })).body.id;
    a.serverSessionId = (await api.call('POST', '/sessions', { token: alice.token, json: { bot_id: a.botId, session_id: a.sessionId, title: 'private' } })).body.id;
    a.messageId = (await api.call('POST', `/sessions/${a.sessionId}/messages`, { token: alice.token, json: { message: 'My name is Alice' } })).body[0].id;
  });

  /** Bob's request on Alice's object, and the same on an id that never existed: both 404, word for word. */
  const expectSameAsMissing = async (method: string, path: (ids: typeof missing) => string, json?: (ids: typeof missing) => unknown) => {
    const hers = await api.call(method, path(a), { token: bob.token, json: json?.(a) });
    const nobodys = await api.call(method, path(missing), { token: bob.token, json: json?.(missing) });
    expect(hers.status, `${method} ${path(a)}`).toBe(404);
    expect({ status: hers.status, body: hers.body }).toEqual({ status: nobodys.status, body: nobodys.body });
  };

  it('reads: her bot, her session (by session_id and by server id) and its messages are 404, as if missing', async () => {
    await expectSameAsMissing('GET', (ids) => `/bots/${ids.botId}`);
    await expectSameAsMissing('GET', (ids) => `/sessions/${ids.sessionId}`);
    await expectSameAsMissing('GET', (ids) => `/sessions/${ids.serverSessionId}`);
    await expectSameAsMissing('GET', (ids) => `/sessions/${ids.sessionId}/messages`);
    expect((await api.call('GET', '/bots', { token: bob.token })).body.map((b: any) => b.id)).not.toContain(a.botId);
    expect((await api.call('GET', '/sessions', { token: bob.token })).body).toEqual([]);
    expect((await api.call('GET', `/sessions?bot_id=${a.botId}`, { token: bob.token })).body).toEqual([]);
  });

  it('writes: every change to her objects is 404, as if missing, and changes nothing', async () => {
    await expectSameAsMissing('PUT', (ids) => `/bots/${ids.botId}`, () => ({ name: 'pwned' }));
    await expectSameAsMissing('DELETE', (ids) => `/bots/${ids.botId}`);
    await expectSameAsMissing('POST', () => '/sessions', (ids) => ({ bot_id: ids.botId }));
    await expectSameAsMissing('DELETE', (ids) => `/sessions/${ids.sessionId}`);
    await expectSameAsMissing('DELETE', (ids) => `/sessions/${ids.serverSessionId}`);
    await expectSameAsMissing('POST', (ids) => `/sessions/${ids.sessionId}/messages`, () => ({ message: 'hi' }));
    await expectSameAsMissing('POST', (ids) => `/sessions/${ids.serverSessionId}/messages`, () => ({ message: 'hi' }));

    expect((await api.call('GET', `/bots/${a.botId}`, { token: alice.token })).body.name).toBe('Secret');
    expect((await api.call('GET', `/sessions/${a.sessionId}`, { token: alice.token })).body.title).toBe('private');
    const history = await api.call('GET', `/sessions/${a.sessionId}/messages`, { token: alice.token });
    expect(history.body.map((m: any) => m.id)).toContain(a.messageId);
    expect(history.body).toHaveLength(2);
  });

  it("her session_id used by him makes a session of his own, leaving hers alone", async () => {
    const [support] = (await api.call('GET', '/bots', { token: bob.token })).body;
    const his = await api.call('POST', '/sessions', { token: bob.token, json: { bot_id: support.id, session_id: a.sessionId } });
    expect(his.status).toBe(201);
    expect(his.body.id).not.toBe(a.serverSessionId);
    expect((await api.call('GET', `/sessions/${a.sessionId}`, { token: alice.token })).body.id).toBe(a.serverSessionId);
    expect((await api.call('GET', `/sessions/${a.sessionId}/messages`, { token: bob.token })).body).toEqual([]);
  });

  it('anonymous requests and bad tokens are 401 everywhere but sign-in', async () => {
    const everything: Array<[string, string, unknown?]> = [
      ['GET', '/bots'],
      ['GET', `/bots/${a.botId}`],
      ['POST', '/bots', { name: 'x', system_prompt: 'y' }],
      ['PUT', `/bots/${a.botId}`, { name: 'x' }],
      ['DELETE', `/bots/${a.botId}`],
      ['POST', '/sessions', { bot_id: a.botId }],
      ['GET', '/sessions'],
      ['GET', `/sessions/${a.sessionId}`],
      ['DELETE', `/sessions/${a.sessionId}`],
      ['POST', `/sessions/${a.sessionId}/messages`, { message: 'hi' }],
      ['GET', `/sessions/${a.sessionId}/messages`],
    ];
    for (const [method, path, json] of everything) {
      for (const token of [undefined, 'garbage', `${alice.token}x`]) {
        const response = await api.call(method, path, { token, json });
        expect(response.status, `${method} ${path} with ${token ? 'a bad token' : 'no token'}`).toBe(401);
        expect(response.body.detail).toEqual(expect.any(String));
      }
    }
  });
});

describe('system bots', () => {
  it('a user may not change or delete a system bot (403); an admin may', async () => {
    const user = await registerRestUser(api);
    const [support] = (await api.call('GET', '/bots', { token: user.token })).body;
    const edit = await api.call('PUT', `/bots/${support.id}`, { token: user.token, json: { name: 'Mine now' } });
    expect(edit.status).toBe(403);
    expect(edit.body.detail).toMatch(/admin/);
    expect((await api.call('DELETE', `/bots/${support.id}`, { token: user.token })).status).toBe(403);

    const admin = await registerRestUser(api);
    await promoteToAdmin(server.databaseUrl, admin.email);
    const changed = await api.call('PUT', `/bots/${support.id}`, { token: admin.token, json: { description: 'Edited by an admin' } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: support.id, owner_id: null, description: 'Edited by an admin' });
  });
});
