// The outbox on its own (no browser): per-chat order, chats side by side, rate limits, lost network.
// Delivery is a function the test controls, standing in for the network round trip.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { NetworkError, RateLimitError, ValidationError } from '@multi-bot-chat/sdk';
import { Outbox, type OutboxHost, type OutboxItem } from '../src/controllers/outbox.ts';

/** A delivery the test finishes by hand: first the server accepts the message, later the reply ends. */
interface Delivery {
  item: OutboxItem;
  accept(): void;
  endReply(): void;
  fail(error: unknown): void;
}

function harness() {
  const deliveries: Delivery[] = [];
  const refused: Array<{ item: OutboxItem; error: unknown }> = [];
  let online = true;
  let unreachable = 0;
  const host: OutboxHost = {
    items: [],
    canSend: () => online,
    deliver: (item, accepted) =>
      new Promise<void>((resolve, reject) => {
        deliveries.push({ item, accept: accepted, endReply: resolve, fail: reject });
      }),
    changed: () => undefined,
    unreachable: () => {
      unreachable++;
      online = false;
    },
    refused: (item, error) => refused.push({ item, error }),
  };
  const outbox = new Outbox(host);
  let n = 0;
  const add = (sessionId: string, text: string) =>
    outbox.add({ clientMessageId: `c${++n}`, botId: 'bot', sessionId, text, createdAt: new Date().toISOString() });
  return {
    host,
    outbox,
    add,
    deliveries,
    refused,
    texts: () => deliveries.map((d) => d.item.text),
    goOnline() {
      online = true;
      outbox.flush();
    },
    get unreachable() {
      return unreachable;
    },
  };
}

/** Lets pending promise callbacks run (timers are fake). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

it('sends a message to another chat while the first chat is still receiving a long reply', async () => {
  const t = harness();
  t.add('support', 'long question');
  t.deliveries[0].accept();
  t.add('fun', 'a joke, please');
  await settle();
  expect(t.texts()).toEqual(['long question', 'a joke, please']);
  expect(t.outbox.sending.has(t.deliveries[1].item.clientMessageId)).toBe(true);
});

it('keeps the order within a chat: the next message waits for the reply to the one before', async () => {
  const t = harness();
  t.add('support', 'first');
  t.add('support', 'second');
  await settle();
  expect(t.texts()).toEqual(['first']);
  t.deliveries[0].accept();
  await settle();
  expect(t.texts()).toEqual(['first']);
  expect(t.host.items.map((i) => i.text)).toEqual(['second']);
  t.deliveries[0].endReply();
  await settle();
  expect(t.texts()).toEqual(['first', 'second']);
});

it('waits as long as the server asked after a rate limit, keeps its reason, then sends at once', async () => {
  const t = harness();
  t.add('support', 'limited');
  t.deliveries[0].fail(new RateLimitError('Wait for your other 3 replies to finish.', { retryAfter: 2 }));
  await settle();
  expect(t.outbox.limit?.reason).toBe('Wait for your other 3 replies to finish.');
  expect(t.outbox.limit!.until - Date.now()).toBe(2000);
  t.add('fun', 'also waits');
  await settle();
  expect(t.texts()).toEqual(['limited']);

  await vi.advanceTimersByTimeAsync(1999);
  expect(t.texts()).toEqual(['limited']);
  await vi.advanceTimersByTimeAsync(1);
  expect(t.outbox.limit).toBeNull();
  expect(t.texts().slice(1).sort()).toEqual(['also waits', 'limited']);
});

it('keeps every message when the network is lost and delivers them when it is back', async () => {
  const t = harness();
  t.add('support', 'one');
  t.add('fun', 'two');
  await settle();
  for (const d of t.deliveries) d.fail(new NetworkError('unreachable'));
  await settle();
  expect(t.unreachable).toBeGreaterThan(0);
  expect(t.host.items.map((i) => i.text)).toEqual(['one', 'two']);
  expect(t.outbox.sending.size).toBe(0);

  t.goOnline();
  expect(t.texts().slice(2)).toEqual(['one', 'two']);
});

it('drops a message the server refuses for good, says so, and goes on with the chat', async () => {
  const t = harness();
  t.add('support', 'x'.repeat(10));
  t.add('support', 'next');
  const refusal = new ValidationError('Too long.', { field: 'text' });
  t.deliveries[0].fail(refusal);
  await settle();
  expect(t.refused.map((r) => r.error)).toEqual([refusal]);
  expect(t.texts()).toEqual(['x'.repeat(10), 'next']);
});

it('continues a chat started offline under the id the server gave it', async () => {
  const t = harness();
  t.add('local:abc', 'first offline');
  t.add('local:abc', 'second offline');
  await settle();
  t.outbox.adopt('local:abc', 'server-1');
  t.deliveries[0].accept();
  t.deliveries[0].endReply();
  await settle();
  expect(t.deliveries.map((d) => [d.item.text, d.item.sessionId])).toEqual([
    ['first offline', 'local:abc'],
    ['second offline', 'server-1'],
  ]);
  // A new message to the adopted chat queues behind it instead of starting a second delivery.
  t.add('server-1', 'third');
  await settle();
  expect(t.deliveries).toHaveLength(2);
});
