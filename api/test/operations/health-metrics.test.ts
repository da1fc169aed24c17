// What a load balancer and Prometheus see: liveness, readiness that follows the database and Redis,
// and metrics for traffic, errors and replies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { SESSION_EVENTS, gql, gqlOk, sseSubscribe } from '../support/graphql-client.ts';
import { REDIS_URL, redisAvailable, requireService } from '../support/services.ts';
import { SEND, eventually, fakeLlmEnv, newChat, postGraphql, scrape } from '../support/steps.ts';

const ready =
  requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'Health and metrics on PostgreSQL + Redis') &&
  requireService('Redis at 127.0.0.1:6379', await redisAvailable(), 'Health and metrics on PostgreSQL + Redis');

const status = async (server: ApiServer, path: string) => {
  const response = await fetch(`${server.origin}${path}`);
  return { status: response.status, body: await response.json() };
};

describe.runIf(ready)('on PostgreSQL and Redis', () => {
  let fake: FakeLlmServer;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let server: ApiServer;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    database = await freshPostgresDatabase();
    server = await startApiServer({ databaseUrl: database.url, env: { ...fakeLlmEnv(fake), REDIS_URL, RATE_LIMIT_AUTH_PER_IP: '100000' } });
  });
  afterAll(async () => {
    await server?.stop();
    await fake?.close();
    await database?.drop();
  });

  it('/healthz and /readyz answer 200 while the database and Redis are up', async () => {
    expect(await status(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await status(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
  });

  it('/metrics counts operations by root field, errors by code, and replies: first token, duration, tokens, active streams', async () => {
    const chat = await newChat(server.graphqlUrl);
    const events = sseSubscribe(server.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
    await events.opened;
    await new Promise((r) => setTimeout(r, 100));
    expect((await scrape(server)).mbc_open_subscriptions).toBe(1);

    fake.enqueue({ reply: 'a measured reply', tokenDelayMs: 150, usage: { promptTokens: 11, completionTokens: 5 } });
    await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Measure me' }, chat.token);
    await events.until((e) => e.data?.sessionEvents.__typename === 'MessageDelta');
    expect((await scrape(server)).mbc_active_reply_streams).toBe(1);
    await events.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    events.close();

    expect(await gql(server.graphqlUrl, SEND, { s: btoa('ChatSession:missing'), t: 'hello' }, chat.token)).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    await postGraphql(server.graphqlUrl, { query: `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: me { id }`).join(' ')} }` });
    await postGraphql(server.graphqlUrl, 'x'.repeat(200_000));

    const metrics = await eventually(async () => {
      const m = await scrape(server);
      return m.mbc_open_subscriptions === 0 && m;
    });
    expect(metrics).toMatchObject({
      'mbc_graphql_operations_total{operation="sendMessage",type="mutation"}': 2,
      'mbc_graphql_operations_total{operation="sessionEvents",type="subscription"}': 1,
      'mbc_graphql_operations_total{operation="createSession",type="mutation"}': 1,
      'mbc_graphql_errors_total{code="NOT_FOUND"}': 1,
      'mbc_graphql_errors_total{code="QUERY_TOO_COMPLEX"}': 1,
      'mbc_graphql_errors_total{code="PAYLOAD_TOO_LARGE"}': 1,
      mbc_llm_first_token_seconds_count: 1,
      'mbc_llm_reply_seconds_count{status="COMPLETE"}': 1,
      'mbc_llm_tokens_total{kind="prompt"}': 11,
      'mbc_llm_tokens_total{kind="completion"}': 5,
      mbc_active_reply_streams: 0,
    });
    expect(metrics['mbc_llm_reply_seconds_sum{status="COMPLETE"}']).toBeGreaterThan(0.2); // two pauses of 150 ms
    expect(metrics.mbc_process_resident_memory_bytes).toBeGreaterThan(0);
  });

  it('/readyz answers 503 once the database is gone, fast, while /healthz stays 200', async () => {
    await database.drop();
    const startedAt = Date.now();
    expect(await status(server, '/readyz')).toEqual({ status: 503, body: { status: 'unavailable' } });
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(await status(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });
});

describe('with Redis unreachable', () => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer({ env: { REDIS_URL: 'redis://127.0.0.1:1', METRICS_TOKEN: 'scrape-token-0123456789' } });
  });
  afterAll(async () => {
    const stoppedAt = Date.now();
    await server?.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(5000); // no waiting on the unreachable Redis
  });

  it('/readyz answers 503 within its timeout, /healthz 200', async () => {
    const startedAt = Date.now();
    expect(await status(server, '/readyz')).toEqual({ status: 503, body: { status: 'unavailable' } });
    expect(Date.now() - startedAt).toBeLessThan(3000);
    expect(await status(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('the instance stays up and serves a whole chat on its own (rate limits fall back to memory)', async () => {
    const chat = await newChat(server.graphqlUrl);
    const { sendMessage } = await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Anyone there?', wait: true }, chat.token);
    expect(sendMessage.botMessage.status).toBe('COMPLETE');
    expect(server.process.exitCode).toBeNull();
  });

  it('/metrics wants the METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.origin}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(await scrape(server, { authorization: 'Bearer scrape-token-0123456789' })).toHaveProperty('mbc_active_reply_streams', 0);
  });
});
