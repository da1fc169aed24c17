// 👍/👎 on bot replies: one per user and reply, changed in place; read by the bot's owner (for
// system bots, by admins).
import type { FeedbackRating, MessageFeedback } from '@multi-bot-chat/prisma/sqlite';
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { type BotService, canEdit } from './bots.ts';
import { newId } from './ids.ts';
import { ownMessage } from './message-store.ts';
import { parseInput } from './validation.ts';

const reason = z.string().trim().max(1000, 'The reason is longer than 1000 characters.');
const RATINGS: ReadonlySet<FeedbackRating> = new Set(['UP', 'DOWN']);

export class FeedbackService {
  constructor(private readonly deps: { db: Db; bots: BotService }) {}

  /**
   * Gives or changes the viewer's rating of a reply in one of their chats. One statement that inserts
   * or updates on the (messageId, userId) key, so parallel ratings leave exactly one row, the last.
   */
  async set(viewer: Viewer, messageId: string, rating: FeedbackRating, rawReason?: string | null): Promise<MessageFeedback> {
    const { db } = this.deps;
    if (!RATINGS.has(rating)) throw badInput('rating', 'The rating is UP or DOWN.');
    const text = rawReason == null ? null : parseInput(reason, rawReason, 'reason') || null;
    const message = await ownMessage(db, viewer, messageId);
    if (!message) throw notFound('Message');
    if (message.role !== 'BOT') throw badInput('messageId', 'Only a bot reply can be rated.');
    const [botRow] = await db.$queryRaw<Array<{ botId: string }>>`SELECT "botId" FROM "ChatSession" WHERE "id" = ${message.sessionId}`;
    if (!botRow) throw notFound('Message');
    const now = new Date();
    await db.$executeRaw`
      INSERT INTO "MessageFeedback" ("id", "messageId", "userId", "botId", "rating", "reason", "createdAt", "updatedAt")
      VALUES (${newId()}, ${message.id}, ${viewer.userId}, ${botRow.botId}, ${Prisma.raw(`'${rating}'`)}, ${text}, ${now}, ${now})
      ON CONFLICT ("messageId", "userId") DO UPDATE SET "rating" = excluded."rating", "reason" = excluded."reason", "updatedAt" = excluded."updatedAt"`;
    const saved = await this.mine(viewer, message.id);
    if (!saved) throw notFound('Message'); // deleted meanwhile
    return saved;
  }

  /** Takes the viewer's rating of a reply back (nothing happens when there is none). */
  async remove(viewer: Viewer, messageId: string): Promise<void> {
    const message = await ownMessage(this.deps.db, viewer, messageId);
    if (!message) throw notFound('Message');
    await this.deps.db.messageFeedback.deleteMany({ where: { messageId: message.id, userId: viewer.userId } });
  }

  /** The viewer's rating of a reply they can see; Prisma batches these lookups into one query per page. */
  mine(viewer: Viewer, messageId: string): Promise<MessageFeedback | null> {
    return this.deps.db.messageFeedback.findUnique({ where: { messageId_userId: { messageId, userId: viewer.userId } } });
  }

  /** Every rating of a bot's replies, newest first, for whoever may edit the bot. `query`: the GraphQL layer's page. */
  async forBot<Q extends object>(viewer: Viewer, botId: string, rating: FeedbackRating | null, query?: Q) {
    const bot = await this.deps.bots.find(viewer, botId);
    if (!canEdit(viewer, bot)) throw forbidden('Only an admin can read the feedback on a system bot.');
    return this.deps.db.messageFeedback.findMany({
      ...query,
      where: { botId: bot.id, message: { deletedAt: null }, ...(rating ? { rating } : {}) },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    });
  }
}
