// Streaming replies are saved in batches: every interval, all replies that changed are written in
// one transaction. Thousands of concurrent streams cost one commit per interval, not one per token.
// Quiet replies are touched too, so other instances can tell a live reply from an orphaned one.
//
// Each save rewrites a reply's whole text, so a long reply saved every interval costs ever more
// bytes for the same few new tokens (a 30 KB reply at 20 tokens/s: 120 KB/s to store 80 B/s; at a
// thousand streams the database falls behind). A reply is therefore saved at most every
// interval × (its length / 1 KB), capped by the heartbeat: short replies as before, long ones a
// little less often, so the bytes written per reply per second stay bounded.
import { Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';

/** Rows per UPDATE: 3 parameters each, well under SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const ROWS_PER_STATEMENT = 500;
/** Text a reply may be long and still be saved every interval; longer ones wait proportionally. */
const BYTES_PER_INTERVAL = 1024;

interface Snapshot {
  text: string;
  seq: number;
}

export class StreamFlusher {
  private readonly dirty = new Map<string, Snapshot>();
  /** Replies being generated, with when each was last saved. */
  private readonly live = new Map<string, number>();
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
    this.live.set(messageId, Date.now());
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
    const now = Date.now();
    const batch: Array<[string, Snapshot]> = [];
    for (const [id, snapshot] of this.dirty) {
      const gap = Math.min(this.heartbeatMs, this.intervalMs * Math.max(1, snapshot.text.length / BYTES_PER_INTERVAL));
      if (now - (this.live.get(id) ?? 0) < gap) continue; // saved recently enough for its length
      batch.push([id, snapshot]);
      this.dirty.delete(id);
      this.live.set(id, now);
    }
    const heartbeat = now - this.lastHeartbeat >= this.heartbeatMs;
    const written = new Set(batch.map(([id]) => id));
    const quiet = heartbeat ? [...this.live.keys()].filter((id) => !written.has(id)) : [];
    if (!batch.length && !quiet.length) return Promise.resolve();
    if (heartbeat) this.lastHeartbeat = now;

    // A few statements per batch instead of one Prisma update per reply: each Prisma query is
    // compiled on its own (~0.1–2 ms of CPU), so 2,000 streams cost seconds per flush that way.
    // `UPDATE … FROM (VALUES …)` is the same SQL on SQLite (3.33+) and PostgreSQL.
    const at = new Date(now);
    const writes: Prisma.PrismaPromise<unknown>[] = [];
    for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
      const rows = batch.slice(i, i + ROWS_PER_STATEMENT).map(([id, { text, seq }]) => Prisma.sql`(${id}, ${text}, CAST(${seq} AS INTEGER))`);
      writes.push(this.db.$executeRaw`
        UPDATE "Message" SET "text" = v.column2, "seq" = v.column3, "updatedAt" = ${at}
        FROM (VALUES ${Prisma.join(rows)}) AS v
        WHERE "Message"."id" = v.column1 AND "Message"."status" = 'STREAMING'`);
    }
    if (quiet.length) {
      writes.push(this.db.message.updateMany({ where: { id: { in: quiet }, status: 'STREAMING' }, data: { updatedAt: at } }));
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
