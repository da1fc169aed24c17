// Streaming replies are saved in batches: every interval, all replies that changed are written in
// one transaction. Thousands of concurrent streams cost one commit per interval, not one per token.
// Quiet replies are touched too, so other instances can tell a live reply from an orphaned one.
import type { Db } from '../db.ts';

interface Snapshot {
  text: string;
  seq: number;
}

export class StreamFlusher {
  private readonly dirty = new Map<string, Snapshot>();
  private readonly live = new Set<string>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private lastHeartbeat = Date.now();

  constructor(
    private readonly db: Db,
    private readonly intervalMs: number,
    private readonly heartbeatMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  track(messageId: string): void {
    this.live.add(messageId);
    this.timer ??= setInterval(() => void this.flush(), Math.max(this.intervalMs, 10));
  }

  update(messageId: string, snapshot: Snapshot): void {
    this.dirty.set(messageId, snapshot);
  }

  /** The reply is ending: its final state is written by the caller, not by a later batch. */
  async untrack(messageId: string): Promise<void> {
    this.live.delete(messageId);
    this.dirty.delete(messageId);
    await this.flushing; // a batch already holding this reply's older text must land first
    if (this.live.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const batch = [...this.dirty];
    this.dirty.clear();
    const heartbeat = Date.now() - this.lastHeartbeat >= this.heartbeatMs;
    const written = new Set(batch.map(([id]) => id));
    const quiet = heartbeat ? [...this.live].filter((id) => !written.has(id)) : [];
    if (!batch.length && !quiet.length) return Promise.resolve();
    if (heartbeat) this.lastHeartbeat = Date.now();

    const writes = batch.map(([id, { text, seq }]) =>
      this.db.message.updateMany({ where: { id, status: 'STREAMING' }, data: { text, seq } }),
    );
    if (quiet.length) {
      writes.push(this.db.message.updateMany({ where: { id: { in: quiet }, status: 'STREAMING' }, data: { updatedAt: new Date() } }));
    }
    this.flushing = this.db
      .$transaction(writes)
      .then(() => undefined, this.onError)
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
