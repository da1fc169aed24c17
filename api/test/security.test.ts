// Nobody reaches another user's objects, and only untampered, unexpired tokens of ours count.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { SESSION_EVENTS, VIEWER_EVENTS, errorCode, gql, gqlOk, registerUser, sseSubscribe } from './support/graphql-client.ts';

let server: ApiServer;
let url: string;

beforeAll(async () => {
  server = await startApiServer();
  url = server.graphqlUrl;
});
afterAll(() => server?.stop());

describe("a user cannot touch another user's objects, nor tell that they exist", () => {
  let a: { token: string; botId: string; sessionId: string; messageId: string; replyId: string; memoryId: string };
  let bToken: string;

  beforeAll(async () => {
    const alice = await registerUser(url);
    const { createBot } = await gqlOk(url, 'mutation { createBot(input: { name: "Secret", systemPrompt: "classified" }) { id } }', {}, alice.accessToken);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b, title: "private") { id } }', { b: createBot.id }, alice.accessToken);
    const sent = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "My name is Alice", wait: true) { userMessage { id } botMessage { id } } }', { s: createSession.id }, alice.accessToken);
    await gqlOk(url, 'mutation($m: ID!) { setFeedback(messageId: $m, rating: UP, reason: "hers") { rating } }', { m: sent.sendMessage.botMessage.id }, alice.accessToken);
    const { memories } = await gqlOk(url, '{ memories { id } }', {}, alice.accessToken);
    a = { token: alice.accessToken, botId: createBot.id, sessionId: createSession.id, messageId: sent.sendMessage.userMessage.id, replyId: sent.sendMessage.botMessage.id, memoryId: memories[0].id };
    bToken = (await registerUser(url)).accessToken;
  });

  const notFoundOrNull = async (query: string, variables: Record<string, unknown>, field: string) => {
    const result = await gql(url, query, variables, bToken);
    if (result.errors) expect(errorCode(result)).toBe('NOT_FOUND');
    else expect(result.data?.[field]).toBeNull();
    // Same answer as for an id that never existed.
    const sameTypeMissing = (id: string) => btoa(`${atob(id).split(':')[0]}:does-not-exist`);
    const missing = await gql(url, query, Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, sameTypeMissing(String(v))])), bToken);
    expect(missing.errors ? errorCode(missing) : missing.data?.[field]).toBe(result.errors ? 'NOT_FOUND' : null);
  };

  it('reads: bot, session, node(id) of each kind, lists and memories', async () => {
    await notFoundOrNull('query($id: ID!) { bot(id: $id) { id } }', { id: a.botId }, 'bot');
    await notFoundOrNull('query($id: ID!) { session(id: $id) { id } }', { id: a.sessionId }, 'session');
    for (const id of [a.botId, a.sessionId, a.messageId, a.memoryId]) {
      expect((await gqlOk(url, 'query($id: ID!) { node(id: $id) { id } }', { id }, bToken)).node).toBeNull();
    }
    expect((await gqlOk(url, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [a.sessionId, a.messageId] }, bToken)).nodes).toEqual([null, null]);
    expect((await gqlOk(url, '{ bots { id } }', {}, bToken)).bots.map((b: any) => b.id)).not.toContain(a.botId);
    expect((await gqlOk(url, '{ sessions { edges { node { id } } } }', {}, bToken)).sessions.edges).toEqual([]);
    expect((await gqlOk(url, 'query($b: ID) { sessions(botId: $b) { edges { node { id } } } }', { b: a.botId }, bToken)).sessions.edges).toEqual([]);
    expect((await gqlOk(url, '{ memories { id } }', {}, bToken)).memories).toEqual([]);
    await notFoundOrNull('query($id: ID!) { exportSession(id: $id, format: JSON) { content } }', { id: a.sessionId }, 'exportSession');
    const search = 'query($q: String!, $b: ID) { search(query: $q, botId: $b) { edges { node { message { id } } } } }';
    for (const variables of [{ q: 'Alice' }, { q: 'Alice', b: a.botId }]) {
      expect((await gqlOk(url, search, variables, bToken)).search.edges).toEqual([]);
    }
    expect(JSON.parse((await gqlOk(url, '{ exportMyData { content } }', {}, bToken)).exportMyData.content).sessions).toEqual([]);
  });

  it('writes: every mutation on her objects is NOT_FOUND and changes nothing', async () => {
    const attempts: Array<[string, Record<string, unknown>]> = [
      ['mutation($id: ID!) { updateBot(id: $id, input: { name: "pwned" }) { id } }', { id: a.botId }],
      ['mutation($id: ID!) { deleteBot(id: $id) }', { id: a.botId }],
      ['mutation($id: ID!) { createSession(botId: $id) { id } }', { id: a.botId }],
      ['mutation($id: ID!) { renameSession(id: $id, title: "pwned") { id } }', { id: a.sessionId }],
      ['mutation($id: ID!) { deleteSession(id: $id) }', { id: a.sessionId }],
      ['mutation($id: ID!) { sendMessage(sessionId: $id, text: "hi") { userMessage { id } } }', { id: a.sessionId }],
      ['mutation($id: ID!) { cancelReply(messageId: $id) { id } }', { id: a.messageId }],
      ['mutation($id: ID!) { retryReply(messageId: $id) { id } }', { id: a.messageId }],
      ['mutation($id: ID!) { deleteMemory(id: $id) }', { id: a.memoryId }],
      ['mutation($id: ID!) { regenerateReply(messageId: $id) { id } }', { id: a.replyId }],
      ['mutation($id: ID!) { editMessage(messageId: $id, text: "pwned") { userMessage { id } } }', { id: a.messageId }],
      ['mutation($id: ID!) { selectVariant(messageId: $id) { id } }', { id: a.replyId }],
      ['mutation($id: ID!) { deleteMessage(messageId: $id) }', { id: a.messageId }],
      ['mutation($id: ID!) { forkSession(messageId: $id) { id } }', { id: a.replyId }],
      ['mutation($id: ID!) { setFeedback(messageId: $id, rating: DOWN, reason: "pwned") { rating } }', { id: a.replyId }],
      ['mutation($id: ID!) { removeFeedback(messageId: $id) }', { id: a.replyId }],
      ['mutation($id: ID!) { setSessionModel(id: $id, model: null) { id } }', { id: a.sessionId }],
      ['query($id: ID!) { botFeedback(botId: $id) { edges { node { rating } } } }', { id: a.botId }],
      ['mutation($id: ID!) { updateMemory(id: $id, value: "pwned") { id } }', { id: a.memoryId }],
      ['mutation($id: ID!) { addMemory(botId: $id, text: "pwned") { id } }', { id: a.botId }],
      ['mutation($id: ID!) { rememberMessage(messageId: $id) { id } }', { id: a.messageId }],
      ['mutation($id: ID!) { shareSession(id: $id) { url } }', { id: a.sessionId }],
      ['mutation($id: ID!) { unshareSession(id: $id) }', { id: a.sessionId }],
    ];
    for (const [query, variables] of attempts) {
      const result = await gql(url, query, variables, bToken);
      expect(errorCode(result), query).toBe('NOT_FOUND');
    }
    expect((await gqlOk(url, 'mutation($b: ID) { forgetMemories(botId: $b) }', { b: a.botId }, bToken)).forgetMemories).toBe(0);
    const hers = await gqlOk(url, 'query($id: ID!) { session(id: $id) { title share { url } messages(first: 10) { edges { node { id text variants myFeedback { rating reason } } } } } sessions { edges { node { id } } } memories { id value } bot(id: "' + a.botId + '") { name } }', { id: a.sessionId }, a.token);
    expect(hers.session.share).toBeNull();
    expect(hers.memories[0].value).toBe('Alice');
    expect(hers.session.title).toBe('private');
    expect(hers.session.messages.edges).toHaveLength(2);
    expect(hers.session.messages.edges.map((e: any) => e.node.variants.length)).toEqual([1, 1]);
    expect(hers.session.messages.edges[0].node.text).toBe('My name is Alice');
    expect(hers.session.messages.edges[1].node.myFeedback).toEqual({ rating: 'UP', reason: 'hers' });
    expect(hers.sessions.edges).toHaveLength(1);
    expect(hers.memories).toHaveLength(1);
    expect(hers.bot.name).toBe('Secret');
  });

  it('streams: subscribing to her session is refused', async () => {
    const sub = sseSubscribe(url, SESSION_EVENTS, { sessionId: a.sessionId }, bToken);
    await sub.opened;
    const first = await sub.until(() => true).catch(() => undefined);
    sub.close();
    const raw = JSON.stringify(first ?? sub.events);
    expect(raw).toContain('NOT_FOUND');
    expect(raw).not.toContain('MessageDelta');
  });

  it("viewerEvents: her session's id is NOT_FOUND like a missing one, and her replies never reach his stream", async () => {
    const named = await gql(url, 'subscription($ids: [ID!]) { viewerEvents(sessionIds: $ids) { sessionId } }', { ids: [a.sessionId] }, bToken);
    expect(errorCode(named)).toBe('NOT_FOUND');
    const missing = btoa('ChatSession:does-not-exist');
    expect(errorCode(await gql(url, 'subscription($ids: [ID!]) { viewerEvents(sessionIds: $ids) { sessionId } }', { ids: [missing] }, bToken))).toBe('NOT_FOUND');

    const his = sseSubscribe(url, VIEWER_EVENTS, {}, bToken);
    const hers = sseSubscribe(url, VIEWER_EVENTS, {}, a.token);
    await Promise.all([his.opened, hers.opened]);
    await new Promise((r) => setTimeout(r, 100));
    const sent = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "secret plans") { botMessage { id } } }', { s: a.sessionId }, a.token);
    await hers.until((e) => e.data?.viewerEvents.event.__typename === 'MessageCompleted' && e.data.viewerEvents.event.message.id === sent.sendMessage.botMessage.id);
    his.close();
    hers.close();
    expect(his.events).toEqual([]);
  });

  it('anonymous requests are UNAUTHENTICATED everywhere', async () => {
    for (const query of [
      '{ bots { id } }',
      '{ sessions { edges { node { id } } } }',
      '{ memories { id } }',
      `mutation { createSession(botId: "${a.botId}") { id } }`,
      '{ search(query: "Alice") { edges { cursor } } }',
      '{ exportMyData { content } }',
      `{ exportSession(id: "${a.sessionId}", format: MARKDOWN) { content } }`,
      `mutation { addMemory(botId: "${a.botId}", text: "x") { id } }`,
      'mutation { forgetMemories }',
      `mutation { shareSession(id: "${a.sessionId}") { url } }`,
      'mutation { deleteAccount(confirmation: "delete my account") }',
    ]) {
      expect(errorCode(await gql(url, query))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('tokens', () => {
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString());
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('carries sub, iat, exp, iss and aud, signed HS256', async () => {
    const { accessToken, user } = await registerUser(url);
    const [header, payload] = accessToken.split('.');
    expect(decode(header)).toMatchObject({ alg: 'HS256' });
    expect(decode(payload)).toMatchObject({ iss: 'multi-bot-chat', aud: 'multi-bot-chat', sub: expect.any(String) });
    expect(decode(payload).exp - decode(payload).iat).toBe(15 * 60); // ACCESS_TOKEN_TTL default
    expect(btoa(`User:${decode(payload).sub}`)).toBe(user.id);
  });

  it('a tampered payload, a forged signature, alg "none" and garbage are all refused', async () => {
    const victim = await registerUser(url);
    const attacker = await registerUser(url);
    const [header, payload, signature] = attacker.accessToken.split('.');
    const claims = decode(payload);
    const asVictim = encode({ ...claims, sub: decode(victim.accessToken.split('.')[1]).sub, role: 'ADMIN' });
    const forged = [
      `${header}.${asVictim}.${signature}`,
      `${header}.${asVictim}.${createHmac('sha256', 'guessed-secret').update(`${header}.${asVictim}`).digest('base64url')}`,
      `${encode({ alg: 'none', typ: 'JWT' })}.${asVictim}.`,
      `${encode({ alg: 'HS512', typ: 'JWT' })}.${asVictim}.${signature}`,
      'not.a.token',
      attacker.accessToken.slice(0, -2),
    ];
    for (const token of forged) {
      const result = await gql(url, '{ me { id } }', {}, token);
      expect(errorCode(result), token).toBe('UNAUTHENTICATED');
    }
    const malformed = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Token abc' }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(JSON.stringify(await malformed.json())).toContain('UNAUTHENTICATED');
  });

  it('an expired access token is refused; the refresh token gets a new one', async () => {
    const shortLived = await startApiServer({ env: { ACCESS_TOKEN_TTL: '5s' } });
    try {
      const at = shortLived.graphqlUrl;
      const user = await registerUser(at);
      expect((await gqlOk(at, '{ me { email } }', {}, user.accessToken)).me.email).toBe(user.email);
      const expiresAt = decode(user.accessToken.split('.')[1]).exp * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 1100));
      expect(errorCode(await gql(at, '{ me { email } }', {}, user.accessToken))).toBe('UNAUTHENTICATED');
      const { refreshToken } = await gqlOk(at, 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', { t: user.refreshToken });
      expect((await gqlOk(at, '{ me { email } }', {}, refreshToken.accessToken)).me.email).toBe(user.email);
    } finally {
      await shortLived.stop();
    }
  });

  it('reusing a rotated refresh token revokes the whole family', async () => {
    const user = await registerUser(url);
    const rotate = (t: string) => gql(url, 'mutation($t: String!) { refreshToken(refreshToken: $t) { refreshToken } }', { t });
    const second = (await rotate(user.refreshToken)).data!.refreshToken.refreshToken;
    const third = (await rotate(second)).data!.refreshToken.refreshToken;
    const replay = await rotate(user.refreshToken); // the stolen first token comes back
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0].message).toMatch(/used twice/);
    expect(errorCode(await rotate(third))).toBe('UNAUTHENTICATED'); // the legitimate chain ends too
    // Another sign-in of the same user is a different family and survives.
    const again = await gqlOk(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken } }', { e: user.email, p: user.password });
    expect((await rotate(again.login.refreshToken)).data?.refreshToken.refreshToken).toBeTruthy();
  });

  // Two concurrent refreshes with one token get the same pair: see refresh-reuse.test.ts.

  it('passwords are stored as bcrypt hashes, never in clear', async () => {
    const user = await registerUser(url);
    const row = await readUser(server.databaseUrl, user.email);
    expect(row.passwordHash).toMatch(/^\$2[aby]\$04\$/); // cost 4 here (BCRYPT_COST=4 in tests); 12 by default
    expect(row.passwordHash).not.toContain(user.password);
    expect(server.logs()).not.toContain(user.password);
  });
});

async function readUser(databaseUrl: string, email: string): Promise<{ passwordHash: string }> {
  if (databaseUrl.startsWith('postgres')) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query('SELECT "passwordHash" FROM "User" WHERE email = $1', [email])).rows[0];
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(databaseUrl.replace('file:', ''), { readonly: true });
  try {
    return db.prepare('SELECT passwordHash FROM User WHERE email = ?').get(email) as { passwordHash: string };
  } finally {
    db.close();
  }
}
