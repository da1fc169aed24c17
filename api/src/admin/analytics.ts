// Analytics over a range of UTC days, per bot and/or site: read from the daily roll-up (see
// analytics-rollup.ts), never from messages, except the topics, which come from a bounded sample of
// the range's latest user messages (TOPIC_SAMPLE) so their cost does not grow with the data.
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';
import { badInput } from '../errors.ts';
import { addBuckets, percentile } from './latency-buckets.ts';
import { topTerms } from './topics.ts';

export interface AnalyticsQuery {
  from: Date;
  to: Date;
  botId?: string | null;
  /** A site's id; "" selects accounts (users of no site). */
  siteId?: string | null;
}

export interface DayStats {
  day: string;
  conversations: number;
  userMessages: number;
  replies: number;
  failedReplies: number;
  activeUsers: number;
  promptTokens: number;
  completionTokens: number;
}

export interface Analytics {
  days: DayStats[];
  totals: Omit<DayStats, 'day'>;
  failuresByCode: Array<{ code: string; count: number }>;
  firstTokenMs: { p50: number | null; p95: number | null };
  latencyMs: { p50: number | null; p95: number | null };
  topics: Array<{ term: string; count: number }>;
}

const MAX_RANGE_DAYS = 366;
const TOPIC_SAMPLE = 1000;
const TOPIC_COUNT = 15;
const DAY_MS = 24 * 60 * 60_000;
const COUNTERS = ['conversations', 'userMessages', 'replies', 'failedReplies', 'activeUsers', 'promptTokens', 'completionTokens'] as const;

export class AnalyticsService {
  constructor(private readonly db: Db) {}

  async report(query: AnalyticsQuery): Promise<Analytics> {
    const fromDay = query.from.toISOString().slice(0, 10);
    const toDay = query.to.toISOString().slice(0, 10);
    if (toDay < fromDay) throw badInput('to', 'The range ends before it starts.');
    if ((Date.parse(toDay) - Date.parse(fromDay)) / DAY_MS >= MAX_RANGE_DAYS) throw badInput('to', `A range covers at most ${MAX_RANGE_DAYS} days.`);
    const scope = Prisma.sql`"day" >= ${fromDay} AND "day" <= ${toDay}
      ${query.botId ? Prisma.sql`AND "botId" = ${query.botId}` : Prisma.empty}
      ${query.siteId != null ? Prisma.sql`AND "siteId" = ${query.siteId}` : Prisma.empty}`;
    const [rows, [distinct], topics] = await Promise.all([
      this.db.$queryRaw<Array<Record<string, unknown>>>`SELECT * FROM "DailyBotStats" WHERE ${scope} ORDER BY "day"`,
      this.db.$queryRaw<Array<{ n: unknown }>>`SELECT COUNT(DISTINCT "userId") AS "n" FROM "DailyBotUser" WHERE ${scope}`,
      this.topics(query),
    ]);

    const byDay = new Map<string, DayStats>();
    const failures: Record<string, number> = {};
    const firstToken: number[] = [];
    const latency: number[] = [];
    for (const row of rows) {
      const day = String(row.day);
      const stats = byDay.get(day) ?? { day, ...Object.fromEntries(COUNTERS.map((c) => [c, 0])) } as DayStats;
      for (const counter of COUNTERS) stats[counter] += Number(row[counter] ?? 0);
      byDay.set(day, stats);
      for (const [code, n] of Object.entries(JSON.parse(String(row.failuresByCode)) as Record<string, number>)) failures[code] = (failures[code] ?? 0) + n;
      addBuckets(firstToken, JSON.parse(String(row.firstTokenBuckets)));
      addBuckets(latency, JSON.parse(String(row.latencyBuckets)));
    }
    const days = [...byDay.values()];
    const totals = Object.fromEntries(COUNTERS.map((c) => [c, days.reduce((sum, d) => sum + d[c], 0)])) as Omit<DayStats, 'day'>;
    // Days' active users overlap: the range's count is of distinct users.
    totals.activeUsers = Number(distinct?.n ?? 0);
    return {
      days,
      totals,
      failuresByCode: Object.entries(failures).map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count),
      firstTokenMs: { p50: percentile(firstToken, 0.5), p95: percentile(firstToken, 0.95) },
      latencyMs: { p50: percentile(latency, 0.5), p95: percentile(latency, 0.95) },
      topics,
    };
  }

  private async topics(query: AnalyticsQuery) {
    const start = new Date(`${query.from.toISOString().slice(0, 10)}T00:00:00Z`);
    const end = new Date(Date.parse(`${query.to.toISOString().slice(0, 10)}T00:00:00Z`) + DAY_MS);
    const texts = await this.db.$queryRaw<Array<{ text: string }>>`
      SELECT m."text" FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
      ${query.siteId != null ? Prisma.sql`JOIN "User" u ON u."id" = s."userId"` : Prisma.empty}
      WHERE m."createdAt" >= ${start} AND m."createdAt" < ${end} AND m."role" = 'USER'
      ${query.botId ? Prisma.sql`AND s."botId" = ${query.botId}` : Prisma.empty}
      ${query.siteId != null ? Prisma.sql`AND COALESCE(u."siteId", '') = ${query.siteId}` : Prisma.empty}
      ORDER BY m."createdAt" DESC LIMIT ${TOPIC_SAMPLE}`;
    return topTerms(texts.map((t) => t.text), TOPIC_COUNT);
  }
}
