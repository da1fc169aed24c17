// #4 sendMessage(wait: true) throughput at concurrency 50 with an instant fake provider, on SQLite
// and PostgreSQL, against a `me` query at the same concurrency on the same server; and that `me`
// against the floor of an authenticated GraphQL request, a bare graphql-yoga + jose server
// (lib/bare-graphql-server.ts), measured just before it. Each of the 50 loops is a user of its own
// with a session of its own, as real traffic is: sends of one user queue on that user's row lock.
import { freshPostgresDatabase, postgresAvailable } from '../../api/test/support/databases.ts';
import { gqlBody, SEND_MUTATION, startBaseline, startBenchApi, startFakeLlmProcess, usersWithSessions } from '../lib/api.ts';
import { closedLoop, type ClosedLoopResult } from '../lib/http.ts';
import { CpuMeter, formatCpu } from '../lib/proc.ts';
import { log, runBenchmark, type Row } from '../lib/result.ts';
import { round, summarize } from '../lib/stats.ts';

const CONCURRENCY = 50;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 6000);
const ME = gqlBody('query Me { me { id email } }');

interface Measured {
  result: ClosedLoopResult;
  cpu: Record<string, number>;
}

/** Server CPU time per completed request (all its threads): what one request costs, whatever the machine's load. */
const cpuPerRequest = ({ result, cpu }: Measured) => (cpu.server * result.windowMs) / Math.max(1, result.completed);

await runBenchmark('4', 'sendMessage(wait: true) throughput', async () => {
  const fake = await startFakeLlmProcess({ reply: 'Sure, here is a short answer.', tokenDelayMs: 0 });
  const bare = await startBaseline('bare-graphql-server.ts');
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const databases: Array<{ name: 'SQLite' | 'PostgreSQL'; url?: string; drop?: () => Promise<void> }> = [{ name: 'SQLite' }];
  if (await postgresAvailable()) {
    const pg = await freshPostgresDatabase();
    databases.push({ name: 'PostgreSQL', url: pg.url, drop: pg.drop });
  } else {
    log('PostgreSQL is not reachable: skipping it');
  }
  try {
    for (const database of databases) {
      const api = await startBenchApi({ llmUrl: fake.url, databaseUrl: database.url, env: { BCRYPT_COST: '4' }, profileWindow: true });
      try {
        const users = await usersWithSessions(api.graphqlUrl, CONCURRENCY);
        type Request = (worker: number, n: number) => { path: string; body: string; headers: Record<string, string> };
        const run = async (label: string, request: Request, target: 'api' | 'bare' = 'api'): Promise<Measured> => {
          const url = target === 'api' ? api.graphqlUrl : `${bare.url}/graphql`;
          const profiled = process.env.BENCH_PROFILE && target === 'api';
          // Warm-up first, then the measured window (profiled alone when BENCH_PROFILE is set).
          await closedLoop({ url, concurrency: CONCURRENCY, warmupMs: 0, durationMs: WARMUP_MS, request });
          const meter = new CpuMeter({ server: target === 'api' ? api.process.pid! : bare.pid, fake: fake.pid });
          if (profiled) api.process.kill('SIGUSR2');
          const result = await closedLoop({ url, concurrency: CONCURRENCY, warmupMs: 0, durationMs: DURATION_MS, request });
          if (profiled) api.process.kill('SIGUSR2');
          const cpu = meter.stop();
          log(`${database.name} ${label}: ${Math.round(result.rps)} req/s, errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ''}; CPU ${formatCpu(cpu)}`);
          if (result.errors > 0) throw new Error(`${label} on ${database.name}: ${result.errors} errors, first: ${result.firstError}`);
          return { result, cpu };
        };
        const askMe: Request = (w) => ({ path: '/graphql', body: ME, headers: { authorization: `Bearer ${users[w].token}` } });
        const floor = await run('me on the bare graphql-yoga + jose server', askMe, 'bare');
        const me = await run('me', askMe);
        const sends = await run('sendMessage(wait: true)', (w, n) => ({
          path: '/graphql',
          body: gqlBody(SEND_MUTATION, { s: users[w].sessionId, t: `Question number ${n}: how does this work?`, w: true }),
          headers: { authorization: `Bearer ${users[w].token}` },
        }));
        const s = summarize(sends.result.latenciesMs);
        const m = summarize(me.result.latenciesMs);
        const ratio = sends.result.rps / me.result.rps;
        const key = database.name === 'SQLite' ? '4a' : '4b';
        const f = summarize(floor.result.latenciesMs);
        const meRatio = me.result.rps / floor.result.rps;
        rows.push({
          id: database.name === 'SQLite' ? '4c' : '4d',
          measure: `authenticated \`me\` at concurrency ${CONCURRENCY}, ${database.name}`,
          value: Math.round(me.result.rps),
          unit: 'req/s',
          goal: database.name === 'SQLite' ? '≥ 0.6× the bare server' : '— (report)',
          baseline: { value: Math.round(floor.result.rps), unit: 'req/s', label: 'bare graphql-yoga + jose, no database' },
          ratio: round(meRatio, 2),
          pass: database.name === 'SQLite' ? meRatio >= 0.6 : null,
          notes:
            `p50 ${round(m.p50, 1)} ms, p99 ${round(m.p99, 1)} ms (bare: p50 ${round(f.p50, 1)}, p99 ${round(f.p99, 1)}); ` +
            `server CPU per request ${round(cpuPerRequest(me), 2)} ms (bare ${round(cpuPerRequest(floor), 2)} ms)`,
        });
        rows.push({
          id: key,
          measure: `sendMessage(wait: true) at concurrency ${CONCURRENCY}, ${database.name}`,
          value: Math.round(sends.result.rps),
          unit: 'req/s',
          goal: database.name === 'SQLite' ? '≥ 500 req/s' : '— (report)',
          baseline: { value: Math.round(me.result.rps), unit: 'req/s', label: `\`me\` at concurrency ${CONCURRENCY}` },
          ratio: round(ratio, 2),
          pass: database.name === 'SQLite' ? sends.result.rps >= 500 : null,
          notes:
            `p50 ${round(s.p50, 1)} ms, p99 ${round(s.p99, 1)} ms (me: p50 ${round(m.p50, 1)}, p99 ${round(m.p99, 1)}); ` +
            `server CPU per request ${round(cpuPerRequest(sends), 1)} ms (me ${round(cpuPerRequest(me), 2)} ms); CPU ${formatCpu(sends.cpu)}`,
        });
        details[database.name] = {
          send: { rps: sends.result.rps, latency: s, cpu: sends.cpu, serverCpuMsPerRequest: cpuPerRequest(sends) },
          me: { rps: me.result.rps, latency: m, cpu: me.cpu, serverCpuMsPerRequest: cpuPerRequest(me) },
          bareMe: { rps: floor.result.rps, latency: f, cpu: floor.cpu, serverCpuMsPerRequest: cpuPerRequest(floor) },
        };
      } finally {
        await api.stop();
      }
    }
  } finally {
    await fake.close();
    await bare.close();
    for (const database of databases) await database.drop?.();
  }
  return { rows, details };
});
