// On PostgreSQL other instances keep streaming while one dies: the survivors' sweep marks the dead
// instance's replies FAILED within a few heartbeats, and never a live reply, however quiet.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { gqlOk } from '../support/graphql-client.ts';
import { requireService } from '../support/services.ts';
import { SEND, eventually, fakeLlmEnv, messagesOf, newChat, startStreamingReply } from '../support/steps.ts';

const hasPostgres = requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'The orphan sweep on PostgreSQL');
const SLOW_REPLY = Array.from({ length: 40 }, (_, i) => `slow${i}`).join(' ');
const JWT_SECRET = 'orphan-sweep-test-secret-0123456789abcdef';

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
});
afterAll(() => fake?.close());
beforeEach(() => fake.reset());

describe.runIf(hasPostgres)('SIGKILL mid-reply on PostgreSQL', () => {
  const HEARTBEAT_MS = 200;
  let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
  let survivor: ApiServer;
  const env = () => ({ ...fakeLlmEnv(fake), JWT_SECRET, STREAM_HEARTBEAT_MS: String(HEARTBEAT_MS) });

  beforeAll(async () => {
    database = await freshPostgresDatabase();
    survivor = await startApiServer({ databaseUrl: database.url, env: env() });
  });
  afterAll(async () => {
    await survivor?.stop();
    await database?.drop();
  });

  it('another instance’s sweep marks the dead instance’s reply FAILED (INTERRUPTED) within a few heartbeats', async () => {
    fake.enqueue({ reply: SLOW_REPLY, tokenDelayMs: 100 });
    const doomed = await startApiServer({ databaseUrl: database.url, env: env() });
    const { chat, events, botId } = await startStreamingReply(doomed);
    await doomed.kill('SIGKILL');
    events.close();
    const killedAt = Date.now();
    try {
      const reply = await eventually(
        async () => (await messagesOf(survivor.graphqlUrl, chat.sessionId, chat.token)).find((m) => m.id === botId && m.status !== 'STREAMING'),
        10_000,
        'the orphaned reply to be swept',
      );
      expect(reply).toMatchObject({ status: 'FAILED', errorCode: 'INTERRUPTED' });
      expect(Date.now() - killedAt).toBeLessThan(20 * HEARTBEAT_MS);
      const [question] = await messagesOf(survivor.graphqlUrl, chat.sessionId, chat.token);
      expect(question).toMatchObject({ role: 'USER', status: 'COMPLETE', text: 'Please answer slowly' });
    } finally {
      await doomed.stop();
    }
  });

  it('a live reply that stays quiet for many heartbeats is never swept', async () => {
    // Quiet for 10 heartbeats before the first token: only the generator's heartbeats show it is alive
    // to the sweeps, which run every 3 heartbeats on every instance.
    fake.enqueue({ reply: 'Worth the wait', firstTokenDelayMs: 10 * HEARTBEAT_MS });
    const chat = await newChat(survivor.graphqlUrl);
    const { sendMessage } = await gqlOk(survivor.graphqlUrl, SEND, { s: chat.sessionId, t: 'Take your time', wait: true }, chat.token);
    expect(sendMessage.botMessage).toMatchObject({ status: 'COMPLETE', text: 'Worth the wait' });
  });
});
