// An empty database becomes a working one by the documented command, or by MIGRATE_ON_START=true.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSystemBots } from '@multi-bot-chat/prisma/seed';
import { createDb } from '../../src/db.ts';
import { startApiServer } from '../support/api-server.ts';
import { POSTGRES_ADMIN_URL, PRISMA_DIR, freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { gqlOk, registerUser } from '../support/graphql-client.ts';
import { requireService } from '../support/services.ts';

const hasPostgres = requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'Migrations on PostgreSQL');

const created: string[] = [];
async function admin(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
async function emptyPostgresDatabase(): Promise<string> {
  const name = `mbc_empty_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  created.push(name);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
afterAll(async () => {
  for (const name of created) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

/** The API on that database serves the seeded bots and a new user. */
async function servesFrom(databaseUrl: string, env: Record<string, string> = {}) {
  const server = await startApiServer({ databaseUrl, env });
  try {
    const { accessToken } = await registerUser(server.graphqlUrl);
    const { bots } = await gqlOk(server.graphqlUrl, '{ bots { name } }', {}, accessToken);
    expect(bots.map((b: any) => b.name)).toEqual(['Support', 'Tutor', 'Fun']);
  } finally {
    await server.stop();
  }
}

// Independent databases, and the Prisma CLI is slow to start: the cases run side by side.
// The Prisma CLI waits ~10 s on exit after PostgreSQL work; on a loaded 2-core machine a case can take minutes.
describe.runIf(hasPostgres).concurrent('on an empty PostgreSQL database', { timeout: 240_000 }, () => {
  it('`npm run migrate` in prisma/ (= pnpm --filter @multi-bot-chat/prisma run migrate) with DATABASE_URL applies every migration', async () => {
    const url = await emptyPostgresDatabase();
    const { stdout } = await promisify(execFile)('npm', ['run', 'migrate'], { cwd: PRISMA_DIR, env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1' } });
    expect(stdout).toMatch(/All migrations have been successfully applied|migrations? (found|applied)/i);
    await servesFrom(url);
  });

  it('MIGRATE_ON_START=true migrates at start-up; the next instance finds nothing to do', async () => {
    const url = await emptyPostgresDatabase();
    const env = { JWT_SECRET: 'migrate-on-start-secret-0123456789abcdef', MIGRATE_ON_START: 'true', LOG_LEVEL: 'info' };
    const first = await startApiServer({ databaseUrl: url, env });
    try {
      const { accessToken } = await registerUser(first.graphqlUrl);
      // Instances started together would queue on Prisma's advisory lock; one after the other, the
      // second sees every migration applied and starts on the same data.
      const second = await startApiServer({ databaseUrl: url, env });
      try {
        expect((await gqlOk(second.graphqlUrl, '{ me { email } }', {}, accessToken)).me.email).toMatch(/@example\.com$/);
        expect(second.logs()).toContain('migrations applied');
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});

describe.runIf(hasPostgres)('instances starting together on one PostgreSQL', () => {
  it('seed the system bots once, without tripping over each other', async () => {
    const database = await freshPostgresDatabase();
    const clients = Array.from({ length: 6 }, () => createDb({ provider: 'postgresql', url: database.url, poolSize: 2 } as never));
    try {
      // Prisma's upsert reads, then inserts: started together, several see no row and insert.
      await Promise.all(clients.map((db) => seedSystemBots(db)));
      const bots = await clients[0].bot.findMany({ where: { ownerId: null }, select: { name: true } });
      expect(bots.map((b) => b.name).sort()).toEqual(['Fun', 'Support', 'Tutor']);
      expect(await clients[0].botMemory.count()).toBeGreaterThan(0);
    } finally {
      await Promise.all(clients.map((db) => db.$disconnect()));
      await database.drop();
    }
  });
});

describe.concurrent('on a new SQLite file', { timeout: 240_000 }, () => {
  it('MIGRATE_ON_START=true creates and migrates it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mbc-migrate-'));
    try {
      await servesFrom(`file:${path.join(dir, 'fresh.db')}`, { MIGRATE_ON_START: 'true' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
