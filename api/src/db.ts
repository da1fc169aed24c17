// The Prisma client for SQLite or PostgreSQL, chosen by DATABASE_URL.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type DirectReader, directReader, postgresAdapter, postgresPool, sqliteAdapter, sqliteFilename } from '@multi-bot-chat/prisma/adapters';
import { PrismaClient as PostgresClient } from '@multi-bot-chat/prisma/postgresql';
import { PrismaClient as SqliteClient } from '@multi-bot-chat/prisma/sqlite';
import type { Config } from './config.ts';

// The two generated clients differ only in provider details; the SQLite client's types are
// canonical so that one Pothos schema serves both.
export type Db = InstanceType<typeof SqliteClient>;
export type { Prisma } from '@multi-bot-chat/prisma/sqlite';

/** Each PostgreSQL client's pool, which its direct reader shares. */
const pools = new WeakMap<Db, ReturnType<typeof postgresPool>>();

export function createDb(database: Config['database']): Db {
  if (database.provider === 'postgresql') {
    const pool = postgresPool(database.url, { max: database.poolSize });
    const db = new PostgresClient({ adapter: postgresAdapter(pool) }) as unknown as Db;
    pools.set(db, pool);
    return db;
  }
  mkdirSync(path.dirname(path.resolve(sqliteFilename(database.url))), { recursive: true });
  return new SqliteClient({ adapter: sqliteAdapter(database.url) });
}

/** The viewer check's prepared reads (see DirectReader), on the client's pool for PostgreSQL. */
export function createDirectReader(database: Config['database'], db: Db): DirectReader {
  return directReader(database.url, pools.get(db));
}

/** SQLite runs best for a chat workload with WAL (readers never wait for the streaming writer). */
export async function tuneDb(db: Db, provider: Config['database']['provider']): Promise<void> {
  if (provider !== 'sqlite') return;
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
}

type DriverError = { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };

/**
 * Which constraint refused a write: Prisma's own code from the client's queries (P2002, P2003), or
 * for raw SQL (P2010) the driver adapter's kind, which both adapters set (from SQLite's
 * SQLITE_CONSTRAINT_* and PostgreSQL's SQLSTATE 23505 / 23503).
 */
function violated(error: unknown): 'unique' | 'foreign-key' | null {
  const { code, meta } = (error ?? {}) as DriverError;
  const kind = meta?.driverAdapterError?.cause?.kind;
  if (code === 'P2002' || kind === 'UniqueConstraintViolation') return 'unique';
  if (code === 'P2003' || kind === 'ForeignKeyConstraintViolation') return 'foreign-key';
  return null;
}

/** A unique index refused the write. */
export const isUniqueViolation = (error: unknown) => violated(error) === 'unique';
/** A row the write refers to is gone (e.g. a session deleted while a message was being stored). */
export const isForeignKeyViolation = (error: unknown) => violated(error) === 'foreign-key';
