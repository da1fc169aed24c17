// Message rows in plain SQL: the statements every send, reply and history page runs.
//
// Prisma 6's JS engine compiles each query on the event loop before running it (0.5–1.5 ms of CPU
// here, more than the query itself; plan caching only arrives in Prisma 7.4). A send made ~12 such
// queries, so the compiler, not the database, set both the first-token latency and the sends per
// second. Raw statements skip the compiler (~0.1 ms each) and return rows in Prisma's own shapes
// (Date, numbers, enum strings) on both providers.
//
// The SQL is the common subset of SQLite and PostgreSQL: quoted identifiers, values bound through
// Prisma's tagged templates (never spliced in), and enum values written as literals from a fixed
// set (PostgreSQL casts a literal to its enum type, but not a text parameter). The API suite runs
// on both databases.
import type { Message } from '@multi-bot-chat/prisma/sqlite';
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { ownSessionSql } from './access.ts';
import { branchAt, isOnPath, pathEnd } from './branch-store.ts';
import type { QuotaLimits } from './quotas.ts';
import { touchSession } from './session-store.ts';
import { chargeMessage, chargeReplyTokens, usageDay, usageOn } from './usage-store.ts';

type MessageStatus = Message['status'];
const STATUSES: ReadonlySet<MessageStatus> = new Set(['COMPLETE', 'STREAMING', 'FAILED', 'CANCELLED']);
const statusLiteral = (status: MessageStatus) => {
  if (!STATUSES.has(status)) throw new Error(`not a message status: ${status}`);
  return Prisma.raw(`'${status}'`);
};

/** A message in one of the viewer's own sessions (a deleted one is gone for everyone). */
export async function ownMessage(db: Db, viewer: Viewer, messageId: string): Promise<Message | null> {
  const [message] = await db.$queryRaw<Message[]>`
    SELECT m.* FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
    WHERE m."id" = ${messageId} AND m."deletedAt" IS NULL AND ${ownSessionSql(viewer, 's')}`;
  return message ?? null;
}

/** Messages of the viewer's own sessions among `ids` (node lookups): one statement for any number of ids. */
export function ownMessages(db: Db, viewer: Viewer, ids: string[]): Promise<Message[]> {
  if (!ids.length) return Promise.resolve([]);
  return db.$queryRaw<Message[]>`
    SELECT m.* FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
    WHERE m."id" IN (${Prisma.join(ids)}) AND m."deletedAt" IS NULL AND ${ownSessionSql(viewer, 's')}`;
}

export async function messageById(db: Db, messageId: string): Promise<Message | null> {
  const [message] = await db.$queryRaw<Message[]>`SELECT * FROM "Message" WHERE "id" = ${messageId}`;
  return message ?? null;
}

/** A send already stored under this clientMessageId: the user's message and the reply to it. */
export async function storedPair(db: Db, sessionId: string, clientMessageId: string): Promise<{ userMessage: Message; botMessage: Message } | null> {
  const [userMessage] = await db.$queryRaw<Message[]>`
    SELECT * FROM "Message" WHERE "sessionId" = ${sessionId} AND "clientMessageId" = ${clientMessageId}`;
  if (!userMessage) return null;
  const [botMessage] = await db.$queryRaw<Message[]>`
    SELECT * FROM "Message" WHERE "parentId" = ${userMessage.id} AND "role" = 'BOT' ORDER BY "position" LIMIT 1`;
  return botMessage ? { userMessage, botMessage } : null;
}

type NewMessage = Omit<Message, 'position'>;
/** A new turn: the user's message and the reply to it, or (regenerating) a reply alone. */
export type NewTurn = { userMessage?: NewMessage; botMessage: NewMessage };
/** Where a turn branches off (a regenerated reply, an edited question): the parent it gets. */
export type BranchPoint = { parentId: string | null; parentPosition: number };

/**
 * Stores the turn at the session's next positions, with the bot's empty STREAMING reply, unless the
 * user already has `maxStreaming` replies streaming. The turn continues the active path, or branches
 * off at `branch`. One transaction that first locks the user's row (PostgreSQL: a row lock until
 * commit; SQLite: the database's write lock), so that the count of streaming replies, the positions,
 * the path and the clientMessageId check are read by one send at a time per user: concurrent sends
 * can neither exceed the limit, collide on a position nor leave two selected variants.
 * The daily quota is checked and the message counted under the same lock (`quota`: the user's limits).
 */
