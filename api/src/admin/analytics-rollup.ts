// The daily roll-up behind analytics: one DailyBotStats row per UTC day, bot and site (the users'
// site; "" for accounts), and one DailyBotUser row per active user, rebuilt from that day's
// messages. A periodic job redoes yesterday and today, so replies that end late are counted; the
// first run fills every day since the oldest message. Reading analytics then never touches
// Message rows (a 30-day range is ~30 rows per bot and site).
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';
import { BUCKET_BOUNDS_MS, bucketSql } from './latency-buckets.ts';

const DAY_MS = 24 * 60 * 60_000;
const dayOf = (at: Date) => at.toISOString().slice(0, 10);
const num = (value: unknown) => Number(value ?? 0);

type Key = string; // `${botId}\u0000${siteId}`
interface DayRow {
  conversations: number;
  userMessages: number;
  replies: number;
  failedReplies: number;
  failuresByCode: Record<string, number>;
  activeUsers: number;
  promptTokens: number;
  completionTokens: number;
  firstTokenBuckets: number[];
  latencyBuckets: number[];
}

/** Rebuilds the days from the last one rolled up (it may have been partial) to today. */
export async function rollUpRecentDays(db: Db, now = new Date()): Promise<number> {
  const [last] = await db.$queryRaw<Array<{ day: string | null }>>`SELECT MAX("day") AS "day" FROM "DailyBotStats"`;
  let from: Date;
  if (last?.day) from = new Date(Math.min(Date.parse(`${last.day}T00:00:00Z`), Date.parse(`${dayOf(now)}T00:00:00Z`) - DAY_MS));
  else {
    const [first] = await db.$queryRaw<Array<{ at: Date | string | null }>>`SELECT MIN("createdAt") AS "at" FROM "Message"`;
    if (!first?.at) return 0;
    from = new Date(`${dayOf(new Date(first.at))}T00:00:00Z`);
  }
  let days = 0;
  for (let start = from; start <= now; start = new Date(start.getTime() + DAY_MS)) {
    await rollUpDay(db, dayOf(start));
    days++;
  }
  return days;
}

/**
 * Replaces one day's roll-up rows with counts read from its messages and sessions. Every instance
 * runs the job; the upserts let two passes over the same day overlap without a key conflict.
 */
