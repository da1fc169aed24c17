// SIGTERM (a deploy, a scale-down): the instance stops taking work, finishes the replies it is
// generating within SHUTDOWN_GRACE_MS, stops the rest as interrupted, and exits cleanly.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { fakeLlmEnv, sqliteDatabase, startStreamingReply } from '../support/steps.ts';

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
});
afterAll(() => fake?.close());
beforeEach(() => fake.reset());

/** The message as the stopped process left it in its SQLite file (read directly: nothing runs start-up recovery). */
function storedMessage(server: ApiServer, globalId: string) {
  const db = new Database(server.databaseUrl.replace(/^file:/, ''), { readonly: true });
  try {
    const id = atob(globalId).split(':')[1];
    return db.prepare('SELECT status, errorCode, text FROM Message WHERE id = ?').get(id);
  } finally {
    db.close();
  }
}

describe('SIGTERM mid-reply', () => {
  it('the reply completes, reaches its subscriber, and is stored COMPLETE before the process exits', async () => {
    const reply = 'one two three four five six seven eight nine ten';
    fake.enqueue({ reply, tokenDelayMs: 80 });
    const sqlite = await sqliteDatabase();
    const server = await startApiServer({ databaseUrl: sqlite.url, dataDir: sqlite.dir, env: fakeLlmEnv(fake) });
    try {
      const { events, botId } = await startStreamingReply(server);
      server.process.kill('SIGTERM');

      const end = await events.until((e) => ['MessageCompleted', 'MessageFailed'].includes(e.data?.sessionEvents.__typename));
      expect(end.data!.sessionEvents).toMatchObject({ __typename: 'MessageCompleted', message: { id: botId, status: 'COMPLETE', text: reply } });
      await server.kill('SIGTERM'); // waits for the exit
      events.close();
      expect(server.process.exitCode).toBe(0);
      expect(storedMessage(server, botId)).toEqual({ status: 'COMPLETE', errorCode: null, text: reply });
    } finally {
      await server.stop();
      sqlite.remove();
    }
  });

  it('a reply that outlasts SHUTDOWN_GRACE_MS is stopped, kept as far as it got, and stored FAILED (INTERRUPTED)', async () => {
    fake.enqueue({ reply: 'first second third fourth', tokenDelayMs: 5, hangAfterTokens: 2 });
    const sqlite = await sqliteDatabase();
    const server = await startApiServer({ databaseUrl: sqlite.url, dataDir: sqlite.dir, env: { ...fakeLlmEnv(fake), SHUTDOWN_GRACE_MS: '300' } });
    try {
      const { events, botId } = await startStreamingReply(server);
      const stoppedAt = Date.now();
      await server.kill('SIGTERM');
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
      expect(server.process.exitCode).toBe(0);
      const failed = events.events.map((e) => e.data?.sessionEvents).find((e) => e?.__typename === 'MessageFailed');
      events.close();
      expect(failed).toMatchObject({ messageId: botId, code: 'INTERRUPTED' });
      expect(fake.requests[0].aborted).toBe(true);
      expect(storedMessage(server, botId)).toEqual({ status: 'FAILED', errorCode: 'INTERRUPTED', text: 'first second ' });
    } finally {
      await server.stop();
      sqlite.remove();
    }
  });
});
