// Daily usage rows (UsageDay) in plain SQL, for the send path and the end of a reply. The upserts
// are single statements (INSERT … ON CONFLICT DO UPDATE on both SQLite and PostgreSQL), so two
// instances adding to the same row never lose a count; the send's check and charge run inside
// insertPair's transaction, under the user's row lock, so no two sends pass one remaining message.
import type { Db } from '../db.ts';

export interface DailyUsage {
  messages: number;
  tokens: number;
}

/** The UTC day a moment falls on, as UsageDay stores it. */
export const usageDay = (at: Date) => at.toISOString().slice(0, 10);

/** When the day of `at` ends (UTC midnight): when its quotas reset. */
export const dayEnd = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));

export async function usageOn(db: Db, userId: string, day: string): Promise<DailyUsage> {
  const [row] = await db.$queryRaw<Array<{ messages: number | bigint; tokens: number | bigint }>>`
    SELECT "messages", "tokens" FROM "UsageDay" WHERE "userId" = ${userId} AND "day" = ${day}`;
  return { messages: Number(row?.messages ?? 0), tokens: Number(row?.tokens ?? 0) };
}

export function chargeMessage(db: Db, userId: string, day: string) {
  return db.$executeRaw`
    INSERT INTO "UsageDay" ("userId", "day", "messages", "tokens") VALUES (${userId}, ${day}, 1, 0)
    ON CONFLICT ("userId", "day") DO UPDATE SET "messages" = "UsageDay"."messages" + 1`;
}

/** Adds a finished reply's tokens to its session owner's day (the day the question was sent). */
export function chargeReplyTokens(db: Db, sessionId: string, day: string, tokens: number) {
  // SQLite needs the WHERE before ON CONFLICT in an INSERT … SELECT (it has one here anyway).
  return db.$executeRaw`
    INSERT INTO "UsageDay" ("userId", "day", "messages", "tokens")
    SELECT s."userId", ${day}, 0, ${tokens} FROM "ChatSession" s WHERE s."id" = ${sessionId}
    ON CONFLICT ("userId", "day") DO UPDATE SET "tokens" = "UsageDay"."tokens" + excluded."tokens"`;
}
