// #8 Analytics: a 30-day `analytics` query (every bot, and one bot) on the 1,000,000-message
// database, through GraphQL on SQLite, against a `me` query on the same server. The numbers come
// from the daily roll-up (api/src/admin/analytics-rollup.ts), which the API fills at start-up.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gqlBody, globalId, startBenchApi, tokenFor } from '../lib/api.ts';
import { send } from '../lib/http.ts';
import { log, runBenchmark } from '../lib/result.ts';
import { HISTORY, historyDatabase } from '../lib/seed.ts';
import { round, summarize } from '../lib/stats.ts';

const SAMPLES = Number(process.env.BENCH_ANALYTICS_SAMPLES ?? 200);
const ROLLUP_WAIT_MS = 120_000;
const REPORT = `query Analytics($from: DateTime!, $to: DateTime!, $bot: ID) {
  analytics(from: $from, to: $to, botId: $bot) {
    days { day conversations userMessages activeUsers failedReplies promptTokens completionTokens }
    totals { conversations userMessages activeUsers failedReplies promptTokens completionTokens }
    failuresByCode { code count } firstTokenMs { p50 p95 } latencyMs { p50 p95 } topics { term count }
  }
}`;

await runBenchmark('8', 'Analytics', async () => {
  const dataset = await historyDatabase();
  log(dataset.built ? `generated the 1M-message database in ${dataset.buildMs} ms` : `reusing ${dataset.file}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mbc-bench-analytics-'));
  // The seeded owner is made an admin the way an operator would: ADMIN_EMAILS.
  const api = await startBenchApi({ databaseUrl: `file:${dataset.file}`, dataDir, env: { ADMIN_EMAILS: 'history-owner@bench.example.com' } });
  try {
    const token = await tokenFor(HISTORY.owner);
    const origin = new URL(api.origin);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const now = Date.now();
    const range = { from: new Date(now - 29 * 86_400_000).toISOString(), to: new Date(now).toISOString() };
    const timed = async (body: string) => {
      const sentAt = performance.now();
      const reply = await send(agent, origin, { path: '/graphql', body, headers: { authorization: `Bearer ${token}` } });
      return { ms: performance.now() - sentAt, body: reply.body };
    };
    const all = gqlBody(REPORT, range);
    const oneBot = gqlBody(REPORT, { ...range, bot: globalId('Bot', 'system-support') });
    const meBody = gqlBody('query Me { me { id } }');

    // The start-up roll-up of every day since the first message (oldest first): wait until the
    // 30 days' count stops growing.
    const started = performance.now();
    let messages = -1;
    for (;;) {
      if (performance.now() - started > ROLLUP_WAIT_MS) throw new Error(`the roll-up did not settle within ${ROLLUP_WAIT_MS} ms (${messages} user messages)`);
      const { body } = await timed(all);
      const data = JSON.parse(body);
      if (data.errors) throw new Error(`analytics failed: ${body.slice(0, 500)}`);
      const now = data.data.analytics.totals.userMessages as number;
      if (now > 0 && now === messages) break;
      messages = now;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
    const rollupMs = performance.now() - started;

    for (let i = 0; i < 20; i++) await timed(all);
    const allMs: number[] = [];
    const botMs: number[] = [];
    const me: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      // Interleaved, so drift on this shared machine hits all alike.
      allMs.push((await timed(all)).ms);
      botMs.push((await timed(oneBot)).ms);
      me.push((await timed(meBody)).ms);
    }
    agent.destroy();
    const a = summarize(allMs);
    const b = summarize(botMs);
    const m = summarize(me);
    log(`all bots p50 ${a.p50.toFixed(2)} p99 ${a.p99.toFixed(2)}; one bot p50 ${b.p50.toFixed(2)}; me p50 ${m.p50.toFixed(2)}; roll-up ready after ${Math.round(rollupMs)} ms`);
    return {
      rows: [
        {
          id: '8',
          measure: 'Analytics: 30 days, every bot, 1M messages in DB, p50 (SQLite)',
          value: round(a.p50, 2),
          unit: 'ms',
          goal: '< 100 ms',
          baseline: { value: round(m.p50, 2), unit: 'ms', label: 'p50, `me` on the same server' },
          ratio: round(a.p50 / m.p50, 2),
          pass: a.p50 < 100,
          notes:
            `p99 ${round(a.p99, 2)} ms; one bot p50 ${round(b.p50, 2)} ms, p99 ${round(b.p99, 2)} ms; ${SAMPLES} samples each, sequential GraphQL requests; ` +
            `the start-up roll-up of the 1M messages answered after ${Math.round(rollupMs)} ms`,
        },
      ],
      details: { allBots: a, oneBot: b, me: m, rollupMs, dataset },
    };
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
