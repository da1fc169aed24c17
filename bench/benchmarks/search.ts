// #11 Search: `search(query)` over GraphQL for the owner of 101,000 of the 1,000,000 messages, for a
// rare word (3 of the owner's messages, 20 in the database) and a common word (in ~60% of all
// messages), sequential requests; on SQLite (FTS5) and on PostgreSQL (GIN tsvector), each against a
// `me` query on the same server. SQLite uses the history database (lib/seed.ts) copied, with the
// rare word added; PostgreSQL gets the same shape generated in SQL.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freshPostgresDatabase, postgresAvailable } from '../../api/test/support/databases.ts';
import { gqlBody, requireFrom, startBenchApi, tokenFor } from '../lib/api.ts';
import { send } from '../lib/http.ts';
import { log, runBenchmark } from '../lib/result.ts';
import type { Row } from '../lib/result.ts';
import { HISTORY, historyDatabase, openSqlite } from '../lib/seed.ts';
import { round, summarize, type Summary } from '../lib/stats.ts';

const pg = requireFrom('api')('pg') as typeof import('pg');

const SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES ?? 200);
const RARE = 'quokka';
const COMMON = 'chat';
const SEARCH = `query Search($q: String!) {
  search(query: $q, first: 20) { edges { node { message { id } session { id } snippet { text highlights { start length } } } } }
}`;
// Every 50,000th message gets the rare word: rowids / positions 7, 50,007, 100,007, … (3 are the owner's).
const RARE_EVERY = 50_000;

/** The history database's words (lib/seed.ts) and its layout, generated in PostgreSQL. */
async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const words = 'the a chat bot reply message session stream token answer question model data index page history user fast light quick'.split(' ');
    await client.query(`INSERT INTO "User" ("id", "email", "role") SELECT 'hist-u-' || u, 'hist-u-' || u || '@bench.example.com', 'USER' FROM generate_series(0, 99) u`);
    await client.query(`INSERT INTO "User" ("id", "email", "role") VALUES ($1, 'history-owner@bench.example.com', 'USER')`, [HISTORY.owner]);
    await client.query(`INSERT INTO "Bot" ("id", "slug", "name", "model", "systemPrompt", "updatedAt") VALUES ('system-support', 'support', 'Support', 'm', 'p', now()) ON CONFLICT DO NOTHING`);
    // Sessions 0 and 1 are the owner's (100,000 and 1,000 messages); 2… hold 1,000 each for the others.
    await client.query(`INSERT INTO "ChatSession" ("id", "userId", "botId", "title", "updatedAt")
      SELECT 'hist-s-' || s, CASE WHEN s < 2 THEN $1 ELSE 'hist-u-' || (s % 100) END, 'system-support', 'History', now() FROM generate_series(0, 900) s`, [HISTORY.owner]);
    await client.query(`INSERT INTO "Message" ("id", "sessionId", "position", "role", "text", "status", "createdAt", "updatedAt")
      SELECT 'hm' || g,
        'hist-s-' || CASE WHEN g <= 100000 THEN 0 WHEN g <= 101000 THEN 1 ELSE 2 + (g - 101001) / 1000 END,
        CASE WHEN g <= 100000 THEN g WHEN g <= 101000 THEN g - 100000 ELSE 1 + (g - 101001) % 1000 END,
        CASE WHEN g % 2 = 1 THEN 'USER' ELSE 'BOT' END::"MessageRole",
        (SELECT string_agg(($1::text[])[1 + floor(random() * 20)::int], ' ') FROM generate_series(1, CASE WHEN g % 2 = 1 THEN 8 ELSE 30 END) WHERE g > 0)
          || CASE WHEN g % ${RARE_EVERY} = 7 THEN ' ${RARE}' ELSE '' END,
        'COMPLETE', now() - (1000001 - g) * interval '30 seconds', now()
      FROM generate_series(1, ${HISTORY.total}) g`, [words]);
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** A copy of the SQLite history database with the rare word in every 50,000th message (the FTS triggers index it). */
async function sqliteDatabase(dir: string): Promise<string> {
  const dataset = await historyDatabase();
  log(dataset.built ? `generated the 1M-message database in ${dataset.buildMs} ms` : `reusing ${dataset.file}`);
  const file = path.join(dir, 'search.db');
  copyFileSync(dataset.file, file);
  const db = openSqlite(file);
  db.prepare(`UPDATE "Message" SET "text" = "text" || ' ${RARE}' WHERE rowid % ${RARE_EVERY} = 7`).run();
  db.close();
  return `file:${file}`;
}

