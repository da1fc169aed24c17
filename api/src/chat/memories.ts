// What bots remember about a user (UserMemory) and what a bot knows (BotMemory). The user sees and
// edits their facts; each user keeps at most `memoryCap` facts over all bots, and the least recently
// used (carried by a prompt, or written) go first.
import type { UserMemory } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { ownMemories, visibleBots } from './access.ts';
import { type Fact, FACT_MAX_LENGTH, note } from './facts.ts';
import { ownMessage } from './message-store.ts';

export interface PromptFact {
  id: string;
  key: string;
  value: string;
  usedAt: Date;
}

export class MemoryService {
  constructor(
    private readonly db: Db,
    private readonly cap: number,
  ) {}

  /** The viewer's memories, optionally of one bot, most recently used first. `query`: the GraphQL layer's select/include. */
  list<Q extends object>(viewer: Viewer, botId: string | null, query?: Q) {
    return this.db.userMemory.findMany({
      ...query,
      where: { ...ownMemories(viewer), ...(botId ? { botId } : {}) },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** The viewer's memories among `ids`, in one query. */
  byIds(viewer: Viewer, ids: string[]): Promise<UserMemory[]> {
    return this.db.userMemory.findMany({ where: { id: { in: ids }, ...ownMemories(viewer) } });
  }

  /**
   * A fact the user typed in the panel, for one of the bots they can see. `query` (the GraphQL
   * layer's select/include) is read with the write: under the cap's pressure, a parallel add may
   * prune the fact before a later read could find it.
   */
  async add<Q extends object>(viewer: Viewer, botId: string, text: string, query?: Q): Promise<UserMemory> {
    const bot = await this.db.bot.findFirst({ where: { id: botId, ...visibleBots(viewer) }, select: { id: true } });
    if (!bot) throw notFound('Bot');
    return this.keep(viewer.userId, botId, note(checkedText(text, 'text')), query);
  }

  /** "Remember this" on a message of the viewer's: its text becomes a fact for the session's bot. */
  async addFromMessage<Q extends object>(viewer: Viewer, messageId: string, query?: Q): Promise<UserMemory> {
    const message = await ownMessage(this.db, viewer, messageId);
    if (!message) throw notFound('Message');
    if (!message.text.trim()) throw badInput('messageId', 'The message has no text to remember.');
    const { botId } = await this.db.chatSession.findUniqueOrThrow({ where: { id: message.sessionId }, select: { botId: true } });
    return this.keep(viewer.userId, botId, note(message.text), query);
  }

  async update<Q extends object>(viewer: Viewer, id: string, value: string, query?: Q): Promise<UserMemory> {
    const data = { value: checkedText(value, 'value') };
    try {
      return await this.db.userMemory.update({ ...query, where: { id, ...ownMemories(viewer) }, data });
    } catch (error) {
      // P2025: no such memory of the viewer's (never was, someone else's, or just pruned or deleted).
      if ((error as { code?: string }).code === 'P2025') throw notFound('Memory');
      throw error;
    }
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    const { count } = await this.db.userMemory.deleteMany({ where: { id, ...ownMemories(viewer) } });
    if (count === 0) throw notFound('Memory');
  }

  /** Forgets everything the bots remember of the viewer, or what one bot does; returns how many facts went. */
  async forgetAll(viewer: Viewer, botId: string | null): Promise<number> {
    const { count } = await this.db.userMemory.deleteMany({ where: { ...ownMemories(viewer), ...(botId ? { botId } : {}) } });
    return count;
  }

  /** Stores facts about the user for this bot; a later statement of a key replaces the earlier one. */
  async remember(userId: string, botId: string, facts: Fact[]): Promise<void> {
    for (const fact of facts) await this.write(userId, botId, fact);
    if (facts.length) await this.prune(userId);
  }

  /**
   * What a prompt carries: the bot's facts and what it remembers of the user (most recently used
   * first; prompt.ts ranks them by relevance). Plain SQL: read for every reply (see message-store.ts).
   */
  async forPrompt(userId: string, botId: string) {
    const [userMemories, botMemories] = await Promise.all([
      this.db.$queryRaw<PromptFact[]>`
        SELECT "id", "key", "value", COALESCE("lastUsedAt", "updatedAt") AS "usedAt" FROM "UserMemory"
        WHERE "userId" = ${userId} AND "botId" = ${botId}`,
      this.db.$queryRaw<Array<{ key: string; value: string }>>`SELECT "key", "value" FROM "BotMemory" WHERE "botId" = ${botId} ORDER BY "key"`,
    ]);
    return { userMemories, botMemories };
  }

  /** The facts a prompt just carried count as used: the cap prunes others first. */
  async used(ids: string[]): Promise<void> {
    if (ids.length) await this.db.userMemory.updateMany({ where: { id: { in: ids } }, data: { lastUsedAt: new Date() } });
  }

  /** Writes one fact, then keeps the user within the cap. */
  private async keep<Q extends object>(userId: string, botId: string, fact: Fact, query?: Q): Promise<UserMemory> {
    const memory = await this.write(userId, botId, fact, query);
    await this.prune(userId);
    return memory;
  }

  private async write<Q extends object>(userId: string, botId: string, { key, value }: Fact, query?: Q): Promise<UserMemory> {
    const where = { userId_botId_key: { userId, botId, key } };
    const data = { value, lastUsedAt: new Date() };
    try {
      return await this.db.userMemory.upsert({ ...query, where, create: { userId, botId, key, ...data }, update: data });
    } catch (error) {
      // The same fact written twice at once: the other one inserted first, so update.
      if (!isUniqueViolation(error)) throw error;
      return this.db.userMemory.update({ ...query, where, data });
    }
  }

  /**
   * Keeps the user's `cap` most recently used facts; run after each write has committed. Parallel
   * prunes of one user take turns on the user's row (a no-op update locks it): unordered, their
   * deletes of overlapping rows could deadlock on PostgreSQL. Each then sees every fact written
   * before it, so parallel adds end at exactly the cap.
   */
  private async prune(userId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`UPDATE "User" SET "lastActiveAt" = "lastActiveAt" WHERE "id" = ${userId}`;
      await tx.$executeRaw`
        DELETE FROM "UserMemory" WHERE "userId" = ${userId} AND "id" NOT IN (
          SELECT "id" FROM "UserMemory" WHERE "userId" = ${userId}
          ORDER BY COALESCE("lastUsedAt", "updatedAt") DESC, "id" DESC LIMIT ${this.cap})`;
    });
  }
}

function checkedText(text: string, field: string): string {
  const trimmed = text.trim();
  if (!trimmed) throw badInput(field, 'A memory cannot be empty.');
  if (trimmed.length > FACT_MAX_LENGTH) throw badInput(field, `A memory is at most ${FACT_MAX_LENGTH} characters.`);
  return trimmed;
}
