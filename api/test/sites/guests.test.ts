// Guests: a visitor of a site that allows it chats at once; guests have their own limits, are
// deleted after a period without activity, and keep every chat when they sign in to an account
// (on SQLite and PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { runSql } from '../support/databases.ts';
import { errorCode, gqlOk, registerUser } from '../support/graphql-client.ts';
import { adminOf, createSite, fromSite, START_GUEST } from './helpers.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let site: { key: string };
let closed: { key: string };
let supportId: string;

const GUEST_ENV = {
  RATE_LIMIT_GUEST_CONCURRENT_REPLIES: '1',
  RATE_LIMIT_GUEST_MESSAGES_PER_DAY: '3',
  RATE_LIMIT_GUEST_SENDS_PER_MINUTE: '100',
};

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({ env: { LLM_PROVIDER: 'groq', GROQ_API_KEY: 'test-key', GROQ_BASE_URL: fake.url, ...GUEST_ENV } });
  const admin = await adminOf(server);
  site = { key: (await createSite(server, admin.accessToken, { name: 'Open shop', allowGuests: true })).publicKey };
  closed = { key: (await createSite(server, admin.accessToken, { name: 'Members only' })).publicKey };
  const { bots } = await gqlOk(server.graphqlUrl, '{ bots { id name } }', {}, admin.accessToken);
  supportId = bots.find((b: any) => b.name === 'Support').id;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

async function startGuest() {
  const result = await fromSite(server, site, START_GUEST);
  return result.data.startGuest as { accessToken: string; refreshToken: string; user: { id: string; role: string } };
}

const NEW_SESSION = 'mutation($b: ID!) { createSession(botId: $b) { id } }';
const SEND = 'mutation($s: ID!, $t: String!, $w: Boolean) { sendMessage(sessionId: $s, text: $t, wait: $w) { userMessage { id } botMessage { id status } } }';

describe('guests', () => {
  it('start at once on a site that allows them, with no e-mail or password, and chat', async () => {
    fake.script({ reply: 'Hello, guest.' });
    const guest = await startGuest();
    expect(guest.user).toMatchObject({ role: 'GUEST', email: null });
    const session = await fromSite(server, site, NEW_SESSION, { b: supportId }, guest.accessToken);
    const sent = await fromSite(server, site, SEND, { s: session.data.createSession.id, t: 'Where is my order?', w: true }, guest.accessToken);
    expect(sent.data.sendMessage.botMessage.status).toBe('COMPLETE');
    // Refresh works as for anyone.
    const refreshed = await fromSite(server, site, 'mutation($r: String!) { refreshToken(refreshToken: $r) { user { role } } }', { r: guest.refreshToken });
    expect(refreshed.data.refreshToken.user.role).toBe('GUEST');
  });

  it('are refused on a site that does not allow them', async () => {
    expect(errorCode(await fromSite(server, closed, START_GUEST))).toBe('FORBIDDEN');
  });

  it('have their own limits: one reply at a time, a few messages a day, RATE_LIMITED with retryAfter', async () => {
    fake.script({ tokens: 200, tokenDelayMs: 10 });
    const guest = await startGuest();
    const session = (await fromSite(server, site, NEW_SESSION, { b: supportId }, guest.accessToken)).data.createSession.id;
    const first = await fromSite(server, site, SEND, { s: session, t: 'one' }, guest.accessToken);
    expect(errorCode(first)).toBeUndefined();
    const second = await fromSite(server, site, SEND, { s: session, t: 'two' }, guest.accessToken);
    expect(errorCode(second)).toBe('RATE_LIMITED');
    expect(second.errors![0].message).toMatch(/your other reply/);
    expect(second.errors![0].extensions!.retryAfter).toBeGreaterThan(0);

    fake.script({ reply: 'short' });
    const cancel = 'mutation($m: ID!) { cancelReply(messageId: $m) { status } }';
    await fromSite(server, site, cancel, { m: first.data.sendMessage.botMessage.id }, guest.accessToken); // the long reply ends
    for (const text of ['two', 'three']) {
      expect(errorCode(await fromSite(server, site, SEND, { s: session, t: text, w: true }, guest.accessToken))).toBeUndefined();
    }
    const fourth = await fromSite(server, site, SEND, { s: session, t: 'four', w: true }, guest.accessToken);
    expect(errorCode(fourth)).toBe('RATE_LIMITED');
    expect(fourth.errors![0].extensions!.retryAfter).toBeGreaterThan(23 * 3600);
  });

  it('cannot make bots of their own', async () => {
    const guest = await startGuest();
    const result = await fromSite(server, site, 'mutation { createBot(input: { name: "Mine", systemPrompt: "Hi." }) { id } }', {}, guest.accessToken);
    expect(errorCode(result)).toBe('FORBIDDEN');
  });
});

