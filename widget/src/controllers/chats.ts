// A bot's chats: the server's, plus the chats started offline that exist only in the outbox until
// their first message reaches the server. Titles are the server's (it derives them from the first
// message just after the first reply); a chat not yet on the server shows its first message (cut
// by CSS).
import { randomId } from '@multi-bot-chat/sdk';
import type { Session } from './api.js';
import type { Connection } from './connection.js';

const LOCAL = 'local:';

/** Whether a chat exists only here so far (started offline, not yet on the server). */
export const isLocal = (sessionId: string) => sessionId.startsWith(LOCAL);

export class Chats {
  constructor(private readonly conn: Connection) {}

  /** The bot's chats, newest activity first, including chats started offline. */
  of(botId: string): Session[] {
    const local = new Map<string, Session>();
    for (const item of this.conn.data.outbox) {
      if (item.botId !== botId || !isLocal(item.sessionId) || local.has(item.sessionId)) continue;
      local.set(item.sessionId, {
        id: item.sessionId,
        title: item.title ?? item.text,
        clientId: item.sessionId.slice(LOCAL.length),
        createdAt: item.createdAt,
        updatedAt: item.createdAt,
        lastMessageAt: item.createdAt,
        model: null,
        botId,
      });
    }
    return [...local.values(), ...(this.conn.data.sessions[botId] ?? [])].sort((a, b) =>
      b.lastMessageAt < a.lastMessageAt ? -1 : b.lastMessageAt > a.lastMessageAt ? 1 : 0,
    );
  }

  load(botId: string): Promise<unknown> {
    const { conn } = this;
    if (!conn.data.user) return Promise.resolve(); // a guest not made yet has no chats
    return conn.once(`sessions:${botId}`, async () => {
      const page = await conn.client.sessions.list({ botId, first: 50 });
      conn.data.sessions[botId] = page.items;
      conn.changed();
    });
  }

  /** A key for a chat that exists only once its first message is sent. */
  draft(): string {
    return LOCAL + randomId();
  }

  /** Creates a chat started offline on the server (idempotent per clientId) and moves everything to its id. */
  async create(localId: string, botId: string, title: string | undefined): Promise<string> {
    const { conn } = this;
    const session = await conn.client.sessions.create({ botId, clientId: localId.slice(LOCAL.length), title });
    conn.outbox.adopt(localId, session.id);
    this.replace(session);
    conn.emit('adopt', { from: localId, to: session.id });
    conn.changed();
    return session.id;
  }

  async rename(sessionId: string, title: string): Promise<void> {
    const { conn } = this;
    if (isLocal(sessionId)) {
      conn.data.outbox = conn.data.outbox.map((item) => (item.sessionId === sessionId ? { ...item, title } : item));
    } else this.replace(await conn.client.sessions.rename(sessionId, title));
    conn.changed();
  }

  async delete(sessionId: string): Promise<void> {
    if (!isLocal(sessionId)) await this.conn.client.sessions.delete(sessionId);
    this.forget(sessionId);
  }

  /** Drops a deleted chat (here, or in another tab or device) and what it held. */
  forget(sessionId: string): void {
    const { conn } = this;
    for (const botId of Object.keys(conn.data.sessions)) {
      conn.data.sessions[botId] = conn.data.sessions[botId].filter((s) => s.id !== sessionId);
    }
    delete conn.data.messages[sessionId];
    conn.outbox.remove((item) => item.sessionId === sessionId);
    conn.changed();
  }

  private replace(session: Session): void {
    const { data } = this.conn;
    data.sessions[session.botId] = [session, ...(data.sessions[session.botId] ?? []).filter((s) => s.id !== session.id)];
  }

  /** Remembers the bot and chat open in an element, so a reload (also offline) comes back to them. */
  remember(place: string, botId: string, sessionId: string | undefined): void {
    this.conn.data.places[place] = { botId, sessionId: sessionId && !isLocal(sessionId) ? sessionId : undefined };
    this.conn.changed();
  }
}
