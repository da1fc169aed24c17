// The per-message path in plain SQL: the few statements every send, reply and history page runs.
//
// Prisma 6's JS engine compiles each query on the event loop before running it (0.5–1.5 ms of CPU
// here, more than the query itself; plan caching only arrives in Prisma 7.4). A send made ~12 such
// queries, so the compiler, not the database, set both the first-token latency and the sends per
// second. Raw statements skip the compiler (~0.1 ms each) and return rows in Prisma's own shapes
// (Date, numbers, enum strings) on both providers. Everything else stays on the Prisma client.
//
// The SQL is the common subset of SQLite and PostgreSQL: quoted identifiers, values bound through
// Prisma's tagged templates (never spliced in), and enum values written as literals from a fixed
// set (PostgreSQL casts a literal to its enum type, but not a text parameter). The API suite runs
// on both databases.
import type { Bot, ChatSession, Message } from '@multi-bot-chat/prisma/sqlite';
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';

export type SessionWithBot = ChatSession & { bot: Bot };

type MessageStatus = Message['status'];
const STATUSES: ReadonlySet<MessageStatus> = new Set(['COMPLETE', 'STREAMING', 'FAILED', 'CANCELLED']);
const statusLiteral = (status: MessageStatus) => {
  if (!STATUSES.has(status)) throw new Error(`not a message status: ${status}`);
  return Prisma.raw(`'${status}'`);
};

export async function sessionWithBot(db: Db, userId: string, sessionId: string): Promise<SessionWithBot | null> {
  const [session] = await db.$queryRaw<ChatSession[]>`
    SELECT * FROM "ChatSession" WHERE "id" = ${sessionId} AND "userId" = ${userId}`;
  if (!session) return null;
  const [bot] = await db.$queryRaw<Bot[]>`SELECT * FROM "Bot" WHERE "id" = ${session.botId}`;
  return bot ? { ...session, bot } : null;
}

/** A message in one of the user's own sessions. */
export async function ownMessage(db: Db, userId: string, messageId: string): Promise<Message | null> {
  const [message] = await db.$queryRaw<Message[]>`
    SELECT m.* FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
    WHERE m."id" = ${messageId} AND s."userId" = ${userId}`;
  return message ?? null;
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
    SELECT * FROM "Message" WHERE "parentId" = ${userMessage.id} AND "role" = 'BOT' LIMIT 1`;
  return botMessage ? { userMessage, botMessage } : null;
}

export async function streamingRepliesOf(db: Db, userId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ n: number | bigint }>>`
    SELECT COUNT(*) AS "n" FROM "Message" m JOIN "ChatSession" s ON s."id" = m."sessionId"
    WHERE m."status" = 'STREAMING' AND s."userId" = ${userId}`;
  return Number(row?.n ?? 0);
}

export async function lastPosition(db: Db, sessionId: string): Promise<number> {
  const [row] = await db.$queryRaw<Array<{ position: number }>>`
    SELECT "position" FROM "Message" WHERE "sessionId" = ${sessionId} ORDER BY "position" DESC LIMIT 1`;
  return row?.position ?? 0;
}

/** The user's message and the bot's empty STREAMING reply, in one transaction with the session's activity time. */
export async function insertPair(db: Db, userMessage: Message, botMessage: Message): Promise<void> {
  const insert = (m: Message) => db.$executeRaw`
    INSERT INTO "Message" ("id", "sessionId", "position", "seq", "parentId", "role", "text", "status", "clientMessageId", "model", "createdAt", "updatedAt")
    VALUES (${m.id}, ${m.sessionId}, ${m.position}, ${m.seq}, ${m.parentId}, ${Prisma.raw(m.role === 'BOT' ? "'BOT'" : "'USER'")},
            ${m.text}, ${statusLiteral(m.status)}, ${m.clientMessageId}, ${m.model}, ${m.createdAt}, ${m.updatedAt})`;
  await db.$transaction([insert(userMessage), insert(botMessage), touchSession(db, userMessage.sessionId, userMessage.createdAt)]);
}

export type ReplyEnd = Pick<
  Message,
  'text' | 'seq' | 'status' | 'errorCode' | 'errorMessage' | 'latencyMs' | 'firstTokenMs' | 'promptTokens' | 'completionTokens'
>;

/** Stores how a reply ended; null when its session was deleted meanwhile. */
export async function saveReplyEnd(db: Db, reply: Message, end: ReplyEnd): Promise<Message | null> {
  const now = new Date();
  const [updated] = await db.$transaction([
    db.$executeRaw`
      UPDATE "Message" SET "text" = ${end.text}, "seq" = ${end.seq}, "status" = ${statusLiteral(end.status)},
        "errorCode" = ${end.errorCode}, "errorMessage" = ${end.errorMessage}, "latencyMs" = ${end.latencyMs},
        "firstTokenMs" = ${end.firstTokenMs}, "promptTokens" = ${end.promptTokens}, "completionTokens" = ${end.completionTokens},
        "updatedAt" = ${now}
      WHERE "id" = ${reply.id}`,
    touchSession(db, reply.sessionId, now),
  ]);
  return updated === 0 ? null : { ...reply, ...end, updatedAt: now };
}

function touchSession(db: Db, sessionId: string, at: Date) {
  return db.$executeRaw`UPDATE "ChatSession" SET "lastMessageAt" = ${at}, "updatedAt" = ${at} WHERE "id" = ${sessionId}`;
}

/** Gives a session the title, unless it was renamed or titled already. */
export async function titleIfUntitled(db: Db, sessionId: string, untitled: string, title: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "ChatSession" SET "title" = ${title}, "updatedAt" = ${new Date()} WHERE "id" = ${sessionId} AND "title" = ${untitled}`;
}

