// Creates the PostgreSQL database DATABASE_URL names when it does not exist yet, so that the
// migrations that follow have somewhere to go (Prisma's migrate deploy only says it is missing).
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './setup.mjs';

/** Resolves once the database exists; on failure, prints one line saying how to create it and exits. */
export async function ensurePostgresDatabase(databaseUrl) {
  if (!/^postgres(ql)?:/.test(databaseUrl)) return;
  // pg is a dependency of the Prisma package (its driver adapter): resolve it from there.
  const { default: pg } = await import(createRequire(path.join(ROOT, 'prisma/package.json')).resolve('pg'));
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

function fail(line) {
  console.error(line);
  process.exit(1);
}
