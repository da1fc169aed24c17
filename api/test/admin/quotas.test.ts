// Daily quotas: messages counted when sent, a reply's tokens when it ends; QUOTA_EXCEEDED (with
// resetsAt) is distinct from RATE_LIMITED; overrides per user and per site; and the count holds when
// many sends race through two instances on one PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { errorCode, gql, gqlOk, registerUser, uniqueEmail } from '../support/graphql-client.ts';
import { REDIS_URL, redisAvailable, requireService } from '../support/services.ts';
import { SEND, newChat } from '../support/steps.ts';

const USAGE = '{ me { usage { messagesToday tokensToday limits { messagesPerDay tokensPerDay } resetsAt } } }';
const nextUtcMidnight = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
};

describe('quotas on one instance', () => {
  const ADMIN_EMAIL = uniqueEmail('quota-admin');
  let server: ApiServer;
  let url: string;
  let adminToken: string;

  beforeAll(async () => {
    server = await startApiServer({ env: { ADMIN_EMAILS: ADMIN_EMAIL, QUOTA_USER_MESSAGES_PER_DAY: '3', QUOTA_USER_TOKENS_PER_DAY: '100000', OFFLINE_CHUNK_DELAY_MS: '0' } });
    url = server.graphqlUrl;
    adminToken = (await registerUser(url, ADMIN_EMAIL)).accessToken;
  });
  afterAll(() => server?.stop());

  it('me.usage counts messages and the reply tokens, against the role default, resetting at UTC midnight', async () => {
    const chat = await newChat(url);
    const before = (await gqlOk(url, USAGE, {}, chat.token)).me.usage;
    expect(before).toEqual({ messagesToday: 0, tokensToday: 0, limits: { messagesPerDay: 3, tokensPerDay: 100000 }, resetsAt: nextUtcMidnight() });
    const sent = await gqlOk(url, SEND, { s: chat.sessionId, t: 'Hello there', wait: true }, chat.token);
    const reply = sent.sendMessage.botMessage;
    const after = (await gqlOk(url, USAGE, {}, chat.token)).me.usage;
    expect(after.messagesToday).toBe(1);
    expect(after.tokensToday).toBe(reply.promptTokens + reply.completionTokens);
    expect(after.tokensToday).toBeGreaterThan(0);
  });

  it('the send past the message quota is QUOTA_EXCEEDED with resetsAt, and stores nothing', async () => {
    const chat = await newChat(url);
    for (let i = 0; i < 3; i++) await gqlOk(url, SEND, { s: chat.sessionId, t: `question ${i}`, wait: true }, chat.token);
    const refused = await gql(url, SEND, { s: chat.sessionId, t: 'one more' }, chat.token);
    expect(errorCode(refused)).toBe('QUOTA_EXCEEDED');
    expect(refused.errors![0].extensions).toMatchObject({ quota: 'messages', resetsAt: nextUtcMidnight() });
    expect((await gqlOk(url, USAGE, {}, chat.token)).me.usage.messagesToday).toBe(3);
  });

  it('tokens are charged when a reply ends and checked before the next send', async () => {
    const chat = await newChat(url);
    await gqlOk(url, 'mutation($id: ID!) { setUserQuota(id: $id, quota: { messagesPerDay: 100, tokensPerDay: 1 }) { id } }', { id: chat.user.id }, adminToken);
    // The first send is allowed (nothing spent yet) and its reply finishes; its tokens cross the quota.
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'first', wait: true }, chat.token);
    const refused = await gql(url, SEND, { s: chat.sessionId, t: 'second' }, chat.token);
    expect(errorCode(refused)).toBe('QUOTA_EXCEEDED');
    expect(refused.errors![0].extensions!.quota).toBe('tokens');
  });

  it("a user's override beats the default, and clearing it restores the default; admins have no quota", async () => {
    const chat = await newChat(url);
    await gqlOk(url, 'mutation($id: ID!) { setUserQuota(id: $id, quota: { messagesPerDay: 7 }) { quotaOverride { messagesPerDay tokensPerDay } } }', { id: chat.user.id }, adminToken);
    expect((await gqlOk(url, USAGE, {}, chat.token)).me.usage.limits.messagesPerDay).toBe(7);
    await gqlOk(url, 'mutation($id: ID!) { setUserQuota(id: $id, quota: {}) { id } }', { id: chat.user.id }, adminToken);
    expect((await gqlOk(url, USAGE, {}, chat.token)).me.usage.limits.messagesPerDay).toBe(3);
    expect((await gqlOk(url, USAGE, {}, adminToken)).me.usage.limits).toBeNull();
  });

  it('a negative quota is BAD_USER_INPUT naming the field', async () => {
    const user = await registerUser(url);
    const result = await gql(url, 'mutation($id: ID!) { setUserQuota(id: $id, quota: { messagesPerDay: -1 }) { id } }', { id: user.user.id }, adminToken);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.field).toBe('messagesPerDay');
  });
});

const ready =
  requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'Quotas across two instances') &&
  requireService('Redis at 127.0.0.1:6379', await redisAvailable(), 'Quotas across two instances');

describe.runIf(ready)('quotas across two instances on one PostgreSQL', () => {
  const QUOTA = 5;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let a: ApiServer;
  let b: ApiServer;

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    const env = {
      REDIS_URL,
      JWT_SECRET: 'quota-test-secret-0123456789abcdef0123456789',
      QUOTA_USER_MESSAGES_PER_DAY: String(QUOTA),
      RATE_LIMIT_SENDS_PER_MINUTE: '1000',
      RATE_LIMIT_CONCURRENT_REPLIES: '100',
      RATE_LIMIT_AUTH_PER_IP: '100000',
    };
    [a, b] = await Promise.all([startApiServer({ databaseUrl: database.url, env }), startApiServer({ databaseUrl: database.url, env })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  it('twenty sends at once, split between the instances, store exactly the quota', async () => {
    const chat = await newChat(a.graphqlUrl);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gql((i % 2 ? b : a).graphqlUrl, SEND, { s: chat.sessionId, t: `race ${i}` }, chat.token)),
    );
    const codes = results.map((r) => errorCode(r) ?? 'OK');
    expect(codes.filter((c) => c === 'OK')).toHaveLength(QUOTA);
    expect(codes.filter((c) => c === 'QUOTA_EXCEEDED')).toHaveLength(20 - QUOTA);
    expect((await gqlOk(b.graphqlUrl, USAGE, {}, chat.token)).me.usage.messagesToday).toBe(QUOTA);
  });
});