/** What a prompt is made of: the bot's and the user's memories, and the latest turns before a position. */
export async function promptSources(db: Db, input: { sessionId: string; userId: string; botId: string; beforePosition: number; turns: number }) {
  const [userMemories, botMemories, recent] = await Promise.all([
    db.$queryRaw<Array<{ key: string; value: string }>>`
      SELECT "key", "value" FROM "UserMemory" WHERE "userId" = ${input.userId} AND "botId" = ${input.botId} ORDER BY "key"`,
    db.$queryRaw<Array<{ key: string; value: string }>>`SELECT "key", "value" FROM "BotMemory" WHERE "botId" = ${input.botId} ORDER BY "key"`,
    db.$queryRaw<Array<Pick<Message, 'role' | 'text'>>>`
      SELECT "role", "text" FROM "Message"
      WHERE "sessionId" = ${input.sessionId} AND "position" < ${input.beforePosition} AND "status" IN ('COMPLETE', 'CANCELLED')
      ORDER BY "position" DESC LIMIT ${input.turns}`,
  ]);
  return { userMemories, botMemories, recent };
}

/** A page of a session's history in order: the first or last `take` (negative: last) after/before a position. */
export async function historyPage(db: Db, sessionId: string, take: number, beyond?: { lt: number } | { gt: number }): Promise<Message[]> {
  const bound = !beyond ? Prisma.empty : 'lt' in beyond ? Prisma.sql`AND "position" < ${beyond.lt}` : Prisma.sql`AND "position" > ${beyond.gt}`;
  if (take < 0) {
    const rows = await db.$queryRaw<Message[]>`
      SELECT * FROM "Message" WHERE "sessionId" = ${sessionId} ${bound} ORDER BY "position" DESC LIMIT ${-take}`;
    return rows.reverse();
  }
  return db.$queryRaw<Message[]>`
    SELECT * FROM "Message" WHERE "sessionId" = ${sessionId} ${bound} ORDER BY "position" ASC LIMIT ${take}`;
}

/** Where a message sits in its session, or null if it is not in that session. */
export async function positionOf(db: Db, sessionId: string, messageId: string): Promise<number | null> {
  const [row] = await db.$queryRaw<Array<{ position: number }>>`
    SELECT "position" FROM "Message" WHERE "id" = ${messageId} AND "sessionId" = ${sessionId}`;
  return row?.position ?? null;
}
