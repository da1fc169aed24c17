// Redis dies while replies stream, stays away a while, and comes back empty: an instance with
// REDIS_URL keeps serving the whole time. The Redis here is the suite's own (killed with SIGKILL
// and restarted on its port); the API runs on SQLite or, with TEST_DATABASE=postgresql, PostgreSQL.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { SESSION_EVENTS, errorCode, gql, gqlOk, sseSubscribe } from '../support/graphql-client.ts';
import { SEND, eventually, fakeLlmEnv, newChat, pause } from '../support/steps.ts';
import { requireService } from '../support/services.ts';
import { type OwnRedis, redisServerInstalled, startOwnRedis } from './redis-server.ts';

const SENDS_PER_MINUTE = 3;
const REPLY = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
  fake.script({ reply: REPLY, tokenDelayMs: 25 }); // ~1 s per reply: long enough to kill Redis mid-stream
});
afterAll(() => fake?.close());

/** A chat on `server` with an open subscription, ready for a send. */
async function subscribedChat(server: ApiServer) {
  const chat = await newChat(server.graphqlUrl);
  const events = sseSubscribe(server.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
  await events.opened;
  await pause(100); // the subscription is registered once the stream is open
  return { ...chat, stream: events };
}

/** Waits for the reply's end on the subscription and checks that every delta arrived, in order. */
async function expectWholeReply(chat: Awaited<ReturnType<typeof subscribedChat>>, botId: string) {
  await chat.stream.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted', 15_000);
  const deltas = chat.stream.events.map((e) => e.data!.sessionEvents).filter((e) => e.__typename === 'MessageDelta' && e.messageId === botId);
  expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i + 1));
  expect(deltas.map((d) => d.text).join('')).toBe(REPLY);
}

async function readyStatus(server: ApiServer): Promise<number> {
  return (await fetch(`${server.origin}/readyz`)).status;
}

const ownRedis = requireService('the redis-server binary', redisServerInstalled(), 'Redis going away while the API runs');

describe.runIf(ownRedis)('Redis going away while the instance runs', () => {
  let redis: OwnRedis;
  let server: ApiServer;
  beforeAll(async () => {
    redis = await startOwnRedis();
    server = await startApiServer({
      env: {
        ...fakeLlmEnv(fake),
        REDIS_URL: redis.url,
        RATE_LIMIT_SENDS_PER_MINUTE: String(SENDS_PER_MINUTE),
        RATE_LIMIT_CONCURRENT_REPLIES: '10',
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.kill();
  });

  it('replies streaming when Redis is killed reach their subscribers on the same instance whole and in order', async () => {
    const chats = await Promise.all([0, 1, 2].map(() => subscribedChat(server)));
    const botIds = await Promise.all(
      chats.map(async (chat) => (await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Forty words, please' }, chat.token)).sendMessage.botMessage.id as string),
    );
    await Promise.all(chats.map((chat) => chat.stream.until((e) => e.data?.sessionEvents.__typename === 'MessageDelta')));

    await redis.kill('SIGKILL');
    await Promise.all(chats.map((chat, i) => expectWholeReply(chat, botIds[i])));
    chats.forEach((chat) => chat.stream.close());
    expect(server.process.exitCode).toBeNull();
  });

  it('while Redis is down, the instance is not ready but serves a new chat whose reply streams', async () => {
    expect(await readyStatus(server)).toBe(503);
    const chat = await subscribedChat(server);
    const startedAt = Date.now();
    const sent = await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Still there?' }, chat.token);
    expect(Date.now() - startedAt).toBeLessThan(2000); // no waiting on Redis's reconnection attempts
    await expectWholeReply(chat, sent.sendMessage.botMessage.id);
    chat.stream.close();
  });

  it('while Redis is down, rate limits still hold, counted in memory', async () => {
    const chat = await newChat(server.graphqlUrl);
    for (let i = 0; i < SENDS_PER_MINUTE; i++) {
      await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: `Message ${i}` }, chat.token);
    }
    const refused = await gql(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'One too many' }, chat.token);
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    expect(refused.errors![0].extensions!.retryAfter).toBeGreaterThan(0);
  });

  it('when Redis comes back, the instance is ready again and rate limits count in Redis again', async () => {
    await redis.restart();
    await eventually(async () => (await readyStatus(server)) === 200, 15_000, '/readyz 200 after Redis returned');

    const chat = await subscribedChat(server);
    const sent = await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Back to normal?' }, chat.token);
    await expectWholeReply(chat, sent.sendMessage.botMessage.id);
    chat.stream.close();

    // The restarted Redis started empty: a send counter in it was written after the return.
    const client = new Redis(redis.url);
    try {
      expect(await client.keys('mbc:send-user:*')).toHaveLength(1);
    } finally {
      client.disconnect();
    }
    expect(server.process.exitCode).toBeNull();
    // The outage was warned about, and nothing failed at error level.
    expect(server.logs()).toContain('redis connection error');
    expect(server.logs()).not.toMatch(/"level":(50|60)/);
  });
});

const twoInstances = ownRedis && requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'Two instances across a Redis outage');

describe.runIf(twoInstances)('two instances across a Redis outage', () => {
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let shared: OwnRedis;
  let a: ApiServer;
  let b: ApiServer;
  beforeAll(async () => {
    [database, shared] = await Promise.all([freshPostgresDatabase(), startOwnRedis()]);
    const env = { ...fakeLlmEnv(fake), REDIS_URL: shared.url, JWT_SECRET: 'redis-outage-test-secret-0123456789abcdef' };
    [a, b] = await Promise.all([startApiServer({ databaseUrl: database.url, env }), startApiServer({ databaseUrl: database.url, env })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await shared?.kill();
    await database?.drop();
  });

  it('once Redis is back, a subscription on A again receives the reply generated on B', async () => {
    const chat = await newChat(a.graphqlUrl);
    await shared.kill('SIGKILL');
    await pause(500);
    await shared.restart();
    for (const instance of [a, b]) {
      await eventually(async () => (await fetch(`${instance.origin}/readyz`)).status === 200, 15_000, '/readyz 200 after Redis returned');
    }

    const onA = sseSubscribe(a.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
    await onA.opened;
    await pause(200); // re-subscribed through Redis once the stream is open
    const sent = await gqlOk(b.graphqlUrl, SEND, { s: chat.sessionId, t: 'Across instances again' }, chat.token);
    await expectWholeReply({ ...chat, stream: onA }, sent.sendMessage.botMessage.id);
    onA.close();
  });
});
