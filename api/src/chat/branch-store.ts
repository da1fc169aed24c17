// A chat's messages as a tree, in plain SQL (see message-store.ts for why not the Prisma client).
//
// Every message but the first has a parent: a reply's parent is the question it answers, a
// question's parent the message before it. Messages sharing a parent are variants of one turn
// (regenerated replies, edited questions); `selected` marks the one shown, and `onPath` every
// message on the session's active path, the chain of selected variants from the root. History pages
// read `onPath` rows by position (every message's ancestors have lower positions), so a page stays
// an index range scan however many branches a chat has; only a branch switch walks the tree.
//
// Callers run these inside the transaction that holds the user's row lock (see insertPair), so the
// path is changed by one writer at a time per user.
import type { Message } from '@multi-bot-chat/prisma/sqlite';
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';

const sameParent = (parentId: string | null) => (parentId === null ? Prisma.sql`"parentId" IS NULL` : Prisma.sql`"parentId" = ${parentId}`);

/** The last message on the session's active path: where the next question goes. */
export async function pathEnd(db: Db, sessionId: string): Promise<Pick<Message, 'id' | 'position'> | null> {
  const [row] = await db.$queryRaw<Array<Pick<Message, 'id' | 'position'>>>`
    SELECT "id", "position" FROM "Message" WHERE "sessionId" = ${sessionId} AND "onPath" ORDER BY "position" DESC LIMIT 1`;
  return row ?? null;
}

/**
 * Makes room for a new variant under `parentId` (null: the session's first turn): the path after
 * the parent leaves it, and the parent's other children are no longer the selected ones. The new
 * variant, inserted next with the columns' defaults (selected, on the path), ends the path.
 */
export async function branchAt(db: Db, sessionId: string, parentId: string | null, parentPosition: number): Promise<void> {
  await db.$executeRaw`
    UPDATE "Message" SET "onPath" = false WHERE "sessionId" = ${sessionId} AND "onPath" AND "position" > ${parentPosition}`;
  await db.$executeRaw`UPDATE "Message" SET "selected" = false WHERE "sessionId" = ${sessionId} AND ${sameParent(parentId)}`;
}

/**
 * Shows `message` instead of its selected sibling: the old branch leaves the path, and the path
 * continues from `message` down its selected descendants (the branch as it was last shown).
 */
export async function selectVariant(db: Db, message: Pick<Message, 'id' | 'sessionId' | 'parentId'>, parentPosition: number): Promise<void> {
  await branchAt(db, message.sessionId, message.parentId, parentPosition);
  await db.$executeRaw`UPDATE "Message" SET "selected" = true WHERE "id" = ${message.id}`;
  await db.$executeRaw`
    WITH RECURSIVE "branch"("id") AS (
      SELECT ${message.id}
      UNION ALL
      SELECT m."id" FROM "Message" m JOIN "branch" b ON m."parentId" = b."id" WHERE m."selected"
    )
    UPDATE "Message" SET "onPath" = true WHERE "id" IN (SELECT "id" FROM "branch")`;
}

/** The turns a reply answers: its ancestors from `parentId` up, newest first, finished and not deleted. */
export function pathTurns(db: Db, parentId: string, turns: number) {
  return db.$queryRaw<Array<Pick<Message, 'role' | 'text'>>>`
    WITH RECURSIVE "path"("id", "parentId", "depth") AS (
      SELECT "id", "parentId", 1 FROM "Message" WHERE "id" = ${parentId}
      UNION ALL
      SELECT m."id", m."parentId", p."depth" + 1 FROM "Message" m JOIN "path" p ON m."id" = p."parentId" WHERE p."depth" < ${turns}
    )
    SELECT m."role", m."text" FROM "path" p JOIN "Message" m ON m."id" = p."id"
    WHERE m."status" IN ('COMPLETE', 'CANCELLED') AND m."deletedAt" IS NULL
    ORDER BY p."depth" ASC`;
}

/** A message's ancestors and itself, root first: the conversation a fork starts from. */
export function pathTo(db: Db, messageId: string): Promise<Message[]> {
  return db.$queryRaw<Message[]>`
    WITH RECURSIVE "path"("id", "parentId") AS (
      SELECT "id", "parentId" FROM "Message" WHERE "id" = ${messageId}
      UNION ALL
      SELECT m."id", m."parentId" FROM "Message" m JOIN "path" p ON m."id" = p."parentId"
    )
    SELECT m.* FROM "path" p JOIN "Message" m ON m."id" = p."id" ORDER BY m."position" ASC`;
}

/** The variants (not deleted) of each given turn, in the order they were made; `parentIds` of one session. */
export function variantsUnder(db: Db, sessionId: string, parentIds: Array<string | null>) {
  const named = parentIds.filter((id): id is string => id !== null);
  const conditions = [
    ...(named.length ? [Prisma.sql`"parentId" IN (${Prisma.join(named)})`] : []),
    ...(named.length < parentIds.length ? [Prisma.sql`"parentId" IS NULL`] : []),
  ];
  return db.$queryRaw<Array<Pick<Message, 'id' | 'parentId'>>>`
    SELECT "id", "parentId" FROM "Message"
    WHERE "sessionId" = ${sessionId} AND "deletedAt" IS NULL AND (${Prisma.join(conditions, ' OR ')})
    ORDER BY "position" ASC`;
}

/** Soft-deletes a message; false when it was deleted already or is gone. */
export async function markDeleted(db: Db, messageId: string): Promise<boolean> {
  const updated = await db.$executeRaw`
    UPDATE "Message" SET "deletedAt" = ${new Date()}, "updatedAt" = ${new Date()} WHERE "id" = ${messageId} AND "deletedAt" IS NULL`;
  return updated > 0;
}

export async function isOnPath(db: Db, messageId: string): Promise<boolean> {
  const [row] = await db.$queryRaw<Array<{ onPath: boolean | number }>>`SELECT "onPath" FROM "Message" WHERE "id" = ${messageId}`;
  return Boolean(row?.onPath);
}

export async function positionOfMessage(db: Db, messageId: string | null): Promise<number> {
  if (messageId === null) return 0;
  const [row] = await db.$queryRaw<Array<{ position: number }>>`SELECT "position" FROM "Message" WHERE "id" = ${messageId}`;
  return row?.position ?? 0;
}
