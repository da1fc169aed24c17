// Chat sessions: many per user and bot. Creation is idempotent per client-generated id.
import type { Bot, ChatSession, Message } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { forbidden, notFound } from '../errors.ts';
import type { RequestSite } from '../sites/sites.ts';
import type { PubSub } from '../pubsub.ts';
import { ownSessions } from './access.ts';
import { publishSessionEvent } from './publish-event.ts';
import type { BotService } from './bots.ts';
import { historyPage, positionOf } from './message-store.ts';
import type { ReplyGenerator } from './replies.ts';
import { ownSessionWithBot, type SessionWithBot } from './session-store.ts';
import { DEFAULT_SESSION_TITLE } from './titles.ts';
import { parseInput } from './validation.ts';

export const sessionTitle = z.string().trim().min(1, 'The title is empty.').max(120, 'The title is longer than 120 characters.');
export const createSessionInput = z.object({
  botId: z.string(),
  clientId: z.string().uuid('clientId must be a UUID.').nullish(),
  title: sessionTitle.nullish(),
});

export class SessionService {
  constructor(private readonly deps: { db: Db; pubsub: PubSub; replies: ReplyGenerator; bots: BotService }) {}

  /** The viewer's sessions, newest activity first. `query`: the GraphQL layer's select/include and page. */
  list<Q extends object>(viewer: Viewer, botId: string | null, query?: Q) {
    return this.deps.db.chatSession.findMany({
      ...query,
      where: { ...ownSessions(viewer), ...(botId ? { botId } : {}) },
      orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
    });
  }

  /** The viewer's session, or null. */
  get<Q extends object>(viewer: Viewer, id: string, query?: Q) {
    return this.deps.db.chatSession.findFirst({ ...query, where: { id, ...ownSessions(viewer) } });
  }

  /** The viewer's session with its bot; NOT_FOUND otherwise. */
  async find(viewer: Viewer, id: string): Promise<SessionWithBot> {
    const session = await ownSessionWithBot(this.deps.db, viewer, id);
    if (!session) throw notFound('Session');
    return session;
  }

  /** The viewer's session with its bot, by the id the client gave it at creation; NOT_FOUND otherwise. */
  async findByClientId(viewer: Viewer, clientId: string): Promise<SessionWithBot> {
    const found = await this.deps.db.chatSession.findFirst({ where: { clientId, ...ownSessions(viewer) }, select: { id: true } });
    if (!found) throw notFound('Session');
    return this.find(viewer, found.id);
  }

  /** The viewer's sessions among `ids`, in one query. */
  byIds(viewer: Viewer, ids: string[]): Promise<ChatSession[]> {
    return this.deps.db.chatSession.findMany({ where: { id: { in: ids }, ...ownSessions(viewer) } });
  }

  /**
   * `site`: the request's site, which may show only some of the system bots. `bot`: the bot, when the
   * caller has read it (visible to the viewer) already.
   */
  async create(viewer: Viewer, input: z.input<typeof createSessionInput>, site: Pick<RequestSite, 'botIds'>, bot?: Bot): Promise<ChatSession> {
    const { db } = this.deps;
    const { botId, clientId, title } = parseInput(createSessionInput, input);
    bot ??= await this.deps.bots.find(viewer, botId);
    if (bot.ownerId === null && site.botIds.length && !site.botIds.includes(bot.id)) throw forbidden('This site does not offer this bot.');
    if (clientId) {
      const existing = await db.chatSession.findUnique({ where: { userId_clientId: { userId: viewer.userId, clientId } } });
      if (existing) return existing;
    }
    try {
      return await db.chatSession.create({
        data: { userId: viewer.userId, botId: bot.id, clientId: clientId ?? null, title: title ?? DEFAULT_SESSION_TITLE },
      });
    } catch (error) {
      if (!clientId || !isUniqueViolation(error)) throw error;
      return db.chatSession.findUniqueOrThrow({ where: { userId_clientId: { userId: viewer.userId, clientId } } });
    }
  }

  async rename(viewer: Viewer, id: string, title: string): Promise<ChatSession> {
    const parsed = parseInput(sessionTitle, title, 'title');
    const { count } = await this.deps.db.chatSession.updateMany({ where: { id, ...ownSessions(viewer) }, data: { title: parsed } });
    const renamed = count ? await this.get(viewer, id) : null;
    if (!renamed) throw notFound('Session');
    return renamed;
  }

  /** Deletes the session and, by cascade, its messages; a reply streaming in it stops and its subscribers are told. */
  async delete(viewer: Viewer, id: string): Promise<void> {
    const { count } = await this.deps.db.chatSession.deleteMany({ where: { id, ...ownSessions(viewer) } });
    if (count === 0) throw notFound('Session');
    await this.ended([{ id, userId: viewer.userId }]);
  }

  /**
   * Sessions that were just deleted: their streaming replies stop (the provider request is aborted,
   * wherever it runs), and each subscriber gets a last SessionDeleted event before the server ends
   * the subscription. The replies' rows are gone with the session: the generators running them,
   * on this instance or another, find them by session.
   */
  async ended(sessions: Array<{ id: string; userId: string }>): Promise<void> {
    const { pubsub, replies } = this.deps;
    for (const { id: sessionId, userId } of sessions) {
      replies.stopSession(sessionId);
      pubsub.publish('replyControl', { action: 'delete', sessionId });
      publishSessionEvent(pubsub, { sessionId, userId }, { kind: 'SessionDeleted', sessionId });
    }
  }

  /**
   * A page of the session's history: the first `take` messages, or the last `-take`, after or
   * before the message `cursorId`. Every page, newest or deep, is one index range scan on
   * (sessionId, position) of at most page + 1 rows.
   */
  async history(sessionId: string, take: number, cursorId?: string): Promise<Message[]> {
    const { db } = this.deps;
    if (!cursorId) return historyPage(db, sessionId, take);
    const at = await positionOf(db, sessionId, cursorId);
    if (at === null) return [];
    // The cursor's own row is excluded, as Prisma's cursor with skip: 1 did.
    return historyPage(db, sessionId, take, take < 0 ? { lt: at } : { gt: at });
  }
}
