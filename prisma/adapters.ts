// Driver adapters for the two providers, shared by the Prisma CLI (prisma.config.ts) and the API.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
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

export function postgresAdapter(databaseUrl: string, options: PgPoolOptions = {}) {
  return new PrismaPg({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    allowExitOnIdle: options.allowExitOnIdle ?? false,
    idleTimeoutMillis: options.allowExitOnIdle ? 200 : 10_000,
    Client: CatalogAwareClient as unknown as typeof pg.Client,
  });
}
