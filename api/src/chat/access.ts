// Every lookup is scoped to the viewer: another user's object is indistinguishable from a missing one.
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';
import { ownMessage, sessionWithBot } from './message-sql.ts';

export const visibleBotsWhere = (viewer: Viewer) => ({ OR: [{ ownerId: null }, { ownerId: viewer.userId }] });

export async function findVisibleBot(db: Db, viewer: Viewer, botId: string) {
  const bot = await db.bot.findFirst({ where: { id: botId, ...visibleBotsWhere(viewer) } });
  if (!bot) throw notFound('Bot');
  return bot;
}

export async function findOwnSession(db: Db, viewer: Viewer, sessionId: string) {
  const session = await sessionWithBot(db, viewer.userId, sessionId);
  if (!session) throw notFound('Session');
  return session;
}

export async function findOwnMessage(db: Db, viewer: Viewer, messageId: string) {
  const message = await ownMessage(db, viewer.userId, messageId);
  if (!message) throw notFound('Message');
  return message;
}
