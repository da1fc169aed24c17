// What subscribers of a session receive. Plain data, so it survives a trip through Redis.
import type { Message } from '@multi-bot-chat/prisma/sqlite';
import { Repeater } from 'graphql-yoga';

export type SessionEvent =
  | { kind: 'MessageAdded'; message: Message }
  | { kind: 'MessageDelta'; messageId: string; seq: number; text: string }
  | { kind: 'MessageCompleted'; message: Message }
  | { kind: 'MessageFailed'; messageId: string; code: string; message: string }
  /** The active path changed after `parentId` (null: from the start): what followed it is replaced. */
  | { kind: 'PathChanged'; sessionId: string; parentId: string | null }
  | { kind: 'MessageDeleted'; messageId: string }
  /** The session was deleted: the last event of its subscriptions. */
  | { kind: 'SessionDeleted'; sessionId: string };

/**
 * The session's events up to and including SessionDeleted, after which the stream ends (so the
 * server closes the subscription). A Repeater, not an async generator: a generator waiting for the
 * next event could not be stopped when its client leaves until another event arrived.
 */
export function untilSessionDeleted(events: AsyncIterable<SessionEvent>): AsyncIterable<SessionEvent> {
  return new Repeater<SessionEvent>(async (push, stop) => {
    const iterator = events[Symbol.asyncIterator]();
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    try {
      for (;;) {
        const next = await Promise.race([iterator.next(), stopped]);
        if (next.done) break;
        await push(next.value);
        if (next.value.kind === 'SessionDeleted') break;
      }
    } finally {
      stop();
      await iterator.return?.();
    }
  });
}
