// The message pipeline's entry points: send (idempotent), cancel, retry, wait for a reply.
import { randomBytes } from 'node:crypto';
import { DEFAULT_MODEL } from '@multi-bot-chat/prisma/seed';
import type { Message } from '@multi-bot-chat/prisma/sqlite';
import { setTimeout as delay } from 'node:timers/promises';
import type { Viewer } from '../auth/viewer.ts';
import { isForeignKeyViolation } from '../db.ts';
import { badInput, clientError, notFound, unauthenticated } from '../errors.ts';
import { insertPair, messageById, ownMessage, restartReply, storedPair } from './message-store.ts';
import { publishSessionEvent } from './publish-event.ts';
import type { ChatDeps, ReplyGenerator } from './replies.ts';
import type { SessionWithBot } from './session-store.ts';
import type { SessionService } from './sessions.ts';

export interface SendInput {
  sessionId: string;
  text: string;
  clientMessageId?: string | null;
  wait?: boolean;
}

export interface SentPair {
  userMessage: Message;
  botMessage: Message;
}

const CLIENT_MESSAGE_ID_MAX = 100;
/** What a message holds before any reply has run: the columns' defaults. */
const NO_METRICS = { latencyMs: null, firstTokenMs: null, promptTokens: null, completionTokens: null, errorCode: null, errorMessage: null };
const WAIT_POLL_MS = 500;

let idCounter = 0;
/** A cuid-shaped id (25 characters: c, time, counter, random; base 36), as Prisma's default would make. */
function newMessageId(): string {
  idCounter = (idCounter + 1) % 1_679_616; // 36^4
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, '0').slice(-12);
  return `c${Date.now().toString(36).padStart(8, '0')}${idCounter.toString(36).padStart(4, '0')}${random}`;
}

export class MessageService {
  constructor(
    private readonly deps: ChatDeps,
    private readonly replies: ReplyGenerator,
    private readonly sessions: SessionService,
  ) {}

  /** `session`: the viewer's session with its bot, when the caller has read it already. */
  async send(viewer: Viewer, input: SendInput, session?: SessionWithBot): Promise<SentPair> {
    const text = input.text.trim();
    if (!text) throw badInput('text', 'The message is empty.');
    if (text.length > this.deps.config.chat.messageMaxLength) {
      throw badInput('text', `The message is longer than ${this.deps.config.chat.messageMaxLength} characters.`);
    }
    const clientMessageId = input.clientMessageId ?? null;
    if (clientMessageId !== null && (clientMessageId.length === 0 || clientMessageId.length > CLIENT_MESSAGE_ID_MAX)) {
      throw badInput('clientMessageId', `clientMessageId must be 1 to ${CLIENT_MESSAGE_ID_MAX} characters.`);
    }
    session ??= await this.sessions.find(viewer, input.sessionId);

    const stored = clientMessageId && (await storedPair(this.deps.db, session.id, clientMessageId));
    if (stored) return input.wait ? { ...stored, botMessage: await this.waitForReply(stored.botMessage) } : stored;

    const model = session.bot.model === DEFAULT_MODEL ? this.deps.config.llm.defaultModel : session.bot.model;
    const pair = await this.store(viewer, session.id, model, text, clientMessageId);
    if ('duplicate' in pair) {
      return input.wait ? { ...pair.duplicate, botMessage: await this.waitForReply(pair.duplicate.botMessage) } : pair.duplicate;
    }
    const { pubsub } = this.deps;
    const to = { sessionId: session.id, userId: viewer.userId };
    publishSessionEvent(pubsub, to, { kind: 'MessageAdded', message: pair.userMessage });
    publishSessionEvent(pubsub, to, { kind: 'MessageAdded', message: pair.botMessage });

    const done = this.replies.start({ ...pair, bot: session.bot, userId: viewer.userId });
    if (!input.wait) return pair;
    return { userMessage: pair.userMessage, botMessage: (await done) ?? pair.botMessage };
  }

  /** Stops a streaming reply wherever it runs; a reply that already ended is returned as it is. */
  async cancel(viewer: Viewer, messageId: string): Promise<Message> {
    const message = await this.findOwnMessage(viewer, messageId);
    if (message.status !== 'STREAMING') return message;
    const local = this.replies.running(message.id);
    if (local) {
      this.replies.stop(message.id, 'cancel');
      return (await local) ?? message;
    }
    this.deps.pubsub.publish('replyControl', { action: 'cancel', messageId: message.id });
    return this.waitForReply(message);
  }

