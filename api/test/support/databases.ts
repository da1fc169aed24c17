// Fresh, migrated databases for tests and benchmarks, made with the real `prisma migrate deploy`.
// Migrating is slow-ish (a CLI process), so it runs once into a template that each test copies.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
export const PRISMA_DIR = path.resolve(import.meta.dirname, '../../../prisma');
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function migrationsHash(provider: 'sqlite' | 'postgresql'): string {
  const dir = path.join(PRISMA_DIR, provider, 'migrations');
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name, 'migration.sql');
    if (existsSync(file)) hash.update(name).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export async function migrate(databaseUrl: string): Promise<void> {
  const prisma = path.join(PRISMA_DIR, 'node_modules/.bin/prisma');
  await run(prisma, ['migrate', 'deploy', '--config', 'prisma.config.ts'], {
    cwd: PRISMA_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' },
  });
}

/** A new SQLite file with every migration applied, in its own temporary directory. */
export async function freshSqliteDatabase(): Promise<{ url: string; dir: string }> {
  const templateDir = path.join(tmpdir(), 'mbc-test-templates');
  const template = path.join(templateDir, `sqlite-${migrationsHash('sqlite')}.db`);
  if (!existsSync(template)) {
    mkdirSync(templateDir, { recursive: true });
    const building = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await migrate(`file:${building}`);
    renameSync(building, template); // atomic: parallel test files never see a half-built template
  }
  const dir = path.join(tmpdir(), `mbc-test-${randomBytes(6).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(template, path.join(dir, 'chat.db'));
  return { url: `file:${path.join(dir, 'chat.db')}`, dir };
}

export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A new PostgreSQL database cloned from a migrated template; drop() removes it. */
export async function freshPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const template = `mbc_template_${migrationsHash('postgresql')}`;
  const exists = await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]));
  if (exists.rowCount === 0) {
    const building = `${template}_${randomBytes(4).toString('hex')}`;
    await admin((c) => c.query(`CREATE DATABASE "${building}"`));
    await migrate(withDatabase(POSTGRES_ADMIN_URL, building));
    await admin((c) => c.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`)).catch(async () => {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${building}"`)); // another process won the race
    });
  }
  const name = `mbc_test_${randomBytes(6).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE fails while another session is connected to the template: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: withDatabase(POSTGRES_ADMIN_URL, name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs one statement on a test database directly (SQLite file or PostgreSQL), as an operator would; returns the rows it reads. */
export async function runSql(databaseUrl: string, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  if (databaseUrl.startsWith('file:')) {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(databaseUrl.slice('file:'.length));
    try {
      const statement = db.prepare(sql.replace(/\$\d+/g, '?'));
      if (statement.reader) return statement.all(...params) as Array<Record<string, unknown>>;
      statement.run(...params);
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
