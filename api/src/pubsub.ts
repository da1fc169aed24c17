// Events between the reply generator and subscribers: in-process, or through Redis so that a
// subscription on one instance receives a reply generated on another.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { SessionEvent } from './chat/events.ts';

export interface ReplyControl {
  action: 'cancel';
  messageId: string;
}

export type Topics = {
  sessionEvents: [sessionId: string, event: SessionEvent];
  replyControl: [ReplyControl];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

export function createAppPubSub(redisUrl?: string): { pubsub: PubSub; redis?: Redis; close(): Promise<void> } {
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), close: async () => {} };
  const publishClient = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const subscribeClient = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    pubsub: createPubSub<Topics>({ eventTarget }),
    redis: publishClient,
    async close() {
      await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
    },
  };
}
