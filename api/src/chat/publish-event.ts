// A session's event goes to the session's subscribers and to its owner's: one browser follows all its
// chats through viewerEvents over a single connection. (With Redis this publishes twice; a delta is
// a few hundred bytes, and the alternative — one channel per user only — would make every
// sessionEvents subscriber filter its user's other chats.)
import type { PubSub } from '../pubsub.ts';
import type { SessionEvent } from './events.ts';

export function publishSessionEvent(pubsub: PubSub, to: { sessionId: string; userId: string }, event: SessionEvent): void {
  pubsub.publish('sessionEvents', to.sessionId, event);
  pubsub.publish('viewerEvents', to.userId, { sessionId: to.sessionId, event });
}
