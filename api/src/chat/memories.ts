// What bots remember about a user (UserMemory) and what a bot knows (BotMemory).
import type { UserMemory } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { notFound } from '../errors.ts';
import { ownMemories } from './access.ts';
import type { Fact } from './facts.ts';

export class MemoryService {
  constructor(private readonly db: Db) {}

  /** The viewer's memories, optionally of one bot. `query`: the GraphQL layer's select/include. */
  list<Q extends object>(viewer: Viewer, botId: string | null, query?: Q) {
    return this.db.userMemory.findMany({
      ...query,
      where: { ...ownMemories(viewer), ...(botId ? { botId } : {}) },
      orderBy: [{ botId: 'asc' }, { key: 'asc' }],
    });
  }

  /** The viewer's memories among `ids`, in one query. */
  byIds(viewer: Viewer, ids: string[]): Promise<UserMemory[]> {
    return this.db.userMemory.findMany({ where: { id: { in: ids }, ...ownMemories(viewer) } });
  }

  async delete(viewer: Viewer, id: string): Promise<void> {
    const { count } = await this.db.userMemory.deleteMany({ where: { id, ...ownMemories(viewer) } });
    if (count === 0) throw notFound('Memory');
  }

  /** Stores facts about the user for this bot; a later statement of a key replaces the earlier one. */
  async remember(userId: string, botId: string, facts: Fact[]): Promise<void> {
    for (const { key, value } of facts) {
      const where = { userId_botId_key: { userId, botId, key } };
      try {
        await this.db.userMemory.upsert({ where, create: { userId, botId, key, value }, update: { value } });
      } catch (error) {
        // Two replies in one session finishing together: the other one inserted first, so update.
        if (!isUniqueViolation(error)) throw error;
        await this.db.userMemory.update({ where, data: { value } });
      }
    }
  }

  /**
   * What a prompt carries: the bot's facts and what it remembers of the user. Plain SQL: read for
   * every reply (see message-store.ts).
   */
  async forPrompt(userId: string, botId: string) {
    const [userMemories, botMemories] = await Promise.all([
      this.db.$queryRaw<Array<{ key: string; value: string }>>`
        SELECT "key", "value" FROM "UserMemory" WHERE "userId" = ${userId} AND "botId" = ${botId} ORDER BY "key"`,
      this.db.$queryRaw<Array<{ key: string; value: string }>>`SELECT "key", "value" FROM "BotMemory" WHERE "botId" = ${botId} ORDER BY "key"`,
    ]);
    return { userMemories, botMemories };
  }
}
