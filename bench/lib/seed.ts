// Seeding benchmark data straight into a migrated SQLite file with better-sqlite3: fast enough for
// a million rows, and no API involved. Rows look exactly like the API's own (ISO dates with +00:00,
// as @prisma/adapter-better-sqlite3 writes them; Relay IDs are base64 of "Type:id").
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshSqliteDatabase, migrationsHash } from '../../api/test/support/databases.ts';
import { DEFAULT_MODEL, SYSTEM_BOTS } from '../../prisma/seed.ts';
import { requireFrom, ROOT } from './api.ts';

type Database = import('better-sqlite3').Database;
const BetterSqlite3 = requireFrom('prisma')('better-sqlite3') as typeof import('better-sqlite3');
const bcrypt = requireFrom('api')('bcryptjs') as typeof import('bcryptjs');

const isoDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

export function openSqlite(file: string): Database {
  const db = new BetterSqlite3(file);
  db.pragma('busy_timeout = 10000');
  return db;
}

/** The system bots as the API's start-up seed creates them (it leaves existing rows alone). */
function insertSystemBots(db: Database): void {
  const now = isoDate(Date.now());
  const insert = db.prepare(
    `INSERT OR IGNORE INTO "Bot" (id, ownerId, slug, name, description, avatar, model, systemPrompt, temperature, settings, createdAt, updatedAt)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`,
  );
  for (const bot of SYSTEM_BOTS) {
    insert.run(bot.id, bot.slug, bot.name, bot.description, bot.avatar, DEFAULT_MODEL, bot.systemPrompt, bot.temperature, now, now);
  }
}

let passwordHash: string | undefined;
/** Users `${prefix}-${i}`, each with one session `${prefix}-s-${i}` with the Support bot. */
export function insertUsersWithSessions(db: Database, prefix: string, count: number): Array<{ userId: string; sessionId: string }> {
  passwordHash ??= bcrypt.hashSync('correct horse battery', 4);
  const now = isoDate(Date.now());
  const user = db.prepare(`INSERT INTO "User" (id, email, passwordHash, role, createdAt) VALUES (?, ?, ?, 'USER', ?)`);
  const session = db.prepare(
    `INSERT INTO "ChatSession" (id, userId, botId, clientId, title, createdAt, updatedAt, lastMessageAt) VALUES (?, ?, 'system-support', NULL, 'Bench', ?, ?, ?)`,
  );
  const out: Array<{ userId: string; sessionId: string }> = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const userId = `${prefix}-${i}`;
      const sessionId = `${prefix}-s-${i}`;
      user.run(userId, `${userId}@bench.example.com`, passwordHash, now);
      session.run(sessionId, userId, now, now, now);
      out.push({ userId, sessionId });
    }
  })();
  return out;
}

const WORDS = 'the a chat bot reply message session stream token answer question model data index page history user fast light quick'.split(' ');

/** A migrated SQLite file holding 1,000,000 messages: one session of 100,000, one of 1,000, and 899 more of 1,000. */
export const HISTORY = { total: 1_000_000, big: 100_000, small: 1_000, bigSession: 'hist-big', smallSession: 'hist-small', owner: 'hist-owner' };

export async function historyDatabase(): Promise<{ file: string; built: boolean; buildMs: number }> {
  const cacheDir = path.join(tmpdir(), 'mbc-bench-cache');
  const file = path.join(cacheDir, `history-${HISTORY_VERSION}-${migrationsHash('sqlite')}.db`);
  if (existsSync(file)) return { file, built: false, buildMs: 0 };
  mkdirSync(cacheDir, { recursive: true });
  const started = performance.now();
  const building = `${file}.${process.pid}.building`;
  const fresh = await freshSqliteDatabase();
  copyFileSync(fresh.url.replace(/^file:/, ''), building);
  rmSync(fresh.dir, { recursive: true, force: true });

  const db = openSqlite(building);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');
  insertSystemBots(db);
  const now = Date.now();
  const pw = (passwordHash ??= bcrypt.hashSync('correct horse battery', 4));
  const users = 100;
  const insertUser = db.prepare(`INSERT INTO "User" (id, email, passwordHash, role, createdAt) VALUES (?, ?, ?, 'USER', ?)`);
  const insertSession = db.prepare(
    `INSERT INTO "ChatSession" (id, userId, botId, clientId, title, createdAt, updatedAt, lastMessageAt) VALUES (?, ?, ?, NULL, ?, ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO "Message" (id, sessionId, position, seq, parentId, role, text, status, clientMessageId, model, latencyMs, firstTokenMs, promptTokens, completionTokens, createdAt, updatedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'COMPLETE', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const sessions: Array<{ id: string; userId: string; count: number }> = [
    { id: HISTORY.bigSession, userId: HISTORY.owner, count: HISTORY.big },
    { id: HISTORY.smallSession, userId: HISTORY.owner, count: HISTORY.small },
  ];
  const rest = HISTORY.total - HISTORY.big - HISTORY.small;
  for (let i = 0; i < rest / 1000; i++) sessions.push({ id: `hist-s-${i}`, userId: `hist-u-${i % users}`, count: 1000 });

  let serial = 0;
  let rng = 42;
  const random = () => ((rng = (rng * 1103515245 + 12345) % 2147483648) / 2147483648);
  const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
  db.transaction(() => {
    insertUser.run(HISTORY.owner, 'history-owner@bench.example.com', pw, isoDate(now));
    for (let u = 0; u < users; u++) insertUser.run(`hist-u-${u}`, `hist-u-${u}@bench.example.com`, pw, isoDate(now));
  })();
  for (const session of sessions) {
    const start = now - session.count * 30_000;
    db.transaction(() => {
      insertSession.run(session.id, session.userId, SYSTEM_BOTS[serial % 3].id, 'History', isoDate(start), isoDate(now), isoDate(now));
      let parent: string | null = null;
      for (let position = 1; position <= session.count; position++) {
        const id = `hm${(serial++).toString(36).padStart(8, '0')}`;
        const at = isoDate(start + position * 30_000);
        const user = position % 2 === 1;
        const text = user ? `${sentence(8)}?` : `${sentence(30)}.`;
        insertMessage.run(
          id, session.id, position, user ? 0 : 3, user ? null : parent, user ? 'USER' : 'BOT', text,
          user ? `c-${position}` : null, user ? null : 'llama-3.1-8b-instant', user ? null : 900, user ? null : 120,
          user ? null : 200, user ? null : 40, at, at,
        );
        parent = id;
      }
    })();
  }
  db.exec('ANALYZE');
  db.close();
  renameSync(building, file);
  return { file, built: true, buildMs: Math.round(performance.now() - started) };
}

/** Bump when the generated data changes, so a cached file is rebuilt. */
const HISTORY_VERSION = 'v1';

