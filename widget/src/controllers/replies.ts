// Sending a message and reading the streams of bot replies: each event is applied to the chat's
// messages as it comes (the SDK delivers every delta once and in order, filling gaps itself).
import { NetworkError } from '@multi-bot-chat/sdk';
import type { Message, SessionEvent } from './api.js';
import { isLocal } from './chats.js';
import type { Connection } from './connection.js';
import type { OutboxItem } from './outbox.js';

/** The server titles a new chat just after its first reply ends: read the list again after this long. */
const TITLE_DELAY_MS = 1000;

export class Replies {
  /** Bot replies whose stream we are reading. */
  private readonly following = new Set<string>();
  /** Aborted on sign-out: stops every stream of the signed-in user. */
  private life = new AbortController();

  constructor(private readonly conn: Connection) {}

  stopAll(): void {
    this.life.abort();
    this.life = new AbortController();
    this.following.clear();
  }

  /** A history page, except for replies we are streaming: the SDK's deltas continue our copy. */
  merge(sessionId: string, page: Message[]): Message[] {
    const streamed = new Map(this.conn.data.messages[sessionId]?.filter((m) => this.following.has(m.id)).map((m) => [m.id, m]));
    return page.map((m) => streamed.get(m.id) ?? m);
  }

  /** Sends an outbox item (creating its chat first if it was started offline) and reads the reply. */
  async deliver(item: OutboxItem, accepted: () => void): Promise<void> {
    const { conn } = this;
    const origin = conn.origins.get(item.clientMessageId);
    await conn.account.guest(); // on a guest site, the first message makes the guest
    const sessionId = isLocal(item.sessionId) ? await conn.chats.create(item.sessionId, item.botId, item.title) : item.sessionId;
    const reply = conn.client.messages.send({ sessionId, text: item.text, clientMessageId: item.clientMessageId, signal: this.life.signal });
    let acknowledged = false;
    try {
      await this.consume(reply, sessionId, origin, (message) => {
        if (acknowledged) return;
        acknowledged = true;
        conn.origins.delete(item.clientMessageId);
        accepted();
        conn.emit('sent', { message, origin });
      });
    } catch (error) {
      // Once the server has the message, a broken stream is not a failed send: catch up later.
      if (!acknowledged) throw error;
      this.lost(error);
    }
    void conn.chats.load(item.botId);
    setTimeout(() => conn.phase === 'ready' && conn.chats.load(item.botId), TITLE_DELAY_MS);
  }

  async cancel(messageId: string): Promise<void> {
    this.upsert(await this.conn.client.messages.cancel(messageId));
  }

  async retry(message: Message): Promise<void> {
    this.upsert(await this.conn.client.messages.retry(message.id));
    this.followStreaming(message.sessionId);
  }

  /** Follows the replies of a chat still streaming (after a reload, a reconnect or a retry). */
  followStreaming(sessionId: string): void {
    for (const message of this.conn.data.messages[sessionId] ?? []) {
      if (message.status !== 'STREAMING' || message.role !== 'BOT' || this.following.has(message.id)) continue;
      this.following.add(message.id);
      const reply = this.conn.client.messages.follow(message.id, { signal: this.life.signal });
      this.consume(reply, sessionId)
        .catch((error) => this.lost(error))
        .finally(() => this.following.delete(message.id));
    }
  }

  /** Applies a stream's events as they come; resolves when it ends. */
  private async consume(
    events: AsyncIterable<SessionEvent>,
    sessionId: string,
    origin?: object,
    onUserMessage?: (message: Message) => void,
  ): Promise<void> {
    const mine = new Set<string>();
    try {
      for await (const event of events) {
        if (event.type === 'delta') {
          this.appendDelta(sessionId, event);
          continue;
        }
        const message = this.apply(sessionId, event);
        if (message?.role === 'USER') onUserMessage?.(message);
        else if (message?.status === 'STREAMING') {
          mine.add(message.id);
          this.following.add(message.id);
        } else if (message) this.conn.emit('reply', { message, origin });
      }
    } finally {
      for (const id of mine) this.following.delete(id);
    }
  }

  /** A stream broke after the server had our message: the reply goes on there; catch up when back. */
  private lost(error: unknown): void {
    if (error instanceof NetworkError) this.conn.reachability.lost();
  }

  private upsert(message: Message): Message {
    const { conn } = this;
    const list = conn.data.messages[message.sessionId] ?? [];
    const index = list.findIndex((m) => m.id === message.id);
    conn.data.messages[message.sessionId] = index < 0 ? [...list, message] : list.map((m, i) => (i === index ? message : m));
    conn.changed(message.status !== 'STREAMING');
    return message;
  }

  /** Applies an added, completed or failed event; returns the message as it is now. */
  private apply(sessionId: string, event: Exclude<SessionEvent, { type: 'delta' }>): Message | undefined {
    if (event.type === 'deleted') return void this.conn.chats.forget(event.sessionId);
    if (event.type !== 'failed') return this.upsert(event.message);
    const message = this.conn.data.messages[sessionId]?.find((m) => m.id === event.messageId);
    return message && this.upsert({ ...message, status: 'FAILED', errorCode: event.code, errorMessage: event.message });
  }

  private appendDelta(sessionId: string, delta: { messageId: string; seq: number; text: string }): void {
    const { conn } = this;
    conn.data.messages[sessionId] = (conn.data.messages[sessionId] ?? []).map((m) =>
      m.id === delta.messageId ? { ...m, text: m.text + delta.text, seq: delta.seq } : m,
    );
    conn.changed(false);
  }
}
