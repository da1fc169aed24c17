// Session rows in plain SQL, for the per-message path (see message-store.ts for why it is not the Prisma client).
import type { Bot, ChatSession } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { ownSessionSql } from './access.ts';

export type SessionWithBot = ChatSession & { bot: Bot };

/** The viewer's session with its bot, or null. */
export async function ownSessionWithBot(db: Db, viewer: Viewer, sessionId: string): Promise<SessionWithBot | null> {
  const [session] = await db.$queryRaw<ChatSession[]>`
    SELECT * FROM "ChatSession" s WHERE s."id" = ${sessionId} AND ${ownSessionSql(viewer, 's')}`;
  if (!session) return null;
  const [bot] = await db.$queryRaw<Bot[]>`SELECT * FROM "Bot" WHERE "id" = ${session.botId}`;
  return bot ? { ...session, bot } : null;
}

/** Records activity in a session (it moves to the top of the list). */
export function touchSession(db: Db, sessionId: string, at: Date) {
  return db.$executeRaw`UPDATE "ChatSession" SET "lastMessageAt" = ${at}, "updatedAt" = ${at} WHERE "id" = ${sessionId}`;
}

/** Gives a session the title, unless it was renamed or titled already. */
export async function titleIfUntitled(db: Db, sessionId: string, untitled: string, title: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "ChatSession" SET "title" = ${title}, "updatedAt" = ${new Date()} WHERE "id" = ${sessionId} AND "title" = ${untitled}`;
}
