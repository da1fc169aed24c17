// A chat's branches: switching between the variants of a turn, deleting a message (softly), forking
// a chat from a message into a new one, and the variants shown beside a message (‹ 2/3 ›).
import type { ChatSession, Message } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { badInput, notFound, unauthenticated } from '../errors.ts';
import type { PubSub } from '../pubsub.ts';
import { markDeleted, pathTo, selectVariant, variantsUnder } from './branch-store.ts';
import { newId } from './ids.ts';
import { lockUser, messageById, ownMessage } from './message-store.ts';
import { publishSessionEvent } from './publish-event.ts';
import type { SessionService } from './sessions.ts';

type VariantRequest = { parentId: string | null; resolve: (ids: string[]) => void; reject: (error: unknown) => void };

export class BranchService {
  /** Variant lookups waiting for the end of the current tick, by session: a history page is one query per session. */
  private pendingVariants = new Map<string, VariantRequest[]>();

  constructor(private readonly deps: { db: Db; pubsub: PubSub; sessions: SessionService }) {}

  /** Shows this variant of its turn, and the branch that follows it as it was last shown. */
  async select(viewer: Viewer, messageId: string): Promise<Message> {
    const { db, pubsub } = this.deps;
    const message = await this.findOwn(viewer, messageId);
    const changed = await db.$transaction(async (tx) => {
      const db = tx as unknown as Db;
      if (!(await lockUser(db, viewer.userId, new Date()))) throw unauthenticated('This account no longer exists.');
      const current = await messageById(db, message.id);
      if (!current) throw notFound('Message'); // its session was deleted meanwhile
      if (current.selected && current.onPath) return false;
      const parent = current.parentId ? await messageById(db, current.parentId) : null;
      if (parent && !parent.onPath) throw badInput('messageId', 'Switch to the branch this message is on first.');
      await selectVariant(db, current, parent?.position ?? 0);
      return true;
    });
    const to = { sessionId: message.sessionId, userId: viewer.userId };
    if (changed) publishSessionEvent(pubsub, to, { kind: 'PathChanged', sessionId: message.sessionId, parentId: message.parentId });
    return (await messageById(db, message.id)) ?? Promise.reject(notFound('Message'));
  }

  /** Hides a message everywhere and leaves it out of prompts; the turns around it stay. */
  async delete(viewer: Viewer, messageId: string): Promise<void> {
    const message = await this.findOwn(viewer, messageId);
    if (message.status === 'STREAMING') throw badInput('messageId', 'This reply is still being written; stop it first.');
    if (!(await markDeleted(this.deps.db, message.id))) throw notFound('Message');
    publishSessionEvent(this.deps.pubsub, { sessionId: message.sessionId, userId: viewer.userId }, { kind: 'MessageDeleted', messageId: message.id });
  }

  /** A new chat with the same bot and model holding the conversation up to this message (its path, without deleted messages). */
  async fork(viewer: Viewer, messageId: string): Promise<ChatSession> {
    const { db } = this.deps;
    const message = await this.findOwn(viewer, messageId);
    const session = await this.deps.sessions.find(viewer, message.sessionId);
    const path = (await pathTo(db, message.id)).filter((m) => m.deletedAt === null);
    if (path.some((m) => m.status === 'STREAMING')) throw badInput('messageId', 'Wait for the reply to finish before forking.');
    const now = new Date();
    let parentId: string | null = null;
    const copies = path.map((m, index) => {
      const copy = { ...m, id: newId(), parentId, position: index + 1, clientMessageId: null, selected: true, onPath: true, deletedAt: null };
      parentId = copy.id;
      return copy;
    });
    return db.$transaction(async (tx) => {
      const created = await tx.chatSession.create({
        data: { userId: viewer.userId, botId: session.botId, title: session.title, model: session.model, lastMessageAt: now },
      });
      await tx.message.createMany({ data: copies.map((m) => ({ ...m, sessionId: created.id })) });
      return created;
    });
  }

  /** The ids of the variants of this message's turn (itself among them), oldest first: batched per tick. */
  variantIds(message: Pick<Message, 'sessionId' | 'parentId'>): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const queued = this.pendingVariants.get(message.sessionId);
      if (queued) return queued.push({ parentId: message.parentId, resolve, reject });
      this.pendingVariants.set(message.sessionId, [{ parentId: message.parentId, resolve, reject }]);
      process.nextTick(() => void this.loadVariants(message.sessionId));
    });
  }

  private async loadVariants(sessionId: string): Promise<void> {
    const requests = this.pendingVariants.get(sessionId) ?? [];
    this.pendingVariants.delete(sessionId);
    try {
      const rows = await variantsUnder(this.deps.db, sessionId, [...new Set(requests.map((r) => r.parentId))]);
      for (const request of requests) request.resolve(rows.filter((row) => row.parentId === request.parentId).map((row) => row.id));
    } catch (error) {
      for (const request of requests) request.reject(error);
    }
  }

  private async findOwn(viewer: Viewer, messageId: string): Promise<Message> {
    const message = await ownMessage(this.deps.db, viewer, messageId);
    if (!message) throw notFound('Message');
    return message;
  }
}
