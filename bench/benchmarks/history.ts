// #5 History: the last 50 messages of a session holding 100,000 messages (1,000,000 in the
// database) against the same page of a session of 1,000, through GraphQL on SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gqlBody, globalId, startBenchApi, tokenFor } from '../lib/api.ts';
import { send } from '../lib/http.ts';
import { log, runBenchmark } from '../lib/result.ts';
import { HISTORY, historyDatabase } from '../lib/seed.ts';
import { round, summarize } from '../lib/stats.ts';

const SAMPLES = Number(process.env.BENCH_HISTORY_SAMPLES ?? 400);
const DEEP_PAGES = 100;
const PAGE = `query History($id: ID!, $before: String) {
  session(id: $id) {
    messages(last: 50, before: $before) {
      edges { cursor node { id role text status createdAt } }
      pageInfo { hasPreviousPage startCursor }
    }
  }
}`;

await runBenchmark('5', 'History', async () => {
  const dataset = await historyDatabase();
  log(dataset.built ? `generated the 1M-message database in ${dataset.buildMs} ms` : `reusing ${dataset.file}`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mbc-bench-history-'));
  const api = await startBenchApi({ databaseUrl: `file:${dataset.file}`, dataDir });
  try {
    const token = await tokenFor(HISTORY.owner);
    const origin = new URL(api.origin);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const page = async (sessionId: string, before?: string) => {
      const sentAt = performance.now();
      const reply = await send(agent, origin, { path: '/graphql', body: gqlBody(PAGE, { id: globalId('ChatSession', sessionId), before }), headers: { authorization: `Bearer ${token}` } });
      const ms = performance.now() - sentAt;
      const data = JSON.parse(reply.body);
      const edges = data?.data?.session?.messages?.edges;
      if (!edges || edges.length !== 50) throw new Error(`expected 50 messages: ${reply.body.slice(0, 500)}`);
      return { ms, data: data.data.session.messages };
    };
    // The newest page must really be the newest: the last edge is the session's last message.
    const check = await page(HISTORY.bigSession);
    if (!check.data.pageInfo.hasPreviousPage) throw new Error('the big session reports no earlier messages');

    for (let i = 0; i < 50; i++) {
      await page(HISTORY.bigSession);
      await page(HISTORY.smallSession);
    }
    const big: number[] = [];
    const small: number[] = [];
    const me: number[] = []; // the floor: the cheapest authenticated query on the same server
    const meBody = gqlBody('query Me { me { id } }');
    for (let i = 0; i < SAMPLES; i++) {
      // Interleaved, so drift on this shared machine hits all alike.
      big.push((await page(HISTORY.bigSession)).ms);
      small.push((await page(HISTORY.smallSession)).ms);
      const sentAt = performance.now();
      await send(agent, origin, { path: '/graphql', body: meBody, headers: { authorization: `Bearer ${token}` } });
      me.push(performance.now() - sentAt);
    }
    // Paging back: a page from the middle of the 100,000 (reported, no goal).
    let cursor = check.data.pageInfo.startCursor as string;
    const deep: number[] = [];
    for (let i = 0; i < DEEP_PAGES; i++) {
      const result = await page(HISTORY.bigSession, cursor);
      deep.push(result.ms);
      cursor = result.data.pageInfo.startCursor;
    }
    agent.destroy();
    const b = summarize(big);
    const s = summarize(small);
    const d = summarize(deep);
    const m = summarize(me);
    const ratio = b.p50 / s.p50;
    log(`big p50 ${b.p50.toFixed(2)} p99 ${b.p99.toFixed(2)}; small p50 ${s.p50.toFixed(2)} p99 ${s.p99.toFixed(2)}; deep p50 ${d.p50.toFixed(2)}`);
    return {
      rows: [
        {
          id: '5a',
          measure: 'History: last 50 of 100,000 (1M in DB) vs of 1,000, p50 ratio',
          value: round(ratio, 2),
          unit: '×',
          goal: '≤ 1.5×',
          baseline: { value: round(s.p50, 2), unit: 'ms', label: 'p50, session of 1,000' },
          ratio: round(ratio, 2),
          pass: ratio <= 1.5,
          notes: `p50 ${round(b.p50, 2)} ms vs ${round(s.p50, 2)} ms; p99 ratio ${round(b.p99 / s.p99, 2)}; ${SAMPLES} samples each, sequential GraphQL requests`,
        },
        {
          id: '5b',
          measure: 'History: last 50 of 100,000, p99 (SQLite)',
          value: round(b.p99, 2),
          unit: 'ms',
          goal: '< 5 ms',
          baseline: { value: round(s.p99, 2), unit: 'ms', label: 'p99, session of 1,000' },
          ratio: round(b.p99 / s.p99, 2),
          pass: b.p99 < 5,
          notes:
            `paging back ${DEEP_PAGES} pages with before: p50 ${round(d.p50, 2)} ms, p99 ${round(d.p99, 2)} ms; ` +
            `the floor on this server, a \`me\` query: p50 ${round(m.p50, 2)} ms, p99 ${round(m.p99, 2)} ms`,
        },
      ],
      details: { big: b, small: s, deepPages: d, me: m, dataset },
    };
  } finally {
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
