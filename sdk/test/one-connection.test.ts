// Every followed session over one event connection (viewerEvents), against a real API: many chats
// share it, a cut connection resumes each of them by seq, and it closes when nothing follows.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../api/test/support/fake-llm-server';
import type { ChatClient, Message, SessionEvent } from '../src';
import { type ApiServer, clientOf, PASSWORD, signedInClient, startApi } from './support/api';
import { recordingFetch } from './support/fetches';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

const REPLY = Array.from({ length: 30 }, (_, index) => `word${index + 1}`).join(' ');

let fake: FakeLlmServer;
let server: ApiServer;
let proxy: TcpProxy;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApi({
    LLM_PROVIDER: 'groq',
    GROQ_API_KEY: 'test',
    GROQ_BASE_URL: fake.url,
    LLM_RETRIES: '0',
    STREAM_FLUSH_MS: '50',
    RATE_LIMIT_CONCURRENT_REPLIES: '20',
  });
  proxy = await startTcpProxy(server.origin);
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.script({ reply: REPLY, tokenDelayMs: 15 }));

async function sessionsOf(chat: ChatClient, count: number): Promise<string[]> {
  const [bot] = await chat.bots.list();
  return Promise.all(Array.from({ length: count }, async () => (await chat.sessions.create({ botId: bot!.id })).id));
}

async function openSubscriptions(): Promise<number> {
  const text = await (await fetch(`${server.origin}/metrics`)).text();
  return Number(/^mbc_open_subscriptions (\d+)/m.exec(text)?.[1]);
}

/** Follows `sessionIds` until each has a completed bot reply; returns every event by session. */
function watch(chat: ChatClient, sessionIds: string[]) {
  const controller = new AbortController();
  const events = new Map<string, SessionEvent[]>(sessionIds.map((id) => [id, []]));
  const done = Promise.all(
    sessionIds.map(async (sessionId) => {
      for await (const event of chat.messages.subscribe(sessionId, { signal: controller.signal })) {
        events.get(sessionId)!.push(event);
        if (event.type === 'completed' && event.message.role === 'BOT') return event.message;
      }
      throw new Error(`the stream of ${sessionId} ended without a reply`);
    }),
  );
  return { events, done, stop: () => controller.abort() };
}

const textOf = (events: SessionEvent[]) => events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
const seqsOf = (events: SessionEvent[]) => events.flatMap((e) => (e.type === 'delta' ? [e.seq] : []));

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('one event connection per client', () => {
  test('ten chats followed at once share one connection, and every reply arrives whole', async () => {
    const recorder = recordingFetch();
    const chat = await signedInClient(server, { fetch: recorder.fetch });
    const sessions = await sessionsOf(chat, 10);
    const watching = watch(chat, sessions);
    await until(async () => (await openSubscriptions()) === 1);

    const sent = await Promise.all(sessions.map((sessionId, i) => chat.messages.send({ sessionId, text: `hello ${i}` }).done));
    const replies: Message[] = await watching.done;

    expect(recorder.count('ViewerEvents')).toBe(1);
    for (const [i, sessionId] of sessions.entries()) {
      expect(replies[i]!.id).toBe(sent[i]!.id);
      expect(textOf(watching.events.get(sessionId)!)).toBe(REPLY);
    }
    watching.stop();
    await until(async () => (await openSubscriptions()) === 0); // nothing follows: the connection closes
  });

  test('after a cut connection, each followed session resumes by seq without gaps or repeats', async () => {
    const owner = await signedInClient(server);
    const recorder = recordingFetch();
    const viaProxy = clientOf(server, { url: proxy.graphqlUrl, fetch: recorder.fetch, reconnect: { attempts: 3, delayMs: 20 } });
    await viaProxy.auth.login({ email: owner.auth.user!.email!, password: PASSWORD });
    const sessions = await sessionsOf(owner, 3);
    const watching = watch(viaProxy, sessions);
    await until(async () => (await openSubscriptions()) === 1);

    const first = sessions[0]!;
    let cut = 0;
    const cutting = (async () => {
      await until(async () => seqsOf(watching.events.get(first)!).length >= 4);
      cut = proxy.cutStreams();
    })();
    await Promise.all(sessions.map((sessionId) => owner.messages.send({ sessionId, text: 'a long story' }).done));
    await cutting;
    await watching.done;

    expect(cut).toBe(1);
    expect(recorder.count('ViewerEvents')).toBe(2); // one connection, reopened once: not one per session
    for (const sessionId of sessions) {
      const events = watching.events.get(sessionId)!;
      expect(textOf(events)).toBe(REPLY);
      const seqs = seqsOf(events);
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    }
    watching.stop();
  });
});
