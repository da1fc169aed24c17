// Streaming replies against a real API and the fake Groq server: broken connections, resume,
// giving up, abort, cancel, failure and retry.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../api/test/support/fake-llm-server';
import { AbortError, type ChatClient, type Message, NetworkError, ReplyFailedError, type SessionEvent } from '../src';
import { type ApiServer, clientOf, PASSWORD, signedInClient, startApi } from './support/api';
import { recordingFetch, streamBreakingFetch } from './support/fetches';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

const REPLY = Array.from({ length: 40 }, (_, index) => `word${index + 1}`).join(' ');

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
    LLM_RETRY_BASE_MS: '10',
    STREAM_FLUSH_MS: '50',
  });
  proxy = await startTcpProxy(server.origin);
});
afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.script({ reply: REPLY, tokenDelayMs: 15 }));
afterEach(() => {
  fake.reset();
  proxy.refuse(false);
});

async function sessionFor(chat: ChatClient): Promise<string> {
  const [support] = await chat.bots.list();
  return (await chat.sessions.create({ botId: support!.id })).id;
}

/** A second client of the same user, e.g. through the proxy or with a disturbed fetch. */
async function sameUser(chat: ChatClient, options: Parameters<typeof clientOf>[1]): Promise<ChatClient> {
  const other = clientOf(server, options);
  await other.auth.login({ email: chat.auth.user!.email!, password: PASSWORD });
  return other;
}

const deltasOf = (events: SessionEvent[]) => events.filter((event) => event.type === 'delta');
const textOf = (events: SessionEvent[]) => deltasOf(events).map((event) => event.text).join('');

/** Every seq appears once and in increasing order (a resumed delta may skip ahead, never back). */
function expectNoRepeats(events: SessionEvent[]) {
  const seqs = deltasOf(events).map((event) => event.seq);
  expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a reply whose connection breaks', () => {
  test('resumes when the stream dies mid-reply, with no gap and no repeat', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const breaking = streamBreakingFetch({ events: 6 }); // 2 × added, then 4 deltas
    const recorder = recordingFetch(breaking.fetch);
    const disturbed = await sameUser(chat, { fetch: recorder.fetch, reconnect: { attempts: 3, delayMs: 20 } });

    const reply = disturbed.messages.send({ sessionId, text: 'Tell me a long story' });
    const events: SessionEvent[] = [];
    for await (const event of reply) events.push(event);
    const final = await reply.done;

    expect(breaking.broken()).toBe(1);
    expect(recorder.count('ViewerEvents')).toBe(2); // reconnected, rather than noticing the end some other way
    expect(final.status).toBe('COMPLETE');
    expect(final.text).toBe(REPLY);
    expect(textOf(events)).toBe(REPLY);
    expectNoRepeats(events);
    expect(events.filter((event) => event.type === 'added')).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'completed', message: final });
  });

  test('resumes when the network cuts the connection', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const recorder = recordingFetch();
    const viaProxy = await sameUser(chat, { url: proxy.graphqlUrl, fetch: recorder.fetch, reconnect: { attempts: 3, delayMs: 20 } });

    const reply = viaProxy.messages.send({ sessionId, text: 'Tell me a long story' });
    const events: SessionEvent[] = [];
    let cut = 0;
    for await (const event of reply) {
      events.push(event);
      if (event.type === 'delta' && event.seq === 3) cut = proxy.cutStreams();
    }
    expect(cut).toBe(1);
    expect(recorder.count('ViewerEvents')).toBe(2);
    expect((await reply.done).text).toBe(REPLY);
    expect(textOf(events)).toBe(REPLY);
    expectNoRepeats(events);
  });

  test('a session watcher resumes the same way', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const watcher = await sameUser(chat, { url: proxy.graphqlUrl, reconnect: { attempts: 3, delayMs: 20 } });
    const controller = new AbortController();
    const seen: SessionEvent[] = [];
    const watching = (async () => {
      for await (const event of watcher.messages.subscribe(sessionId, { signal: controller.signal })) {
        seen.push(event);
        if (event.type === 'delta' && event.seq === 5) proxy.cutStreams();
        if (event.type === 'completed' && event.message.role === 'BOT') controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const final = await chat.messages.send({ sessionId, text: 'Hello' }).done;
    await watching;
    expect(textOf(seen)).toBe(final.text);
    expectNoRepeats(seen);
  });

  test('ends with a NetworkError once reconnecting has failed as often as allowed, instead of hanging', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const viaProxy = await sameUser(chat, { url: proxy.graphqlUrl, reconnect: { attempts: 2, delayMs: 50 } });

    const reply = viaProxy.messages.send({ sessionId, text: 'Tell me a long story' });
    const started = Date.now();
    let error: unknown;
    try {
      for await (const event of reply) {
        if (event.type === 'delta' && event.seq === 3) proxy.refuse(true);
      }
    } catch (reason) {
      error = reason;
    }
    expect(error).toBeInstanceOf(NetworkError);
    await expect(reply.done).rejects.toBe(error);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('aborting', () => {
  test('stops following the reply; the server still finishes it', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const controller = new AbortController();
    const reply = chat.messages.send({ sessionId, text: 'Go on', signal: controller.signal });
    let deltas = 0;
    const outcome = await (async () => {
      for await (const event of reply) if (event.type === 'delta' && ++deltas === 3) controller.abort();
    })().catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(AbortError);
    await expect(reply.done).rejects.toBeInstanceOf(AbortError);
    expect(deltas).toBe(3);
    const history = await waitFor(
      () => chat.messages.history({ sessionId }),
      (page) => page.items[1]?.status === 'COMPLETE',
    );
    expect(history.items[1]).toMatchObject({ status: 'COMPLETE', text: REPLY });
  });

  test('an already aborted signal sends nothing', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const reply = chat.messages.send({ sessionId, text: 'Never sent', signal: AbortSignal.abort() });
    await expect(reply.done).rejects.toBeInstanceOf(AbortError);
    expect((await chat.messages.history({ sessionId })).items).toEqual([]);
  });
});

describe('cancelling', () => {
  test('stops the bot: the reply completes as CANCELLED with the text so far', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const reply = chat.messages.send({ sessionId, text: 'Talk a lot' });
    const events: SessionEvent[] = [];
    for await (const event of reply) {
      events.push(event);
      if (event.type === 'delta' && event.seq === 3) await reply.cancel();
    }
    const final = await reply.done;
    expect(final.status).toBe('CANCELLED');
    expect(final.text.length).toBeLessThan(REPLY.length);
    expect(REPLY.startsWith(final.text)).toBe(true);
    expect(textOf(events)).toBe(final.text);
    await fake.requests[0]!.done;
    expect(fake.requests[0]!.aborted).toBe(true); // the model stopped generating
  });
});

