// The resume logic on its own: a scripted connection and stored messages stand in for the API, so
// every ordering of breaks, gaps and duplicates can be played exactly. (The same behaviour against
// a real server is in streaming.test.ts.)
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { MbcError, NetworkError, NotFoundError, type Message, type SessionEvent } from '../src';
import { type ConnectionHandlers, createSessionStream, type SessionStreamOptions } from '../src/session-stream';

function message(id: string, fields: Partial<Message> = {}): Message {
  return {
    id,
    sessionId: 's1',
    parentId: null,
    role: 'BOT',
    text: '',
    status: 'STREAMING',
    seq: 0,
    clientMessageId: null,
    model: 'm',
    latencyMs: null,
    firstTokenMs: null,
    promptTokens: null,
    completionTokens: null,
    errorCode: null,
    errorMessage: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...fields,
  };
}

/** Stands in for the API: connections the test drives, and the stored messages. */
function fakeApi() {
  const connections: Array<{ handlers: ConnectionHandlers; closed: boolean }> = [];
  const stored = new Map<string, Message>();
  const fetched: string[] = [];
  let refuse = false;
  return {
    connections,
    stored,
    fetched,
    refuseConnections(on: boolean) {
      refuse = on;
    },
    get live() {
      return connections[connections.length - 1]!.handlers;
    },
    connector: {
      connect(handlers: ConnectionHandlers) {
        const connection = { handlers, closed: false };
        connections.push(connection);
        queueMicrotask(() => (refuse ? handlers.fail(new NetworkError('refused')) : handlers.open()));
        return () => {
          connection.closed = true;
        };
      },
      async fetchMessage(id: string) {
        fetched.push(id);
        return stored.get(id) ?? null;
      },
    },
  };
}

function watch(api: ReturnType<typeof fakeApi>, options: Partial<SessionStreamOptions> = {}) {
  const events: SessionEvent[] = [];
  const errors: MbcError[] = [];
  const stream = createSessionStream(api.connector, {
    reconnect: { attempts: 3, delayMs: 100 },
    scope: 'all',
    onEvent: (event) => events.push(event),
    onError: (error) => errors.push(error),
    ...options,
  });
  const textOf = (id: string) =>
    events.map((event) => (event.type === 'delta' && event.messageId === id ? event.text : '')).join('');
  const seqs = (id: string) => events.flatMap((event) => (event.type === 'delta' && event.messageId === id ? [event.seq] : []));
  return { stream, events, errors, textOf, seqs };
}

