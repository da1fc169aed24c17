// The outbox: messages the user wrote, kept until the server has them. Each chat is a queue of its
// own (a message waits only for the earlier messages of its chat, and their replies), while chats
// are delivered side by side: a long reply from one bot never holds back a message to another.
// It knows nothing of the SDK's transport: the connection gives it a `deliver` function.
import { AbortError, NetworkError, RateLimitError } from '@multi-bot-chat/sdk';

/** A message typed while offline (or not yet acknowledged), delivered later with the same clientMessageId. */
export interface OutboxItem {
  clientMessageId: string;
  botId: string;
  /** A server session id, or `local:<clientId>` for a chat started while offline. */
  sessionId: string;
  text: string;
  createdAt: string;
  /** Title for a chat started offline and renamed before it reached the server. */
  title?: string;
}

/** The server asked us to wait: until when (epoch ms), and why, in its words. */
export interface RateLimit {
  until: number;
  reason: string;
}

export interface OutboxHost {
  /** The queue as persisted, oldest first (the outbox replaces the array, never mutates it). */
  items: OutboxItem[];
  /** Signed in and online. */
  canSend(): boolean;
  /**
   * Sends one item; calls `accepted` once the server has it (the item then leaves the queue), and
   * resolves when its reply has ended.
   */
  deliver(item: OutboxItem, accepted: () => void): Promise<void>;
  /** The queue or its state changed; `save` when the queue itself did. */
  changed(save: boolean): void;
  /** A delivery failed for lack of network (the SDK already retried): wait until it is back. */
  unreachable(error: NetworkError): void;
  /** The server refused an item for good (e.g. too long): it was dropped. */
  refused(item: OutboxItem, error: unknown): void;
}

export class Outbox {
  /** clientMessageIds being delivered right now; the other items wait. */
  readonly sending = new Set<string>();
  limit: RateLimit | null = null;
  /** Chats whose queue is being delivered, each with the id its items have now. */
  private readonly busy = new Map<string, { chat: string }>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: OutboxHost) {}

  /** Queues a message and starts delivering its chat. */
  add(item: OutboxItem): void {
    this.host.items = [...this.host.items, item];
    this.host.changed(true);
    this.flush();
  }

  /** Chats with messages still queued. */
  get chats(): Set<string> {
    return new Set(this.host.items.map((item) => item.sessionId));
  }

  /** Drops queued items (a deleted chat or bot). */
  remove(matches: (item: OutboxItem) => boolean): void {
    this.host.items = this.host.items.filter((item) => !matches(item));
  }

  /** A chat started offline got its server id: its queued items (and its delivery) move along. */
  adopt(from: string, to: string): void {
    this.host.items = this.host.items.map((item) => (item.sessionId === from ? { ...item, sessionId: to } : item));
    const delivery = this.busy.get(from);
    if (!delivery) return;
    this.busy.delete(from);
    this.busy.set(to, Object.assign(delivery, { chat: to }));
  }

  /** Starts delivering every chat that has queued messages and is not being delivered yet. */
  flush(): void {
    if (!this.host.canSend() || this.waiting()) return;
    for (const chat of this.chats) if (!this.busy.has(chat)) void this.deliverChat(chat);
  }

  /** While rate-limited: true, and a timer flushes again the moment the wait is over. */
  private waiting(): boolean {
    if (!this.limit) return false;
    const wait = this.limit.until - Date.now();
    if (wait <= 0) {
      this.limit = null;
      this.host.changed(false);
      return false;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), wait);
    return true;
  }

  /** Delivers one chat's items in order, each after the previous one's reply. */
  private async deliverChat(chat: string): Promise<void> {
    const delivery = { chat };
    this.busy.set(chat, delivery);
    try {
      for (;;) {
        if (!this.host.canSend() || this.limit) return;
        const item = this.host.items.find((i) => i.sessionId === delivery.chat);
        if (!item || !(await this.deliverItem(item))) return;
      }
    } finally {
      this.busy.delete(delivery.chat);
    }
  }

  /** Delivers one item; resolves whether the chat's next item may follow. */
  private async deliverItem(item: OutboxItem): Promise<boolean> {
    const id = item.clientMessageId;
    this.sending.add(id);
    this.host.changed(false);
    try {
      await this.host.deliver(item, () => {
        this.sending.delete(id);
        this.remove((i) => i.clientMessageId === id);
        this.host.changed(true);
      });
      return true;
    } catch (error) {
      // Signed out meanwhile, or no longer in a state to send (e.g. the host page is being asked
      // who its user is again): the item waits for the next flush.
      if (error instanceof AbortError || !this.host.canSend()) return false;
      if (error instanceof RateLimitError) {
        this.limit = { until: Date.now() + (error.retryAfter || 1) * 1000, reason: error.message };
        this.host.changed(false);
        this.waiting();
        return false;
      }
      if (error instanceof NetworkError) {
        this.host.unreachable(error);
        return false;
      }
      this.remove((i) => i.clientMessageId === id);
      this.host.changed(true);
      this.host.refused(item, error);
      return true;
    } finally {
      if (this.sending.delete(id)) this.host.changed(false);
    }
  }
}