export async function rollUpDay(db: Db, day: string): Promise<void> {
  const start = new Date(`${day}T00:00:00Z`);
  const end = new Date(start.getTime() + DAY_MS);
  const inDay = Prisma.sql`m."createdAt" >= ${start} AND m."createdAt" < ${end}`;
  const from = Prisma.sql`FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId" JOIN "User" u ON u."id" = s."userId"`;
  const rows = new Map<Key, DayRow>();
  const row = (botId: string, siteId: string) => {
    const key = `${botId}\u0000${siteId}`;
    let found = rows.get(key);
    if (!found) {
      const empty = () => new Array(BUCKET_BOUNDS_MS.length + 1).fill(0);
      found = { conversations: 0, userMessages: 0, replies: 0, failedReplies: 0, failuresByCode: {}, activeUsers: 0, promptTokens: 0, completionTokens: 0, firstTokenBuckets: empty(), latencyBuckets: empty() };
      rows.set(key, found);
    }
    return found;
  };

  const totals = await db.$queryRaw<Array<Record<string, unknown>>>`
    SELECT s."botId" AS "botId", COALESCE(u."siteId", '') AS "siteId",
      SUM(CASE WHEN m."role" = 'USER' THEN 1 ELSE 0 END) AS "userMessages",
      SUM(CASE WHEN m."role" = 'BOT' AND m."status" <> 'STREAMING' THEN 1 ELSE 0 END) AS "replies",
      SUM(CASE WHEN m."status" = 'FAILED' THEN 1 ELSE 0 END) AS "failedReplies",
      SUM(COALESCE(m."promptTokens", 0)) AS "promptTokens", SUM(COALESCE(m."completionTokens", 0)) AS "completionTokens",
      COUNT(DISTINCT s."userId") AS "activeUsers"
    ${from} WHERE ${inDay} GROUP BY s."botId", COALESCE(u."siteId", '')`;
  for (const t of totals) {
    Object.assign(row(String(t.botId), String(t.siteId)), {
      userMessages: num(t.userMessages), replies: num(t.replies), failedReplies: num(t.failedReplies),
      promptTokens: num(t.promptTokens), completionTokens: num(t.completionTokens), activeUsers: num(t.activeUsers),
    });
  }
  const failures = await db.$queryRaw<Array<{ botId: string; siteId: string; code: string | null; n: unknown }>>`
    SELECT s."botId" AS "botId", COALESCE(u."siteId", '') AS "siteId", m."errorCode" AS "code", COUNT(*) AS "n"
    ${from} WHERE ${inDay} AND m."status" = 'FAILED' GROUP BY s."botId", COALESCE(u."siteId", ''), m."errorCode"`;
  for (const f of failures) row(f.botId, f.siteId).failuresByCode[f.code ?? 'UNKNOWN'] = num(f.n);
  for (const [column, field] of [['m."firstTokenMs"', 'firstTokenBuckets'], ['m."latencyMs"', 'latencyBuckets']] as const) {
    const buckets = await db.$queryRaw<Array<{ botId: string; siteId: string; bucket: unknown; n: unknown }>>`
      SELECT s."botId" AS "botId", COALESCE(u."siteId", '') AS "siteId", ${bucketSql(column)} AS "bucket", COUNT(*) AS "n"
      ${from} WHERE ${inDay} AND m."role" = 'BOT' AND ${Prisma.raw(column)} IS NOT NULL
      GROUP BY s."botId", COALESCE(u."siteId", ''), ${bucketSql(column)}`;
    for (const b of buckets) row(b.botId, b.siteId)[field][num(b.bucket)] = num(b.n);
  }
  const conversations = await db.$queryRaw<Array<{ botId: string; siteId: string; n: unknown }>>`
    SELECT s."botId" AS "botId", COALESCE(u."siteId", '') AS "siteId", COUNT(*) AS "n"
    FROM "ChatSession" s JOIN "User" u ON u."id" = s."userId"
    WHERE s."createdAt" >= ${start} AND s."createdAt" < ${end} GROUP BY s."botId", COALESCE(u."siteId", '')`;
  for (const c of conversations) row(c.botId, c.siteId).conversations = num(c.n);

  await db.$transaction([
    db.$executeRaw`DELETE FROM "DailyBotStats" WHERE "day" = ${day}`,
    db.$executeRaw`DELETE FROM "DailyBotUser" WHERE "day" = ${day}`,
    ...[...rows].map(([key, r]) => {
      const [botId, siteId] = key.split('\u0000');
      return db.$executeRaw`
        INSERT INTO "DailyBotStats" ("day", "botId", "siteId", "conversations", "userMessages", "replies", "failedReplies", "failuresByCode",
          "activeUsers", "promptTokens", "completionTokens", "firstTokenBuckets", "latencyBuckets")
        VALUES (${day}, ${botId}, ${siteId}, ${r.conversations}, ${r.userMessages}, ${r.replies}, ${r.failedReplies}, ${JSON.stringify(r.failuresByCode)},
          ${r.activeUsers}, ${r.promptTokens}, ${r.completionTokens}, ${JSON.stringify(r.firstTokenBuckets)}, ${JSON.stringify(r.latencyBuckets)})
        ON CONFLICT ("day", "botId", "siteId") DO UPDATE SET "conversations" = excluded."conversations", "userMessages" = excluded."userMessages",
          "replies" = excluded."replies", "failedReplies" = excluded."failedReplies", "failuresByCode" = excluded."failuresByCode",
          "activeUsers" = excluded."activeUsers", "promptTokens" = excluded."promptTokens", "completionTokens" = excluded."completionTokens",
          "firstTokenBuckets" = excluded."firstTokenBuckets", "latencyBuckets" = excluded."latencyBuckets"`;
    }),
    db.$executeRaw`
      INSERT INTO "DailyBotUser" ("day", "botId", "siteId", "userId")
      SELECT DISTINCT CAST(${day} AS TEXT), s."botId", COALESCE(u."siteId", ''), s."userId" ${from} WHERE ${inDay}
      ON CONFLICT DO NOTHING`,
  ]);
}