export async function insertTurn(
  db: Db,
  userId: string,
  turn: NewTurn,
  limits: { maxStreaming: number; maxPerDay?: number; quota?: QuotaLimits | null },
  branch?: BranchPoint,
): Promise<
  | { ok: true; userMessage: Message | null; botMessage: Message }
  | { ok: false; reason: 'duplicate'; stored: { userMessage: Message; botMessage: Message } }
  | { ok: false; reason: 'limit'; streaming: number }
  | { ok: false; reason: 'daily-limit'; retryAfterSeconds: number }
  | { ok: false; reason: 'quota'; quota: 'messages' | 'tokens' }
  | { ok: false; reason: 'no-user' }
  | { ok: false; reason: 'off-path' }
> {
  const { sessionId, createdAt: now } = turn.botMessage;
  return db.$transaction(async (tx) => {
    const db = tx as unknown as Db;
    if (!(await lockUser(db, userId, now))) return { ok: false, reason: 'no-user' } as const;
    const clientMessageId = turn.userMessage?.clientMessageId;
    const stored = clientMessageId ? await storedPair(db, sessionId, clientMessageId) : null;
    if (stored) return { ok: false, reason: 'duplicate', stored } as const;
    const streaming = await streamingRepliesOf(db, userId);
    if (streaming >= limits.maxStreaming) return { ok: false, reason: 'limit', streaming } as const;
    if (limits.maxPerDay !== undefined) {
      const day = await sentInLastDay(db, userId, now);
      if (day.count >= limits.maxPerDay) {
        const retryAfterSeconds = Math.max(1, Math.ceil((day.oldest!.getTime() + DAY_MS - now.getTime()) / 1000));
        return { ok: false, reason: 'daily-limit', retryAfterSeconds } as const;
      }
    }
    const day = usageDay(now);
    if (limits.quota) {
      const used = await usageOn(db, userId, day);
      if (used.messages >= limits.quota.messagesPerDay) return { ok: false, reason: 'quota', quota: 'messages' } as const;
      if (used.tokens >= limits.quota.tokensPerDay) return { ok: false, reason: 'quota', quota: 'tokens' } as const;
    }
    // A regenerated reply is no new message: only its tokens count.
    if (turn.userMessage) await chargeMessage(db, userId, day);
    const [last] = await db.$queryRaw<Array<{ position: number | null }>>`
      SELECT MAX("position") AS "position" FROM "Message" WHERE "sessionId" = ${sessionId}`;
    let position = Number(last?.position ?? 0) + 1;
    let parentId: string | null;
    if (branch) {
      // A concurrent edit or switch may have taken the parent off the path since the caller looked.
      if (branch.parentId !== null && !(await isOnPath(db, branch.parentId))) return { ok: false, reason: 'off-path' } as const;
      await branchAt(db, sessionId, branch.parentId, branch.parentPosition);
      parentId = branch.parentId;
    } else {
      parentId = (await pathEnd(db, sessionId))?.id ?? null;
    }
    let userMessage: Message | null = null;
    if (turn.userMessage) {
      userMessage = { ...turn.userMessage, parentId, position: position++ };
      await insert(db, userMessage);
      parentId = userMessage.id;
    }
    const botMessage = { ...turn.botMessage, parentId, position };
    await insert(db, botMessage);
    await touchSession(db, sessionId, now);
    return { ok: true, userMessage, botMessage } as const;
  });
}

/**
 * Locks the user's row until the transaction ends, and records the activity that keeps a guest
 * from the retention sweep; false when the user no longer exists.
 */
export async function lockUser(db: Db, userId: string, now: Date): Promise<boolean> {
  return (await db.$executeRaw`UPDATE "User" SET "lastActiveAt" = ${now} WHERE "id" = ${userId}`) > 0;
}

function insert(db: Db, m: Message) {
  return db.$executeRaw`
    INSERT INTO "Message" ("id", "sessionId", "position", "seq", "parentId", "role", "text", "status", "clientMessageId", "model", "createdAt", "updatedAt")
    VALUES (${m.id}, ${m.sessionId}, ${m.position}, ${m.seq}, ${m.parentId}, ${Prisma.raw(m.role === 'BOT' ? "'BOT'" : "'USER'")},
            ${m.text}, ${statusLiteral(m.status)}, ${m.clientMessageId}, ${m.model}, ${m.createdAt}, ${m.updatedAt})`;
}

const DAY_MS = 24 * 60 * 60_000;

