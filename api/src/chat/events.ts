// What subscribers of a session receive. Plain data, so it survives a trip through Redis.
import type { Message } from '@multi-bot-chat/prisma/sqlite';

export type SessionEvent =
  | { kind: 'MessageAdded'; message: Message }
  | { kind: 'MessageDelta'; messageId: string; seq: number; text: string }
  | { kind: 'MessageCompleted'; message: Message }
  | { kind: 'MessageFailed'; messageId: string; code: string; message: string };