describe('a guest who signs in', () => {
  async function guestWithChats() {
    fake.script({ reply: 'Noted.' });
    const guest = await startGuest();
    const sessionIds: string[] = [];
    for (const text of ['My name is Ana', 'Second chat']) {
      const session = (await fromSite(server, site, NEW_SESSION, { b: supportId }, guest.accessToken)).data.createSession.id;
      await fromSite(server, site, SEND, { s: session, t: text, w: true }, guest.accessToken);
      sessionIds.push(session);
    }
    return { guest, sessionIds };
  }

  async function sessionsOf(token: string) {
    const { sessions } = await gqlOk(server.graphqlUrl, '{ sessions(first: 10) { edges { node { id messages(first: 5) { edges { node { role } } } } } } }', {}, token);
    return sessions.edges.map((e: any) => e.node);
  }

  it('by creating an account keeps every chat, exactly once; the guest tokens stop working', async () => {
    const { guest, sessionIds } = await guestWithChats();
    const registered = await fromSite(server, site, 'mutation { register(email: "ana-upgrade@example.com", password: "correct horse battery") { accessToken } }', {}, guest.accessToken);
    const token = registered.data.register.accessToken;
    const sessions = await sessionsOf(token);
    expect(sessions.map((s: any) => s.id).sort()).toEqual([...sessionIds].sort());
    expect(sessions.flatMap((s: any) => s.messages.edges)).toHaveLength(4);
    expect((await gqlOk(server.graphqlUrl, '{ memories { key value } }', {}, token)).memories).toEqual([{ key: 'name', value: 'Ana' }]);
    expect(errorCode(await fromSite(server, site, '{ me { id } }', {}, guest.accessToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await fromSite(server, site, 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', { r: guest.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('to an existing account adds the chats to the ones it has', async () => {
    const account = await registerUser(server.graphqlUrl);
    const { createSession } = await gqlOk(server.graphqlUrl, NEW_SESSION, { b: supportId }, account.accessToken);
    const { guest, sessionIds } = await guestWithChats();
    const login = await fromSite(server, site, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: account.email, p: account.password }, guest.accessToken);
    const sessions = await sessionsOf(login.data.login.accessToken);
    expect(sessions.map((s: any) => s.id).sort()).toEqual([createSession.id, ...sessionIds].sort());
  });
});

describe('retention', () => {
  it('deletes guests idle past GUEST_RETENTION, with their chats, and nothing else', async () => {
    const local = await startApiServer({ env: { GUEST_RETENTION: '1h' } });
    try {
      const admin = await adminOf(local);
      const key = (await createSite(local, admin.accessToken, { name: 'Short memory', allowGuests: true })).publicKey;
      const idle = (await fromSite(local, { key }, START_GUEST)).data.startGuest;
      const { bots } = await gqlOk(local.graphqlUrl, '{ bots { id } }', {}, admin.accessToken);
      await fromSite(local, { key }, NEW_SESSION, { b: bots[0].id }, idle.accessToken);
      const account = await registerUser(local.graphqlUrl);
      const fresh = (await fromSite(local, { key }, START_GUEST)).data.startGuest;
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
      await runSql(local.databaseUrl, `UPDATE "User" SET "lastActiveAt" = $1 WHERE "id" = $2`, [sqlDate(local, twoHoursAgo), Buffer.from(idle.user.id, 'base64').toString().split(':')[1]]);
      await runSql(local.databaseUrl, `UPDATE "User" SET "lastActiveAt" = $1 WHERE "email" = $2`, [sqlDate(local, twoHoursAgo), account.email]);

      await local.kill('SIGTERM');
      const restarted = await startApiServer({ databaseUrl: local.databaseUrl, dataDir: local.dataDir, env: { GUEST_RETENTION: '1h' } }); // the sweep runs at start-up
      try {
        expect(errorCode(await fromSite(restarted, { key }, '{ me { id } }', {}, idle.accessToken))).toBe('UNAUTHENTICATED');
        expect((await fromSite(restarted, { key }, '{ me { role } }', {}, fresh.accessToken)).data.me.role).toBe('GUEST');
        // An idle account is not a guest: it stays.
        expect((await gqlOk(restarted.graphqlUrl, '{ me { email } }', {}, account.accessToken)).me.email).toBe(account.email);
        expect((await gqlOk(restarted.graphqlUrl, '{ me { role } }', {}, admin.accessToken)).me.role).toBe('ADMIN');
      } finally {
        await restarted.stop();
      }
    } finally {
      await local.stop();
    }
  });
});

/** A time as the database stores it: Prisma's SQLite adapter writes ISO 8601 text with +00:00, PostgreSQL a timestamp. */
function sqlDate(server: ApiServer, date: Date): string | Date {
  return server.databaseUrl.startsWith('file:') ? date.toISOString().replace('Z', '+00:00') : date;
}
