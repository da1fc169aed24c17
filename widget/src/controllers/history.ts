// A chat's messages as shown: the server's pages (the newest first, older ones on demand), then the
// outbox's messages still waiting for the server.
import type { PageInfo, ViewMessage } from './api.js';
import { isLocal } from './chats.js';
import type { Connection } from './connection.js';

export class History {
  /** Where the next older page of each chat's history starts, while there is one. */
  private readonly earlier = new Map<string, string>();

  constructor(private readonly conn: Connection) {}

  /** Server messages then the outbox's pending ones, oldest first. */
  of(sessionId: string): ViewMessage[] {
    const { data } = this.conn;
    const pending = data.outbox
      .filter((item) => item.sessionId === sessionId)
      .map(
        (item) =>
          ({
            id: `local:${item.clientMessageId}`,
            sessionId,
            role: 'USER',
            text: item.text,
            status: 'PENDING',
            clientMessageId: item.clientMessageId,
            createdAt: item.createdAt,
          }) as unknown as ViewMessage,
      );
    return [...(data.messages[sessionId] ?? []), ...pending];
  }

  load(sessionId: string): Promise<unknown> {
    const { conn } = this;
    if (isLocal(sessionId)) return Promise.resolve();
    return conn.once(`history:${sessionId}`, async () => {
      const page = await conn.client.messages.history({ sessionId, last: 50 });
      conn.data.messages[sessionId] = conn.replies.merge(sessionId, page.items);
      this.pageStart(sessionId, page.pageInfo);
      conn.changed();
      conn.replies.followStreaming(sessionId);
    });
  }

  /** Whether older messages of the chat can be loaded. */
  hasEarlier(sessionId: string): boolean {
    return this.earlier.has(sessionId);
  }

  loadEarlier(sessionId: string): Promise<unknown> {
    const { conn } = this;
    return conn.once(`earlier:${sessionId}`, async () => {
      const page = await conn.client.messages.history({ sessionId, last: 50, before: this.earlier.get(sessionId) });
      conn.data.messages[sessionId] = [...page.items, ...(conn.data.messages[sessionId] ?? [])];
      this.pageStart(sessionId, page.pageInfo);
      conn.changed(false);
    });
  }

  private pageStart(sessionId: string, { hasPreviousPage, startCursor }: PageInfo): void {
    if (hasPreviousPage && startCursor) this.earlier.set(sessionId, startCursor);
    else this.earlier.delete(sessionId);
  }
}