const delta = (seq: number, text: string, messageId = 'b1'): SessionEvent => ({ type: 'delta', messageId, seq, text });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('a session stream', () => {
  test('passes deltas through in order and drops repeats', async () => {
    const api = fakeApi();
    const { stream, events, textOf, seqs } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    for (const event of [delta(1, 'Hel'), delta(2, 'lo'), delta(2, 'lo'), delta(1, 'Hel'), delta(3, '!')]) api.live.event(event);
    expect(events[0]).toMatchObject({ type: 'added' });
    expect(textOf('b1')).toBe('Hello!');
    expect(seqs('b1')).toEqual([1, 2, 3]);
    stream.close();
  });

  test('fills a skipped delta from the stored text', async () => {
    const api = fakeApi();
    const { stream, textOf, seqs } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    api.live.event(delta(1, 'Hel'));
    api.stored.set('b1', message('b1', { text: 'Hello w', seq: 3 }));
    api.live.event(delta(3, 'o w')); // 2 ('l') never arrives
    api.live.event(delta(4, 'orld'));
    expect(textOf('b1')).toBe('Hel'); // held back until the gap is filled
    await vi.advanceTimersByTimeAsync(300);
    expect(textOf('b1')).toBe('Hello world');
    expect(seqs('b1')).toEqual([1, 3, 4]);
    stream.close();
  });

  test('waits for the stored text to reach a gap before filling it', async () => {
    const api = fakeApi();
    const { stream, textOf } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    api.live.event(delta(1, 'a'));
    api.stored.set('b1', message('b1', { text: 'a', seq: 1 })); // not saved that far yet
    api.live.event(delta(3, 'c'));
    await vi.advanceTimersByTimeAsync(300);
    expect(textOf('b1')).toBe('a');
    api.stored.set('b1', message('b1', { text: 'ab', seq: 2 }));
    await vi.advanceTimersByTimeAsync(300);
    expect(textOf('b1')).toBe('abc');
    stream.close();
  });

  test('reconnects after the connection breaks and resumes from the stored text without repeats', async () => {
    const api = fakeApi();
    const { stream, events, errors, textOf, seqs } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    api.live.event(delta(1, 'one '));
    api.live.event(delta(2, 'two '));
    api.live.fail(new NetworkError('terminated'));
    api.stored.set('b1', message('b1', { text: 'one two three ', seq: 3 })); // 3 was sent while we were away
    await vi.advanceTimersByTimeAsync(100);
    expect(api.connections).toHaveLength(2);
    expect(textOf('b1')).toBe('one two three ');
    api.live.event(delta(3, 'three ')); // already covered by the stored text
    api.live.event(delta(4, 'four'));
    const final = message('b1', { text: 'one two three four', seq: 4, status: 'COMPLETE' });
    api.live.event({ type: 'completed', message: final });
    expect(textOf('b1')).toBe('one two three four');
    expect(seqs('b1')).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)).toEqual({ type: 'completed', message: final });
    expect(errors).toEqual([]);
    stream.close();
  });

  test('treats a stream the server ends as broken, and reconnects', async () => {
    const api = fakeApi();
    const { stream } = watch(api);
    await stream.start();
    api.live.end();
    await vi.advanceTimersByTimeAsync(100);
    expect(api.connections).toHaveLength(2);
    stream.close();
  });

  test('gives up with a NetworkError when reconnecting keeps failing', async () => {
    const api = fakeApi();
    const { stream, errors } = watch(api);
    await stream.start();
    api.refuseConnections(true);
    api.live.fail(new NetworkError('terminated'));
    await vi.advanceTimersByTimeAsync(100 + 200 + 400 + 800);
    expect(api.connections).toHaveLength(1 + 3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NetworkError);
    expect(errors[0]!.message).toMatch(/could not reconnect/);
  });

  test('does not start when the first connection cannot be made', async () => {
    const api = fakeApi();
    api.refuseConnections(true);
    const { stream } = watch(api);
    const started = stream.start();
    const outcome = expect(started).rejects.toBeInstanceOf(NetworkError);
    await vi.advanceTimersByTimeAsync(2_000);
    await outcome;
    expect(api.connections).toHaveLength(1 + 3);
  });

  test('stops at once on an error that reconnecting cannot fix', async () => {
    const api = fakeApi();
    const { stream, errors } = watch(api);
    await stream.start();
    api.live.fail(new NotFoundError('Session not found.', { code: 'NOT_FOUND' }));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(api.connections).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(NotFoundError);
  });

  test('announces a reply it joins midway with its stored text, then continues', async () => {
    const api = fakeApi();
    const { stream, events, textOf } = watch(api);
    await stream.start();
    api.stored.set('b1', message('b1', { text: 'abc', seq: 3 }));
    api.live.event(delta(4, 'd'));
    api.live.event(delta(5, 'e'));
    await vi.advanceTimersByTimeAsync(0);
    expect(events[0]).toEqual({ type: 'added', message: message('b1', { text: 'abc', seq: 3 }) });
    expect(textOf('b1')).toBe('de');
    stream.close();
  });

  test('notices a reply that finished while no event reached it', async () => {
    const api = fakeApi();
    const { stream, events } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    const final = message('b1', { text: 'done', seq: 1, status: 'COMPLETE' });
    api.stored.set('b1', final);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(events.slice(1)).toEqual([
      { type: 'delta', messageId: 'b1', seq: 1, text: 'done' },
      { type: 'completed', message: final },
    ]);
    stream.close();
  });

  test('reports a failed reply once', async () => {
    const api = fakeApi();
    const { stream, events } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    const failed: SessionEvent = { type: 'failed', messageId: 'b1', code: 'PROVIDER_ERROR', message: 'The model failed.' };
    api.live.event(failed);
    api.live.event(failed);
    expect(events.filter((event) => event.type === 'failed')).toHaveLength(1);
    stream.close();
  });

  test('announces a reply again when it is regenerated', async () => {
    const api = fakeApi();
    const { stream, events } = watch(api);
    await stream.start();
    api.live.event({ type: 'added', message: message('b1') });
    api.live.event({ type: 'failed', messageId: 'b1', code: 'TIMEOUT', message: 'Too slow.' });
    api.live.event({ type: 'added', message: message('b1') }); // a late copy of the first announcement
    api.live.event({ type: 'added', message: message('b1', { updatedAt: '2025-01-01T00:01:00.000Z' }) });
    api.live.event(delta(1, 'again'));
    expect(events.map((event) => event.type)).toEqual(['added', 'failed', 'added', 'delta']);
    stream.close();
  });
});

describe('a stream scoped to named messages', () => {
  test('holds events until it knows which messages to follow, then replays them', async () => {
    const api = fakeApi();
    const { stream, events, textOf } = watch(api, { scope: 'named' });
    await stream.start();
    const user = message('u1', { role: 'USER', status: 'COMPLETE', text: 'hi' });
    api.live.event({ type: 'added', message: user });
    api.live.event({ type: 'added', message: message('b1') });
    api.live.event(delta(1, 'Hel'));
    api.live.event({ type: 'added', message: message('other') });
    api.live.event(delta(1, 'ignored', 'other'));
    expect(events).toEqual([]);
    stream.follow([user, message('b1')]);
    api.live.event(delta(2, 'lo'));
    expect(events.map((event) => event.type)).toEqual(['added', 'added', 'delta', 'delta']);
    expect(textOf('b1')).toBe('Hello');
    stream.close();
  });

  test('settles at once a reply that had already finished', async () => {
    const api = fakeApi();
    const { stream, events } = watch(api, { scope: 'named' });
    await stream.start();
    const final = message('b1', { text: 'cached', seq: 1, status: 'COMPLETE' });
    stream.follow([final]);
    expect(events).toEqual([
      { type: 'added', message: final },
      { type: 'completed', message: final },
    ]);
    stream.close();
  });
});
