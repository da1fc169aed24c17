// The message pipeline's entry points: send (idempotent), cancel, retry, regenerate, edit, wait for a reply.
import { DEFAULT_MODEL } from '@multi-bot-chat/prisma/seed';
import type { Message } from '@multi-bot-chat/prisma/sqlite';
import { setTimeout as delay } from 'node:timers/promises';
import type { Viewer } from '../auth/viewer.ts';
import { isForeignKeyViolation } from '../db.ts';
import { badInput, clientError, forbidden, notFound, quotaExceeded, unauthenticated } from '../errors.ts';
import { positionOfMessage } from './branch-store.ts';
import { newId } from './ids.ts';
import { type BranchPoint, insertTurn, messageById, type NewTurn, ownMessage, restartReply, storedPair } from './message-store.ts';
import { publishSessionEvent } from './publish-event.ts';
import type { QuotaService } from './quotas.ts';
import type { ChatDeps, ReplyGenerator } from './replies.ts';
import type { SessionWithBot } from './session-store.ts';
import type { SessionService } from './sessions.ts';
import { dayEnd } from './usage-store.ts';

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
/** A new message is the shown variant, on the active path (see branch-store.ts). */
const NEW_ON_PATH = { selected: true, onPath: true, deletedAt: null };
const WAIT_POLL_MS = 500;

export class MessageService {
  constructor(
    private readonly deps: ChatDeps,
    private readonly replies: ReplyGenerator,
    private readonly sessions: SessionService,
    private readonly quotas: QuotaService,
  ) {}

  /** `session`: the viewer's session with its bot, when the caller has read it already. */
  async send(viewer: Viewer, input: SendInput, session?: SessionWithBot): Promise<SentPair> {
    const text = this.messageText(input.text);
    const clientMessageId = input.clientMessageId ?? null;
    if (clientMessageId !== null && (clientMessageId.length === 0 || clientMessageId.length > CLIENT_MESSAGE_ID_MAX)) {
      throw badInput('clientMessageId', `clientMessageId must be 1 to ${CLIENT_MESSAGE_ID_MAX} characters.`);
    }
    session ??= await this.sessions.find(viewer, input.sessionId);

    const stored = clientMessageId && (await storedPair(this.deps.db, session.id, clientMessageId));
    if (stored) return input.wait ? { ...stored, botMessage: await this.waitForReply(stored.botMessage) } : stored;

    if (session.bot.disabledAt) throw forbidden('This bot is disabled.');
    const inserted = await this.store(viewer, session, { text, clientMessageId });
    if ('duplicate' in inserted) {
      const { duplicate } = inserted;
      return input.wait ? { ...duplicate, botMessage: await this.waitForReply(duplicate.botMessage) } : duplicate;
    }
    const pair = { userMessage: inserted.userMessage!, botMessage: inserted.botMessage };
    const done = this.startTurn(viewer, session, pair);
    if (!input.wait) return pair;
    return { userMessage: pair.userMessage, botMessage: (await done) ?? pair.botMessage };
  }

  /**
   * A new reply to the question a finished reply answered: the old one is kept as a variant, and the
   * conversation continues from the new one (the turns after the old one stay on its branch).
   */
  async regenerate(viewer: Viewer, messageId: string): Promise<Message> {
    const message = await this.findOwnMessage(viewer, messageId);
    if (message.role !== 'BOT') throw badInput('messageId', 'Only a bot reply can be regenerated.');
    if (message.status === 'STREAMING') throw badInput('messageId', 'This reply is still being written; stop it first.');
    if (!message.onPath) throw badInput('messageId', 'Switch to this branch before regenerating the reply.');
    const session = await this.sessions.find(viewer, message.sessionId);
    const question = message.parentId ? await messageById(this.deps.db, message.parentId) : null;
    if (!question) throw badInput('messageId', 'This reply has no question to answer again.');
    const stored = await this.store(viewer, session, null, { parentId: question.id, parentPosition: question.position });
    if ('duplicate' in stored) throw new Error('a regenerated reply has no clientMessageId');
    const pair = { userMessage: question, botMessage: stored.botMessage };
    void this.startTurn(viewer, session, pair, { at: question.id, newQuestion: false });
    return stored.botMessage;
  }