/** The user's messages of the last 24 hours: how many, and when the oldest was sent (when one more is allowed). */
async function sentInLastDay(db: Db, userId: string, now: Date): Promise<{ count: number; oldest: Date | null }> {
  const [row] = await db.$queryRaw<Array<{ n: number | bigint; oldest: Date | string | null }>>`
    SELECT COUNT(*) AS "n", MIN(m."createdAt") AS "oldest" FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
    WHERE s."userId" = ${userId} AND m."role" = 'USER' AND m."createdAt" > ${new Date(now.getTime() - DAY_MS)}`;
  return { count: Number(row?.n ?? 0), oldest: row?.oldest ? new Date(row.oldest) : null };
}

async function streamingRepliesOf(db: Db, userId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number | bigint }>>`
    SELECT COUNT(*) AS "n" FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
    WHERE m."status" = 'STREAMING' AND s."userId" = ${userId}`;
  return Number(row?.n ?? 0);
}

export type ReplyEnd = Pick<
  Message,
  'text' | 'seq' | 'status' | 'errorCode' | 'errorMessage' | 'latencyMs' | 'firstTokenMs' | 'promptTokens' | 'completionTokens'
>;

/** Stores how a reply ended and charges its tokens to the user's day; null when its session was deleted meanwhile. */
export async function saveReplyEnd(db: Db, reply: Message, end: ReplyEnd): Promise<Message | null> {
  const now = new Date();
  const tokens = (end.promptTokens ?? 0) + (end.completionTokens ?? 0);
  // Locks in the order insertTurn takes them (usage row, then message rows, then the session): on
  // PostgreSQL any other order deadlocked with a concurrent send or edit of the same user (found by
  // races.test.ts and conversation-tools.test.ts).
  const results = await db.$transaction([
    ...(tokens > 0 ? [chargeReplyTokens(db, reply.sessionId, usageDay(reply.createdAt), tokens)] : []),
    db.$executeRaw`
      UPDATE "Message" SET "text" = ${end.text}, "seq" = ${end.seq}, "status" = ${statusLiteral(end.status)},
        "errorCode" = ${end.errorCode}, "errorMessage" = ${end.errorMessage}, "latencyMs" = ${end.latencyMs},
        "firstTokenMs" = ${end.firstTokenMs}, "promptTokens" = ${end.promptTokens}, "completionTokens" = ${end.completionTokens},
        "updatedAt" = ${now}
      WHERE "id" = ${reply.id}`,
    touchSession(db, reply.sessionId, now),
  ]);
  const updated = results[tokens > 0 ? 1 : 0];
  return updated === 0 ? null : { ...reply, ...end, updatedAt: now };
}

/** Puts a FAILED or CANCELLED reply back to STREAMING for a retry; false when a concurrent retry won. */
export async function restartReply(db: Db, reply: Message): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE "Message" SET "status" = 'STREAMING', "text" = '', "seq" = 0, "errorCode" = NULL, "errorMessage" = NULL,
      "latencyMs" = NULL, "firstTokenMs" = NULL, "updatedAt" = ${new Date()}
    WHERE "id" = ${reply.id} AND "status" = ${statusLiteral(reply.status)}`;
  return updated > 0;
}

/**
 * A page of a session's history in order: the first or last `take` (negative: last) after/before a
 * position. History is the active path without deleted messages (see branch-store.ts).
 */
export async function historyPage(db: Db, sessionId: string, take: number, beyond?: { lt: number } | { gt: number }): Promise<Message[]> {
  const bound = !beyond ? Prisma.empty : 'lt' in beyond ? Prisma.sql`AND "position" < ${beyond.lt}` : Prisma.sql`AND "position" > ${beyond.gt}`;
  const shown = Prisma.sql`"sessionId" = ${sessionId} AND "onPath" AND "deletedAt" IS NULL`;
  if (take < 0) {
    const rows = await db.$queryRaw<Message[]>`
      SELECT * FROM "Message" WHERE ${shown} ${bound} ORDER BY "position" DESC LIMIT ${-take}`;
    return rows.reverse();
  }
  return db.$queryRaw<Message[]>`
    SELECT * FROM "Message" WHERE ${shown} ${bound} ORDER BY "position" ASC LIMIT ${take}`;
}

/** Where a message sits in its session, or null if it is not in that session. */
export async function positionOf(db: Db, sessionId: string, messageId: string): Promise<number | null> {
  const [row] = await db.$queryRaw<Array<{ position: number }>>`
    SELECT "position" FROM "Message" WHERE "id" = ${messageId} AND "sessionId" = ${sessionId}`;
  return row?.position ?? null;
}
