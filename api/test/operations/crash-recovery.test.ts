// An instance that dies mid-reply never leaves a reply spinning forever: on SQLite (one instance)
// the restart marks it FAILED at once. (PostgreSQL: orphan-sweep.test.ts; SIGTERM: graceful-shutdown.test.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { fakeLlmEnv, messagesOf, sqliteDatabase, startStreamingReply } from '../support/steps.ts';

const SLOW_REPLY = Array.from({ length: 40 }, (_, i) => `slow${i}`).join(' ');

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
});
afterAll(() => fake?.close());
beforeEach(() => fake.reset());

describe('SIGKILL mid-reply on SQLite', () => {
  it('after restart the question is kept and the reply is FAILED (INTERRUPTED) at once', async () => {
    fake.enqueue({ reply: SLOW_REPLY, tokenDelayMs: 100 });
    const sqlite = await sqliteDatabase();
    const first = await startApiServer({ databaseUrl: sqlite.url, dataDir: sqlite.dir, env: fakeLlmEnv(fake) });
    const { chat, events, botId } = await startStreamingReply(first);
    await first.kill('SIGKILL');
    events.close();

    const restarted = await startApiServer({ databaseUrl: sqlite.url, dataDir: sqlite.dir, env: fakeLlmEnv(fake) });
    try {
      const [question, reply] = await messagesOf(restarted.graphqlUrl, chat.sessionId, chat.token);
      expect(question).toMatchObject({ role: 'USER', status: 'COMPLETE', text: 'Please answer slowly' });
      expect(reply).toMatchObject({ id: botId, role: 'BOT', status: 'FAILED', errorCode: 'INTERRUPTED' });
    } finally {
      await restarted.stop();
      sqlite.remove();
    }
  });
});
