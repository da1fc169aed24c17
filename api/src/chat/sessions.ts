// Chat sessions: many per user and bot. Creation is idempotent per client-generated id.
import type { Bot } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { notFound } from '../errors.ts';
import { findOwnSession, findVisibleBot } from './access.ts';
import { DEFAULT_SESSION_TITLE } from './titles.ts';
import { parseInput } from './validation.ts';

export const sessionTitle = z.string().trim().min(1, 'The title is empty.').max(120, 'The title is longer than 120 characters.');
export const createSessionInput = z.object({
  botId: z.string(),
  clientId: z.string().uuid('clientId must be a UUID.').nullish(),
  title: sessionTitle.nullish(),
});

/** `bot`: the bot, when the caller has read it (visible to the viewer) already. */
export async function createSession(db: Db, viewer: Viewer, input: z.input<typeof createSessionInput>, bot?: Bot) {
  const { botId, clientId, title } = parseInput(createSessionInput, input);
  bot ??= await findVisibleBot(db, viewer, botId);
  if (clientId) {
    const existing = await db.chatSession.findUnique({ where: { userId_clientId: { userId: viewer.userId, clientId } } });
    if (existing) return existing;
  }
  try {
    return await db.chatSession.create({
      data: { userId: viewer.userId, botId: bot.id, clientId: clientId ?? null, title: title ?? DEFAULT_SESSION_TITLE },
    });
  } catch (error) {
    if (!clientId || !isUniqueViolation(error)) throw error;
    return db.chatSession.findUniqueOrThrow({ where: { userId_clientId: { userId: viewer.userId, clientId } } });
  }
}

export async function renameSession(db: Db, viewer: Viewer, id: string, title: string) {
  const session = await findOwnSession(db, viewer, id);
  return db.chatSession.update({ where: { id: session.id }, data: { title: parseInput(sessionTitle, title, 'title') } });
}

/** Deletes the session and, by cascade, its messages. */
export async function deleteSession(db: Db, viewer: Viewer, id: string): Promise<void> {
  const { count } = await db.chatSession.deleteMany({ where: { id, userId: viewer.userId } });
  if (count === 0) throw notFound('Session');
}
