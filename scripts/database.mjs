// The database DATABASE_URL names, before the API starts: a PostgreSQL database that does not exist
// yet is created (Prisma's migrate deploy only says it is missing), and `prisma migrate deploy` runs
// only when a migration is not applied yet.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './setup.mjs';

const PRISMA = path.join(ROOT, 'prisma');
// The drivers are dependencies of the Prisma package (its driver adapters): resolve them from there.
const fromPrisma = createRequire(path.join(PRISMA, 'package.json'));
const isPostgres = (databaseUrl) => /^postgres(ql)?:/.test(databaseUrl);

/** Resolves once the database exists; on failure, prints one line saying how to create it and exits. */
export async function ensurePostgresDatabase(databaseUrl) {
  if (!isPostgres(databaseUrl)) return;
  const pg = fromPrisma('pg');
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const missing = await new pg.Client({ connectionString: databaseUrl }).connect().then(
    (client) => client.end().then(() => false),
    (error) => (error.code === '3D000' ? true : fail(`✗ Cannot connect to PostgreSQL at ${target.host} (${error.message}). Check DATABASE_URL.`)),
  );
  if (!missing) return;
  // CREATE DATABASE runs from the server's maintenance database, as the same user.
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.href });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    console.log(`✓ Created the PostgreSQL database "${name}" on ${target.host}`);
  } catch (error) {
    if (error.code === '42P04') return; // created meanwhile by someone else: what we wanted
    fail(`✗ The database "${name}" does not exist on ${target.host} and could not be created (${error.message}). Create it with: createdb -h ${target.hostname} -p ${target.port || 5432} -U ${decodeURIComponent(target.username) || 'postgres'} ${name}`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether every migration folder is applied, and none failed, by Prisma's own record of them
 * (_prisma_migrations). Then `prisma migrate deploy`, ~1.3 s of Prisma's CLI, would do nothing.
 * Anything unexpected (no database, no table) answers false: the migrations run and say what is wrong.
 */
export async function migrationsApplied(databaseUrl) {
  const provider = isPostgres(databaseUrl) ? 'postgresql' : 'sqlite';
  const folders = readdirSync(path.join(PRISMA, provider, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const query = 'SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations';
  let rows;
  try {
    rows = provider === 'postgresql' ? await postgresRows(databaseUrl, query) : sqliteRows(databaseUrl, query);
  } catch {
    return false;
  }
  const live = rows.filter((row) => row.rolled_back_at === null);
  const applied = new Set(live.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  return live.every((row) => row.finished_at !== null) && folders.every((name) => applied.has(name));
}

async function postgresRows(databaseUrl, query) {
  const client = new (fromPrisma('pg').Client)({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(query)).rows;
  } finally {
    await client.end();
  }
}

function sqliteRows(databaseUrl, query) {
  const Database = fromPrisma('better-sqlite3');
  // Relative paths are the Prisma CLI's: from the prisma folder, where it runs.
  const db = new Database(path.resolve(PRISMA, databaseUrl.replace(/^file:/, '')), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(query).all();
  } finally {
    db.close();
  }
}

function fail(line) {
  console.error(line);
  process.exit(1);
}