describe('a failed reply', () => {
  test('ends with a failed event; retry generates it again and follow streams it', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    fake.enqueue({ status: 500 });
    const reply = chat.messages.send({ sessionId, text: 'Hello?' });
    const events: SessionEvent[] = [];
    for await (const event of reply) events.push(event);

    const failed = events.at(-1)!;
    expect(failed).toMatchObject({ type: 'failed', code: expect.any(String), message: expect.any(String) });
    const error = await reply.done.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ReplyFailedError);
    const { messageId, code } = error as ReplyFailedError;
    expect(messageId).toBe((failed as { messageId: string }).messageId);
    expect(code).toBe((failed as { code: string }).code);

    const restarted = await chat.messages.retry(messageId);
    expect(restarted).toMatchObject({ id: messageId, status: 'STREAMING' });
    const again = chat.messages.follow(messageId);
    const followed: SessionEvent[] = [];
    for await (const event of again) followed.push(event);
    const final = await again.done;
    expect(final).toMatchObject({ id: messageId, status: 'COMPLETE', text: REPLY });
    const added = followed[0] as Extract<SessionEvent, { type: 'added' }>;
    expect(added.type).toBe('added');
    expect(added.message.text + textOf(followed)).toBe(REPLY);
  });
});

describe('following a reply already under way', () => {
  test('starts from the stored text and continues to the end, as after a page reload', async () => {
    const chat = await signedInClient(server);
    const sessionId = await sessionFor(chat);
    const reply = chat.messages.send({ sessionId, text: 'Long one please' });
    let botMessage: Message | undefined;
    for await (const event of reply) {
      if (event.type === 'added' && event.message.role === 'BOT') botMessage = event.message;
      if (event.type === 'delta' && event.seq === 10) break; // the page goes away
    }
    const reloaded = await sameUser(chat, {});
    const followed = reloaded.messages.follow(botMessage!.id);
    const events: SessionEvent[] = [];
    for await (const event of followed) events.push(event);
    const added = events[0] as Extract<SessionEvent, { type: 'added' }>;
    expect(added.type).toBe('added');
    expect(added.message.text + textOf(events)).toBe(REPLY);
    expect((await followed.done).text).toBe(REPLY);
    expect(await reply.done).toEqual(await followed.done); // the first reply kept running for `done`
  });
});
