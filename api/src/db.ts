// The Prisma client for SQLite or PostgreSQL, chosen by DATABASE_URL.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { postgresAdapter, sqliteAdapter, sqliteFilename } from '@multi-bot-chat/prisma/adapters';
import { PrismaClient as PostgresClient } from '@multi-bot-chat/prisma/postgresql';
import { PrismaClient as SqliteClient } from '@multi-bot-chat/prisma/sqlite';
import type { Config } from './config.ts';

// The two generated clients differ only in provider details; the SQLite client's types are
// canonical so that one Pothos schema serves both.
export type Db = InstanceType<typeof SqliteClient>;
export type { Prisma } from '@multi-bot-chat/prisma/sqlite';

export function createDb(database: Config['database']): Db {
  if (database.provider === 'postgresql') {
    return new PostgresClient({ adapter: postgresAdapter(database.url, { max: database.poolSize }) }) as unknown as Db;
  }
  mkdirSync(path.dirname(path.resolve(sqliteFilename(database.url))), { recursive: true });
  return new SqliteClient({ adapter: sqliteAdapter(database.url) });
}

/** SQLite runs best for a chat workload with WAL (readers never wait for the streaming writer). */
export async function tuneDb(db: Db, provider: Config['database']['provider']): Promise<void> {
  if (provider !== 'sqlite') return;
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
}

/** A unique index refused the write: P2002 from the client's own queries, P2010 with the driver's kind from raw SQL. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