async function measure(databaseUrl: string, dataDir: string): Promise<{ rare: Summary; common: Summary; me: Summary; rareHits: number }> {
  const api = await startBenchApi({ databaseUrl, dataDir });
  try {
    const token = await tokenFor(HISTORY.owner);
    const origin = new URL(api.origin);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { authorization: `Bearer ${token}` };
    const search = async (q: string) => {
      const sentAt = performance.now();
      const reply = await send(agent, origin, { path: '/graphql', body: gqlBody(SEARCH, { q }), headers });
      const ms = performance.now() - sentAt;
      const edges = JSON.parse(reply.body)?.data?.search?.edges;
      if (!edges?.length) throw new Error(`no hits for ${q}: ${reply.body.slice(0, 300)}`);
      return { ms, hits: edges.length as number };
    };
    const rareHits = (await search(RARE)).hits;
    if ((await search(COMMON)).hits !== 20) throw new Error('the common word should fill a page');
    for (let i = 0; i < 30; i++) {
      await search(RARE);
      await search(COMMON);
    }
    const rare: number[] = [];
    const common: number[] = [];
    const me: number[] = [];
    const meBody = gqlBody('query Me { me { id } }');
    for (let i = 0; i < SAMPLES; i++) {
      // Interleaved, so drift on this shared machine hits all alike.
      rare.push((await search(RARE)).ms);
      common.push((await search(COMMON)).ms);
      const sentAt = performance.now();
      await send(agent, origin, { path: '/graphql', body: meBody, headers });
      me.push(performance.now() - sentAt);
    }
    agent.destroy();
    return { rare: summarize(rare), common: summarize(common), me: summarize(me), rareHits };
  } finally {
    await api.stop();
  }
}

await runBenchmark('11', 'Search', async () => {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const dir = mkdtempSync(path.join(tmpdir(), 'mbc-bench-search-'));
  try {
    const databases: Array<{ name: 'SQLite' | 'PostgreSQL'; key: string; url: () => Promise<{ url: string; drop?: () => Promise<void> }> }> = [
      { name: 'SQLite', key: '11a', url: async () => ({ url: await sqliteDatabase(dir) }) },
    ];
    if (await postgresAvailable()) {
      databases.push({
        name: 'PostgreSQL',
        key: '11b',
        url: async () => {
          const database = await freshPostgresDatabase();
          const started = performance.now();
          await seedPostgres(database.url);
          log(`generated 1M messages in PostgreSQL in ${Math.round(performance.now() - started)} ms`);
          return database;
        },
      });
    } else {
      log('PostgreSQL is not reachable: skipping it');
    }
    for (const database of databases) {
      const { url, drop } = await database.url();
      try {
        const { rare, common, me, rareHits } = await measure(url, dir);
        log(`${database.name}: rare p50 ${rare.p50.toFixed(2)} p99 ${rare.p99.toFixed(2)}; common p50 ${common.p50.toFixed(2)} p99 ${common.p99.toFixed(2)}; me p50 ${me.p50.toFixed(2)}`);
        details[database.name] = { rare, common, me, rareHits };
        const worst = Math.max(rare.p50, common.p50);
        rows.push({
          id: database.key,
          measure: `Search over 1M messages (${database.name}): p50 of a rare / a common word`,
          value: round(worst, 2),
          unit: 'ms',
          goal: database.name === 'SQLite' ? '< 20 ms p50' : '—',
          baseline: { value: round(me.p50, 2), unit: 'ms', label: 'p50, `me` query' },
          ratio: round(worst / me.p50, 2),
          pass: database.name === 'SQLite' ? worst < 20 : null,
          notes:
            `rare "${RARE}" (${rareHits} of the owner's 101,000 messages): p50 ${round(rare.p50, 2)} ms, p99 ${round(rare.p99, 2)} ms (${round(rare.p50 / me.p50, 2)}× me); ` +
            `common "${COMMON}" (a page of 20): p50 ${round(common.p50, 2)} ms, p99 ${round(common.p99, 2)} ms (${round(common.p50 / me.p50, 2)}× me); ` +
            `me p50 ${round(me.p50, 2)} ms, p99 ${round(me.p99, 2)} ms; ${SAMPLES} samples each, sequential GraphQL requests`,
        });
      } finally {
        await drop?.();
      }
    }
    return { rows, details };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
