// Driver adapters for the two providers, shared by the Prisma CLI (prisma.config.ts) and the API.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import Database from 'better-sqlite3';
import pg from 'pg';

export type Provider = 'sqlite' | 'postgresql';

export function providerOf(databaseUrl: string): Provider {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? 'postgresql' : 'sqlite';
}

/** `file:./data/chat.db` → `./data/chat.db`, as better-sqlite3 wants it. */
export function sqliteFilename(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, '');
}

export function sqliteAdapter(databaseUrl: string) {
  return new PrismaBetterSQLite3({ url: sqliteFilename(databaseUrl) });
}

// The PostgreSQL catalog reports some columns as `name` (OID 19) and `"char"` (OID 18), which
// @prisma/adapter-pg 6.19 cannot deserialize (prisma/prisma#27403), breaking `migrate deploy`.
// Both are plain text to us.
const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18, 19]);

type Fields = { fields?: Array<{ dataTypeID: number }> } | undefined;
function reportCatalogTypesAsText<R extends Fields>(result: R): R {
  for (const field of result?.fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

class CatalogAwareClient extends pg.Client {
  // pg's query() has many overloads; this keeps each form and only patches the result.
  override query(...args: unknown[]): any {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      args[args.length - 1] = (err: Error | null, res: Fields) => last(err, reportCatalogTypesAsText(res));
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const out = (super.query as (...a: unknown[]) => unknown)(...args);
    if (out && typeof (out as Promise<Fields>).then === 'function') {
      return (out as Promise<Fields>).then(reportCatalogTypesAsText);
    }
    return out;
  }
}

export interface PgPoolOptions {
  /** Connections kept by this process. */
  max?: number;
  /** Lets short-lived CLI processes exit instead of idling on open connections. */
  allowExitOnIdle?: boolean;
}

/** The PostgreSQL pool the API's Prisma client and its direct reader share (so DATABASE_POOL_SIZE holds). */
export function postgresPool(databaseUrl: string, options: PgPoolOptions = {}): pg.Pool {
  return new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    allowExitOnIdle: options.allowExitOnIdle ?? false,
    idleTimeoutMillis: options.allowExitOnIdle ? 200 : 10_000,
    Client: CatalogAwareClient as unknown as typeof pg.Client,
  });
}

/** From a URL (the CLI) or from a pool the caller shares (the API); either way the adapter ends the pool with the client. */
export function postgresAdapter(databaseUrlOrPool: string | pg.Pool, options: PgPoolOptions = {}) {
  const pool = typeof databaseUrlOrPool === 'string' ? postgresPool(databaseUrlOrPool, options) : databaseUrlOrPool;
  return new PrismaPg(pool, { disposeExternalPool: true });
}

/**
 * Prepared reads beside Prisma (SQLite: on a read-only connection of their own, which WAL lets read
 * while the client writes; PostgreSQL: on the Prisma client's pool), for the one statement every authenticated
 * request runs (the API's viewer check). Prisma 6 runs even a raw query through its query compiler:
 * that statement through `$queryRaw` was ~25% of the server's CPU for an authenticated `me`. SQL is
 * written with $1, $2 … placeholders in order; rows come back as the driver gives them, except that
 * PostgreSQL's `timestamp` (which Prisma writes in UTC) is read as UTC.
 */
export interface DirectReader {
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function directReader(databaseUrl: string, sharedPool?: pg.Pool): DirectReader {
  if (providerOf(databaseUrl) === 'postgresql') {
    const pool = sharedPool ?? postgresPool(databaseUrl, { max: 2 });
    const names = new Map<string, string>();
    return {
      async all<T>(sql: string, params: unknown[]) {
        let name = names.get(sql);
        if (!name) names.set(sql, (name = `direct_${names.size}`));
        return (await pool.query({ name, text: sql, values: params, types: UTC_TIMESTAMPS })).rows as T[];
      },
      close: async () => {
        if (!sharedPool) await pool.end(); // a shared pool ends with the Prisma client
      },
    };
  }
  const db = new Database(sqliteFilename(databaseUrl), { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const statements = new Map<string, Database.Statement>();
  return {
    async all<T>(sql: string, params: unknown[]) {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = db.prepare(sql.replace(/\$\d+/g, '?'))));
      return statement.all(...params) as T[];
    },
    close: async () => void db.close(),
  };
}

const TIMESTAMP_OID = 1114;
const UTC_TIMESTAMPS = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};
