// #7 Logins at bcrypt cost 12: their throughput, and what they do to everyone else: the latency of
// a `me` query sent every few ms (open loop) during 20 parallel logins, against `me` alone.
import { gqlBody, startBenchApi, usersWithSessions } from '../lib/api.ts';
import { closedLoop, probe } from '../lib/http.ts';
import { CpuMeter, formatCpu } from '../lib/proc.ts';
import { log, runBenchmark } from '../lib/result.ts';
import { round, summarize } from '../lib/stats.ts';

const PARALLEL = 20;
const DURATION_MS = Number(process.env.BENCH_LOGIN_MS ?? 10_000);
const PROBE_EVERY_MS = 20;
const ME = gqlBody('query Me { me { id email } }');

await runBenchmark('7', 'Login', async () => {
  const api = await startBenchApi({ env: { BCRYPT_COST: '12' } });
  try {
    const [user] = await usersWithSessions(api.graphqlUrl, 1, 1);
    const email = (await (await fetch(api.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` }, body: ME })).json()).data.me.email;
    const login = gqlBody('mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: email, p: 'correct horse battery' });
    const meRequest = () => ({ path: '/graphql', body: ME, headers: { authorization: `Bearer ${user.token}` } });

    // Warm both paths (JIT, worker start-up).
    await closedLoop({ url: api.graphqlUrl, concurrency: 2, warmupMs: 0, durationMs: 1500, request: () => ({ path: '/graphql', body: login }) });
    await probe({ url: api.graphqlUrl, intervalMs: PROBE_EVERY_MS, durationMs: 1000, request: meRequest });

    const alone = await probe({ url: api.graphqlUrl, intervalMs: PROBE_EVERY_MS, durationMs: DURATION_MS, request: meRequest });
    const meter = new CpuMeter({ server: api.process.pid! });
    const [logins, during] = await Promise.all([
      closedLoop({ url: api.graphqlUrl, concurrency: PARALLEL, warmupMs: 0, durationMs: DURATION_MS, request: () => ({ path: '/graphql', body: login }) }),
      probe({ url: api.graphqlUrl, intervalMs: PROBE_EVERY_MS, durationMs: DURATION_MS, request: meRequest }),
    ]);
    const cpu = meter.stop();
    for (const [name, r] of [['me alone', alone], ['me during logins', during], ['logins', logins]] as const) {
      if (r.errors) throw new Error(`${name}: ${r.errors} errors, first: ${r.firstError}`);
    }
    const a = summarize(alone.latenciesMs);
    const d = summarize(during.latenciesMs);
    const l = summarize(logins.latenciesMs);
    log(`logins ${logins.rps.toFixed(2)}/s (p50 ${l.p50.toFixed(0)} ms); me alone p99 ${a.p99.toFixed(1)} ms, during ${d.p99.toFixed(1)} ms; CPU ${formatCpu(cpu)}`);
    return {
      rows: [
        {
          id: '7a',
          measure: `Login throughput, bcrypt cost 12, ${PARALLEL} parallel`,
          value: round(logins.rps, 2),
          unit: 'logins/s',
          goal: '— (report)',
          baseline: null,
          ratio: null,
          pass: null,
          notes: `login latency p50 ${Math.round(l.p50)} ms, p99 ${Math.round(l.p99)} ms; server CPU ${formatCpu(cpu)}`,
        },
        {
          id: '7b',
          measure: `\`me\` p99 during ${PARALLEL} parallel logins`,
          value: round(d.p99, 1),
          unit: 'ms',
          goal: '< 50 ms',
          baseline: { value: round(a.p99, 1), unit: 'ms', label: '`me` p99 alone' },
          ratio: round(d.p99 / a.p99, 2),
          pass: d.p99 < 50,
          notes: `me every ${PROBE_EVERY_MS} ms for ${DURATION_MS / 1000} s: p50 ${round(d.p50, 1)} ms during vs ${round(a.p50, 1)} ms alone`,
        },
      ],
      details: { logins: { rps: logins.rps, latency: l }, meAlone: a, meDuring: d, cpu },
    };
  } finally {
    await api.stop();
  }
});
