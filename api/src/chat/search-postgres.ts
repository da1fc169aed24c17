// Search on PostgreSQL: the GIN index on to_tsvector('simple', "text") of COMPLETE messages (see its
// migration; the WHERE clause repeats the index's expression and predicate so the planner uses it).
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';
import type { SearchIndex, SearchQuery } from './search-index.ts';

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([\w-]{1,64})$/;

export class PostgresSearchIndex implements SearchIndex {
  constructor(private readonly db: Db) {}

  async find({ userId, botId, words, limit, after }: SearchQuery) {
    // Words hold only letters and digits, so they cannot be tsquery operators. Whole words, as on SQLite.
    const tsquery = words.join(' & ');
    const cursor = after ? CURSOR.exec(after) : null;
    const rows = await this.db.$queryRaw<Array<{ id: string; createdAt: Date }>>`
      SELECT m."id", m."createdAt" FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
      WHERE to_tsvector('simple', m."text") @@ to_tsquery('simple', ${tsquery}) AND m."status" = 'COMPLETE'
        AND s."userId" = ${userId} ${botId ? Prisma.sql`AND s."botId" = ${botId}` : Prisma.empty}
        ${cursor ? Prisma.sql`AND (m."createdAt", m."id") < (${new Date(cursor[1])}, ${cursor[2]})` : Prisma.empty}
      ORDER BY m."createdAt" DESC, m."id" DESC LIMIT ${limit}`;
    return rows.map((row) => ({ messageId: row.id, cursor: `${new Date(row.createdAt).toISOString()}|${row.id}` }));
  }

  isCursor(cursor: string): boolean {
    return CURSOR.test(cursor);
  }
}
