// Two API instances as separate processes on one PostgreSQL and one Redis, as behind a load balancer:
// whichever instance a request reaches, the user sees one system.
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { MESSAGE_FIELDS, SESSION_EVENTS, VIEWER_EVENTS, errorCode, gql, gqlOk, sseSubscribe } from '../support/graphql-client.ts';
import { REDIS_URL, redisAvailable, requireService } from '../support/services.ts';
import { SEND, eventually, fakeLlmEnv, messagesOf, newChat } from '../support/steps.ts';

const ready =
  requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'Two instances on one PostgreSQL + Redis') &&
  requireService('Redis at 127.0.0.1:6379', await redisAvailable(), 'Two instances on one PostgreSQL + Redis');

const SENDS_PER_MINUTE = 4;
const POOL_SIZE = 3;

describe.runIf(ready)('two instances on one PostgreSQL and Redis', () => {
  let fake: FakeLlmServer;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let a: ApiServer;
  let b: ApiServer;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    database = await freshPostgresDatabase();
    const env = {
      ...fakeLlmEnv(fake),
      REDIS_URL,
      // Tokens signed by one instance are checked by the other: they share the secret, as in production.
      JWT_SECRET: 'multi-instance-test-secret-0123456789abcdef',
      RATE_LIMIT_SENDS_PER_MINUTE: String(SENDS_PER_MINUTE),
      RATE_LIMIT_CONCURRENT_REPLIES: '2',
      // Redis keeps counting across test runs from this one address; sign-ups here are not the subject.
      RATE_LIMIT_AUTH_PER_IP: '100000',
      DATABASE_POOL_SIZE: String(POOL_SIZE),
    };
    [a, b] = await Promise.all([
      startApiServer({ databaseUrl: database.url, env }),
      startApiServer({ databaseUrl: database.url, env }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await fake?.close();
    await database?.drop();
  });
  beforeEach(() => fake.reset());

  it('a subscription on A receives, in order and complete, the reply generated on B', async () => {
    const chat = await newChat(a.graphqlUrl);
    const reply = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
    fake.enqueue({ reply, tokenDelayMs: 5 });

    const onA = sseSubscribe(a.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
    await onA.opened;
    await new Promise((r) => setTimeout(r, 100)); // the Redis subscription is in place once the stream is open
    const sent = await gqlOk(b.graphqlUrl, SEND, { s: chat.sessionId, t: 'Tell me thirty words' }, chat.token);
    const botId = sent.sendMessage.botMessage.id;

    const completed = await onA.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    onA.close();
    const events = onA.events.map((e) => e.data!.sessionEvents);
    expect(events.filter((e) => e.__typename === 'MessageAdded').map((e) => e.message.role)).toEqual(['USER', 'BOT']);
    const deltas = events.filter((e) => e.__typename === 'MessageDelta');
    expect(deltas.every((d) => d.messageId === botId)).toBe(true);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i + 1));
    expect(deltas.map((d) => d.text).join('')).toBe(reply);

    const stored = (await messagesOf(a.graphqlUrl, chat.sessionId, chat.token)).find((m) => m.id === botId);
    expect(stored).toMatchObject({ status: 'COMPLETE', text: reply, seq: deltas.length });
    expect(completed.data!.sessionEvents.message).toMatchObject({ id: botId, status: 'COMPLETE', text: reply });
  });

  it("viewerEvents on A receives the reply generated on B, each event naming the session", async () => {
    const chat = await newChat(a.graphqlUrl);
    const reply = 'one two three four five';
    fake.enqueue({ reply, tokenDelayMs: 5 });
    const onA = sseSubscribe(a.graphqlUrl, VIEWER_EVENTS, {}, chat.token);
    await onA.opened;
    await new Promise((r) => setTimeout(r, 100)); // the Redis subscription is in place once the stream is open
    const sent = await gqlOk(b.graphqlUrl, SEND, { s: chat.sessionId, t: 'Five words' }, chat.token);
    const botId = sent.sendMessage.botMessage.id;
    await onA.until((e) => e.data?.viewerEvents.event.__typename === 'MessageCompleted');
    onA.close();
    const events = onA.events.map((e) => e.data!.viewerEvents);
    expect(new Set(events.map((e) => e.sessionId))).toEqual(new Set([chat.sessionId]));
    const deltas = events.map((e) => e.event).filter((e) => e.__typename === 'MessageDelta' && e.messageId === botId);
    expect(deltas.map((d) => d.text).join('')).toBe(reply);
  });

  it('a cancel sent to A stops the reply B is generating, and B aborts the model request', async () => {
    const chat = await newChat(a.graphqlUrl);
    fake.enqueue({ reply: 'one two three four five six', tokenDelayMs: 5, hangAfterTokens: 3 });
    const sent = await gqlOk(b.graphqlUrl, SEND, { s: chat.sessionId, t: 'Start and stall' }, chat.token);
    const botId = sent.sendMessage.botMessage.id;
    // B has saved part of the reply, so it is mid-stream.
    await eventually(async () => (await messagesOf(a.graphqlUrl, chat.sessionId, chat.token)).find((m) => m.id === botId && m.seq > 0), 10_000, 'partial text');

    const { cancelReply } = await gqlOk(a.graphqlUrl, `mutation($id: ID!) { cancelReply(messageId: $id) { ${MESSAGE_FIELDS} } }`, { id: botId }, chat.token);
    expect(cancelReply).toMatchObject({ id: botId, status: 'CANCELLED', text: 'one two three ' });
    await fake.requests[0].done;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('deleting on A a session whose reply B is generating stops B, and A\'s subscriber gets SessionDeleted', async () => {
    const chat = await newChat(a.graphqlUrl);
    fake.enqueue({ reply: 'one two three four five six', tokenDelayMs: 5, hangAfterTokens: 3 });
    const onA = sseSubscribe(a.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
    await onA.opened;
    await new Promise((r) => setTimeout(r, 100)); // the Redis subscription is in place once the stream is open
    const sent = await gqlOk(b.graphqlUrl, SEND, { s: chat.sessionId, t: 'Start and stall' }, chat.token);
    const botId = sent.sendMessage.botMessage.id;
    await eventually(async () => (await messagesOf(a.graphqlUrl, chat.sessionId, chat.token)).find((m) => m.id === botId && m.seq > 0), 10_000, 'partial text');

    await gqlOk(a.graphqlUrl, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: chat.sessionId }, chat.token);
    await onA.until((e) => e.data?.sessionEvents.__typename === 'SessionDeleted');
    await onA.ended;
    await fake.requests[0].done;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('sends per minute are counted across both instances', async () => {
    const chat = await newChat(a.graphqlUrl);
    for (let i = 0; i < SENDS_PER_MINUTE; i++) {
      const instance = i % 2 === 0 ? a : b;
      await gqlOk(instance.graphqlUrl, SEND, { s: chat.sessionId, t: `message ${i}`, wait: true }, chat.token);
    }
    for (const instance of [a, b]) {
      const refused = await gql(instance.graphqlUrl, SEND, { s: chat.sessionId, t: 'one too many' }, chat.token);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
      expect(refused.errors![0].extensions!.retryAfter).toBeGreaterThan(0);
    }
    expect(await messagesOf(b.graphqlUrl, chat.sessionId, chat.token)).toHaveLength(2 * SENDS_PER_MINUTE);
  });

  it('replies streaming at once are counted across both instances', async () => {
    const chat = await newChat(a.graphqlUrl);
    const second = await gqlOk(a.graphqlUrl, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: chat.botId }, chat.token);
    fake.script({ hangAfterTokens: 1 });
    const first = await gqlOk(a.graphqlUrl, SEND, { s: chat.sessionId, t: 'one' }, chat.token);
    const other = await gqlOk(b.graphqlUrl, SEND, { s: second.createSession.id, t: 'two' }, chat.token);

    const third = await gql(a.graphqlUrl, SEND, { s: chat.sessionId, t: 'three' }, chat.token);
    expect(errorCode(third)).toBe('RATE_LIMITED');

    for (const id of [first.sendMessage.botMessage.id, other.sendMessage.botMessage.id]) {
      await gqlOk(b.graphqlUrl, 'mutation($id: ID!) { cancelReply(messageId: $id) { status } }', { id }, chat.token);
    }
  });

  it(`each instance keeps at most DATABASE_POOL_SIZE (${POOL_SIZE}) connections, however many requests arrive`, async () => {
    const chat = await newChat(a.graphqlUrl);
    const burst = [a, b].flatMap((instance) =>
      Array.from({ length: 30 }, () => gqlOk(instance.graphqlUrl, '{ sessions(first: 5) { edges { node { id title } } } }', {}, chat.token)),
    );
    await Promise.all(burst);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      expect(rows[0].n).toBeGreaterThanOrEqual(2);
      expect(rows[0].n).toBeLessThanOrEqual(2 * POOL_SIZE);
    } finally {
      await admin.end();
    }
  });
});
