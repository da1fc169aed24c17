// Replies left STREAMING by a crashed process are marked FAILED, never left spinning forever.
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';

const INTERRUPTED = { status: 'FAILED' as const, errorCode: 'INTERRUPTED', errorMessage: 'The server restarted before the reply finished.' };

/**
 * On SQLite only this process writes the database, so every STREAMING reply at start-up is an orphan.
 * On PostgreSQL other instances may be streaming right now: only replies whose generator stopped
 * touching them (3 heartbeats) are orphans. The sweep runs at start-up and then periodically.
 */
export async function failOrphanedReplies(db: Db, config: Config, atStartup: boolean): Promise<number> {
  const where =
    config.database.provider === 'sqlite' && atStartup
      ? { status: 'STREAMING' as const }
      : { status: 'STREAMING' as const, updatedAt: { lt: new Date(Date.now() - 3 * config.chat.heartbeatMs) } };
  const { count } = await db.message.updateMany({ where, data: INTERRUPTED });
  return count;
}
