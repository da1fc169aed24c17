// Events between the reply generator and subscribers: in-process, or also through Redis so that a
// subscription on one instance receives a reply generated on another.
import { randomUUID } from 'node:crypto';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionEvent } from './chat/events.ts';

/** Stop a reply wherever it is generated: one that was cancelled, or every reply of a deleted session. */
export type ReplyControl = { action: 'cancel'; messageId: string } | { action: 'delete'; sessionId: string };

export type Topics = {
  sessionEvents: [sessionId: string, event: SessionEvent];
  /** Every event of a user's sessions, for the one connection a browser holds (`viewerEvents`). */
  viewerEvents: [userId: string, event: { sessionId: string; event: SessionEvent }];
  replyControl: [ReplyControl];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;
type EventTarget = NonNullable<NonNullable<Parameters<typeof createPubSub<Topics>>[0]>['eventTarget']>;

export function createAppPubSub(redisUrl: string | undefined, logger: Logger): { pubsub: PubSub; redis?: Redis; close(): Promise<void> } {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  // Publishes give up after a few reconnect attempts (a lost delta is recovered through seq);
  // subscriptions wait for Redis to return, and ioredis re-subscribes them after every reconnect.
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const warn = throttled(5000, (error: unknown, what: string) => logger.warn({ err: error }, what));
  // ioredis reconnects by itself; an outage is worth a warning, not an unhandled 'error' event.
  for (const client of [publisher, subscriber]) client.on('error', (error: Error) => warn(error, 'redis connection error'));
  return {
    pubsub: createPubSub<Topics>({ eventTarget: localFirstRedisEventTarget(publisher, subscriber, warn) }),
    redis: publisher,
    async close() {
      subscriber.disconnect(); // nothing to flush; quit() would wait for an unreachable Redis forever
      await publisher.quit().catch(() => {});
    },
  };
}

/**
 * Delivers an event to this instance's listeners at once, in process, and publishes it to Redis for
 * the other instances; its own copy coming back from Redis is dropped. A subscriber on the instance
 * that generates the reply so depends on no Redis round trip: while Redis is down, its stream goes
 * on (through Redis alone, such a subscriber received nothing more after Redis was killed:
 * test/resilience/redis-outage.test.ts).
 * Every failed Redis command is logged, never left as an unhandled rejection, which would end the process.
 */
function localFirstRedisEventTarget(publisher: Redis, subscriber: Redis, warn: (error: unknown, what: string) => void): EventTarget {
  const instance = randomUUID();
  const listeners = new Map<string, Set<(event: CustomEvent) => void>>();
  const deliver = (topic: string, event: CustomEvent) => {
    for (const listener of [...(listeners.get(topic) ?? [])]) listener(event);
  };
  subscriber.on('message', (topic: string, message: string) => {
    if (!listeners.has(topic)) return;
    const { from, detail } = JSON.parse(message) as { from: string; detail: unknown };
    if (from !== instance) deliver(topic, new CustomEvent(topic, { detail }));
  });
  // createPubSub adds and removes plain functions, never listener objects.
  const target = {
    addEventListener(topic: string, listener: (event: CustomEvent) => void) {
      let topicListeners = listeners.get(topic);
      if (!topicListeners) {
        listeners.set(topic, (topicListeners = new Set()));
        subscriber.subscribe(topic).catch((e) => warn(e, 'redis subscribe failed'));
      }
      topicListeners.add(listener);
    },
    removeEventListener(topic: string, listener: (event: CustomEvent) => void) {
      const topicListeners = listeners.get(topic);
      if (!topicListeners) return;
      topicListeners.delete(listener);
      if (topicListeners.size > 0) return;
      listeners.delete(topic);
      subscriber.unsubscribe(topic).catch((e) => warn(e, 'redis unsubscribe failed'));
    },
    dispatchEvent(event: CustomEvent) {
      deliver(event.type, event);
      publisher.publish(event.type, JSON.stringify({ from: instance, detail: event.detail })).catch((e) => warn(e, 'redis publish failed'));
      return true;
    },
  };
  return target as unknown as EventTarget;
}

/** At most one call per interval: an outage reports itself without flooding the log. */
function throttled<A extends unknown[]>(intervalMs: number, fn: (...args: A) => void): (...args: A) => void {
  let last = 0;
  return (...args) => {
    if (Date.now() - last < intervalMs) return;
    last = Date.now();
    fn(...args);
  };
}