  /** Generates a failed or cancelled reply again, in place, as the same message. */
  async retry(viewer: Viewer, messageId: string): Promise<Message> {
    const message = await this.findOwnMessage(viewer, messageId);
    if (message.role !== 'BOT') throw badInput('messageId', 'Only a bot reply can be generated again.');
    if (message.status !== 'FAILED' && message.status !== 'CANCELLED') {
      throw badInput('messageId', 'Only a failed or cancelled reply can be generated again.');
    }
    const { db, pubsub } = this.deps;
    const session = await this.sessions.find(viewer, message.sessionId);
    const userMessage = message.parentId ? await messageById(db, message.parentId) : null;
    if (!userMessage) throw badInput('messageId', 'This reply has no question to answer again.');
    const restarted = await restartReply(db, message);
    const reset = await messageById(db, message.id);
    if (!reset) throw notFound('Message'); // its session was deleted meanwhile
    if (!restarted) return reset; // a concurrent retry won
    publishSessionEvent(pubsub, { sessionId: session.id, userId: viewer.userId }, { kind: 'MessageAdded', message: reset });
    void this.replies.start({ botMessage: reset, userMessage, bot: session.bot, userId: viewer.userId });
    return reset;
  }

  /** Resolves with the reply once it has ended, whichever instance generates it. */
  async waitForReply(botMessage: Message): Promise<Message> {
    const local = this.replies.running(botMessage.id);
    if (local) return (await local) ?? botMessage;
    if (botMessage.status !== 'STREAMING') return botMessage;
    const read = () => messageById(this.deps.db, botMessage.id);
    const events = this.deps.pubsub.subscribe('sessionEvents', botMessage.sessionId)[Symbol.asyncIterator]();
    try {
      // The end event finishes the wait at once. A Redis subscription becomes active only some
      // time after subscribe() returns, so an end in that window is caught by re-reading instead.
      const isOver = (message: Message | null) => !message || message.status !== 'STREAMING';
      const first = await read();
      if (isOver(first)) return first ?? botMessage;
      let next = events.next();
      for (;;) {
        const result = await Promise.race([next, delay(WAIT_POLL_MS, undefined)]);
        if (!result) {
          const current = await read();
          if (isOver(current)) return current ?? botMessage;
          continue;
        }
        if (result.done) return (await read()) ?? botMessage;
        next = events.next();
        const event = result.value;
        const ended =
          (event.kind === 'MessageCompleted' && event.message.id === botMessage.id) ||
          (event.kind === 'MessageFailed' && event.messageId === botMessage.id);
        if (ended) return (await read()) ?? botMessage;
      }
    } finally {
      await events.return?.();
    }
  }

  private async findOwnMessage(viewer: Viewer, messageId: string) {
    const message = await ownMessage(this.deps.db, viewer, messageId);
    if (!message) throw notFound('Message');
    return message;
  }

  /** Stores the pair under the concurrent-reply limit (see insertPair); a clientMessageId already stored returns its pair. */
  private async store(viewer: Viewer, sessionId: string, model: string, text: string, clientMessageId: string | null): Promise<SentPair | { duplicate: SentPair }> {
    const now = new Date();
    const common = { sessionId, seq: 0, createdAt: now, updatedAt: now, ...NO_METRICS };
    const userId = newMessageId();
    const { limits } = this.deps.config;
    const guest = viewer.role === 'GUEST';
    try {
      const result = await insertPair(
        this.deps.db,
        viewer.userId,
        {
          userMessage: { ...common, id: userId, role: 'USER', status: 'COMPLETE', text, clientMessageId, parentId: null, model: null },
          // parentId: the question this reply answers
          botMessage: { ...common, id: newMessageId(), role: 'BOT', status: 'STREAMING', text: '', clientMessageId: null, parentId: userId, model },
        },
        guest
          ? { maxStreaming: limits.guest.concurrentReplies, maxPerDay: limits.guest.messagesPerDay }
          : { maxStreaming: limits.concurrentRepliesPerUser },
      );
      if (result.ok) return { userMessage: result.userMessage, botMessage: result.botMessage };
      if (result.reason === 'duplicate') return { duplicate: result.stored };
      if (result.reason === 'no-user') throw unauthenticated('This account no longer exists.');
      if (result.reason === 'daily-limit') {
        throw clientError('RATE_LIMITED', 'Guests can send a limited number of messages a day. Create an account to go on now.', {
          retryAfter: result.retryAfterSeconds,
        });
      }
      const others = result.streaming === 1 ? 'your other reply' : `your other ${result.streaming} replies`;
      throw clientError('RATE_LIMITED', `Wait for ${others} to finish.`, { retryAfter: 1 });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw notFound('Session'); // deleted while we sent
      throw error;
    }
  }
}
