// Who may see what: the one statement of the ownership rule. A viewer sees the system bots and
// their own bots, and only their own sessions, messages and memories. Every lookup in chat/ takes
// its filter from here, whether it goes through the Prisma client (`where` objects) or through the
// plain SQL of the per-message path (conditions on a table alias): both forms of each rule stand
// side by side so that they cannot drift apart, and the cross-user suite runs them on both databases.
// Another user's object is indistinguishable from a missing one: NOT_FOUND, or null.
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';

export const visibleBots = (viewer: Viewer) => ({ OR: [{ ownerId: null }, { ownerId: viewer.userId }] }) satisfies Prisma.BotWhereInput;
export const ownSessions = (viewer: Viewer) => ({ userId: viewer.userId }) satisfies Prisma.ChatSessionWhereInput;
export const ownMessages = (viewer: Viewer) => ({ session: ownSessions(viewer) }) satisfies Prisma.MessageWhereInput;
export const ownMemories = (viewer: Viewer) => ({ userId: viewer.userId }) satisfies Prisma.UserMemoryWhereInput;

/** `alias` is a ChatSession row: the session is the viewer's. */
export const ownSessionSql = (viewer: Viewer, alias: string) => Prisma.sql`${Prisma.raw(`"${alias}"`)}."userId" = ${viewer.userId}`;
/** `alias` is a Bot row: the bot is a system bot or the viewer's own. */
export const visibleBotSql = (viewer: Viewer, alias: string) =>
  Prisma.sql`(${Prisma.raw(`"${alias}"`)}."ownerId" IS NULL OR ${Prisma.raw(`"${alias}"`)}."ownerId" = ${viewer.userId})`;
