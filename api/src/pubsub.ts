// Events between the reply generator and subscribers: in-process, or through Redis so that a
// subscription on one instance receives a reply generated on another.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SessionEvent } from './chat/events.ts';

/** Stop a reply wherever it is generated: one that was cancelled, or every reply of a deleted session. */
export type ReplyControl = { action: 'cancel'; messageId: string } | { action: 'delete'; sessionId: string };

export type Topics = {
  sessionEvents: [sessionId: string, event: SessionEvent];
  replyControl: [ReplyControl];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export function createAppPubSub(redisUrl: string | undefined, logger: Logger): { pubsub: PubSub; redis?: Redis; close(): Promise<void> } {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  // Publishes give up after a few reconnect attempts (a lost delta is recovered through seq);
  // subscriptions wait for Redis to return, and ioredis re-subscribes them after every reconnect.
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const warn = throttled(5000, (error: unknown, what: string) => logger.warn({ err: error }, what));
  // ioredis reconnects by itself; an outage is worth a warning, not an unhandled 'error' event.
  for (const client of [publisher, subscriber]) client.on('error', (error: Error) => warn(error, 'redis connection error'));

  // redis-event-target leaves the promises of these commands unhandled, and an unhandled rejection
  // ends the process: during a Redis outage every delta would crash the instance. It uses only
  // these methods, so it gets clients whose failures are logged instead.
  const publishClient = {
    publish: (channel: string, message: string) => publisher.publish(channel, message).catch((e) => warn(e, 'redis publish failed')),
  };
  const subscribeClient = {
    on: (event: 'message', listener: (channel: string, message: string) => void) => subscriber.on(event, listener),
    subscribe: (channel: string) => subscriber.subscribe(channel).catch((e) => warn(e, 'redis subscribe failed')),
    unsubscribe: (channel: string) => subscriber.unsubscribe(channel).catch((e) => warn(e, 'redis unsubscribe failed')),
  };
  const eventTarget = createRedisEventTarget({ publishClient: publishClient as unknown as Redis, subscribeClient: subscribeClient as unknown as Redis });
  return {
    pubsub: createPubSub<Topics>({ eventTarget }),
    redis: publisher,
    async close() {
      subscriber.disconnect(); // nothing to flush; quit() would wait for an unreachable Redis forever
      await publisher.quit().catch(() => {});
    },
  };
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