  /**
   * The question with new text, and a new reply to it. The original stays as the question's earlier
   * variant (its edit history), with the turns that followed it on their own branch.
   */
  async edit(viewer: Viewer, messageId: string, rawText: string): Promise<SentPair> {
    const text = this.messageText(rawText);
    const message = await this.findOwnMessage(viewer, messageId);
    if (message.role !== 'USER') throw badInput('messageId', 'Only your own messages can be edited.');
    if (!message.onPath) throw badInput('messageId', 'Switch to this branch before editing the message.');
    const session = await this.sessions.find(viewer, message.sessionId);
    const parentPosition = await positionOfMessage(this.deps.db, message.parentId);
    const stored = await this.store(viewer, session, { text, clientMessageId: null }, { parentId: message.parentId, parentPosition });
    if ('duplicate' in stored) throw new Error('an edit has no clientMessageId');
    const pair = { userMessage: stored.userMessage!, botMessage: stored.botMessage };
    void this.startTurn(viewer, session, pair, { at: message.parentId, newQuestion: true });
    return pair;
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

  private messageText(raw: string): string {
    const text = raw.trim();
    if (!text) throw badInput('text', 'The message is empty.');
    const max = this.deps.config.chat.messageMaxLength;
    if (text.length > max) throw badInput('text', `The message is longer than ${max} characters.`);
    return text;
  }

  /**
   * Tells subscribers about the new messages and starts the reply. `branch.at`: the parent the turn
   * branched off at, so that clients drop what followed it; `branch.newQuestion`: false when only
   * the reply is new (regenerating).
   */
  private startTurn(
    viewer: Viewer,
    session: SessionWithBot,
    pair: SentPair,
    branch?: { at: string | null; newQuestion: boolean },
  ): Promise<Message | null> {
    const { pubsub } = this.deps;
    const to = { sessionId: session.id, userId: viewer.userId };
    if (branch) publishSessionEvent(pubsub, to, { kind: 'PathChanged', sessionId: session.id, parentId: branch.at });
    if (branch?.newQuestion !== false) publishSessionEvent(pubsub, to, { kind: 'MessageAdded', message: pair.userMessage });
    publishSessionEvent(pubsub, to, { kind: 'MessageAdded', message: pair.botMessage });
    return this.replies.start({ ...pair, bot: session.bot, userId: viewer.userId });
  }

  /** The model a chat's replies use: its own choice, else its bot's (the configured default for the seed's placeholder). */
  private modelOf(session: SessionWithBot): string {
    if (session.model) return session.model;
    return session.bot.model === DEFAULT_MODEL ? this.deps.config.llm.defaultModel : session.bot.model;
  }

  private async findOwnMessage(viewer: Viewer, messageId: string) {
    const message = await ownMessage(this.deps.db, viewer, messageId);
    if (!message) throw notFound('Message');
    return message;
  }

  /**
   * Stores a turn under the concurrent-reply limit (see insertTurn): the user's message (none when
   * regenerating) and the empty reply, continuing the path or branching off at `branch`. A
   * clientMessageId already stored returns its pair.
   */
  private async store(
    viewer: Viewer,
    session: SessionWithBot,
    question: { text: string; clientMessageId: string | null } | null,
    branch?: BranchPoint,
  ): Promise<{ userMessage: Message | null; botMessage: Message } | { duplicate: SentPair }> {
    const now = new Date();
    const common = { sessionId: session.id, seq: 0, createdAt: now, updatedAt: now, parentId: null, ...NO_METRICS, ...NEW_ON_PATH };
    const { limits } = this.deps.config;
    const guest = viewer.role === 'GUEST';
    const turn: NewTurn = {
      userMessage: question ? { ...common, id: newId(), role: 'USER', status: 'COMPLETE', ...question, model: null } : undefined,
      botMessage: { ...common, id: newId(), role: 'BOT', status: 'STREAMING', text: '', clientMessageId: null, model: this.modelOf(session) },
    };
    const quota = await this.quotas.limitsFor(viewer.userId);
    try {
      const result = await insertTurn(
        this.deps.db,
        viewer.userId,
        turn,
        guest
          ? { maxStreaming: limits.guest.concurrentReplies, maxPerDay: limits.guest.messagesPerDay, quota }
          : { maxStreaming: limits.concurrentRepliesPerUser, quota },
        branch,
      );
      if (result.ok) return { userMessage: result.userMessage, botMessage: result.botMessage };
      if (result.reason === 'duplicate') return { duplicate: result.stored };
      if (result.reason === 'no-user') throw unauthenticated('This account no longer exists.');
      if (result.reason === 'off-path') throw badInput('messageId', 'This turn was changed meanwhile; switch to its branch first.');
      if (result.reason === 'quota') throw quotaExceeded(result.quota, dayEnd(now));
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
