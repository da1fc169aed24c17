// #3 Concurrent streaming conversations: C clients, each subscribed to its own session over SSE,
// each receiving a reply the fake provider streams at 20 tokens/s. Streams are added in stages
// (C = 250, 500, 1,000, 2,000) and each stage is measured over a steady window once all its replies
// are streaming: the delay between consecutive tokens as each client sees it, the token rate each
// client gets, and the server's memory per stream. Replies are 1,000 tokens (50 s, within the
// server's default 1,024-token cap); a client whose reply ends asks its next question at once, so
// C conversations keep streaming, as they would in real use.
//
// Baseline, at the same levels and before the API runs: the bare node:http SSE relay
// (lib/bare-sse-server.ts) relaying the same fake provider's replies, one event per token, with no
// GraphQL, database or pub/sub. Each row's ratio is our p99 over the relay's at that level.
import { rmSync } from 'node:fs';
import http from 'node:http';
import { DELTA_SUBSCRIPTION, gqlBody, globalId, startBaseline, startBenchApi, startFakeLlmProcess, tokenFor } from '../lib/api.ts';
import { send } from '../lib/http.ts';
import { CpuMeter, formatCpu, rssBytes } from '../lib/proc.ts';
import { emit, log, runBenchmark, type Row } from '../lib/result.ts';
import { insertUsersWithSessions, openSqlite } from '../lib/seed.ts';
import { openSse, type SseStream } from '../lib/sse.ts';
import { round, type Summary, summarize } from '../lib/stats.ts';

const LEVELS = (process.env.BENCH_STREAM_LEVELS ?? '250,500,1000,2000').split(',').map(Number);
const TOKEN_DELAY_MS = 50; // 20 tokens/s per stream
const TOKEN = 'tok ';
const WINDOW_MS = Number(process.env.BENCH_STREAM_WINDOW_MS ?? 6000);
const SEND_CONCURRENCY = 16; // sends in flight while a stage ramps up
const BUDGET_MS = Number(process.env.BENCH_STREAM_BUDGET_S ?? 140) * 1000; // stages start only within this
const REPLY_TOKENS = Number(process.env.BENCH_STREAM_REPLY_TOKENS ?? 1000);
const GOAL_MS = 100;
/** Goal at 1,000 streams: our p99 inter-token delay within this factor of the bare relay's. */
const RELAY_GOAL_RATIO = 2;

interface Client {
  stream: SseStream;
  /** Arrival times of delta events (negated for a reply's first) and the tokens each carried. */
  at: number[];
  tokens: number[];
  failed?: string;
  /** Replies completed (each followed by the client's next question). */
  completed: number;
  /** The first delta of the current reply is not a gap: the previous one ended with a completion. */
  fresh: boolean;
}

/** Time after which the benchmark reports what it has (the runner kills it at 400 s, the relay stages included). */
const HARD_LIMIT_MS = Number(process.env.BENCH_STREAM_HARD_LIMIT_S ?? 250) * 1000;

function notReached(level: number, reached: number): Row {
  return {
    id: `3.${level}`,
    measure: `Inter-token delay p99, C = ${level.toLocaleString('en')} streams at 20 tokens/s`,
    value: null,
    unit: 'ms',
    goal: level === 1000 ? `≤ ${RELAY_GOAL_RATIO}× the relay's` : level >= 2000 ? `< ${GOAL_MS} ms` : '— (report)',
    baseline: null,
    ratio: null,
    pass: level >= 1000 ? false : null,
    notes:
      `not reached in the time budget: with ${reached} streams open the server had no CPU left to start ` +
      `new replies fast enough (each sendMessage needs the CPU the open streams use)`,
  };
}

/** Inter-token gaps, tokens and silent clients within a window (each reply's first token starts no gap). */
function windowFigures(active: Client[], windowStart: number, windowEnd: number) {
  const gaps: number[] = [];
  let tokens = 0;
  let silent = 0;
  for (const c of active) {
    let seen = 0;
    for (let k = 0; k < c.at.length; k++) {
      const at = Math.abs(c.at[k]);
      if (at < windowStart || at > windowEnd) continue;
      tokens += c.tokens[k];
      seen++;
      if (k > 0 && c.at[k] > 0) gaps.push(at - Math.abs(c.at[k - 1]));
    }
    if (seen === 0) silent++;
  }
  return { gaps: summarize(gaps), perStreamRate: tokens / active.length / ((windowEnd - windowStart) / 1000), silent };
}

/** The bare relay's inter-token delays at each level: same provider, same window, same client. */
async function relayStages(fakeUrl: string): Promise<Map<number, Summary>> {
  const relay = await startBaseline('bare-sse-server.ts', [fakeUrl]);
  const clients: Client[] = [];
  const results = new Map<number, Summary>();
  let stopping = false;
  const open = (client: Client): Promise<number> => {
    client.fresh = true;
    client.stream = openSse({
      url: `${relay.url}/stream`,
      method: 'GET',
      onEvent(block, at) {
        if (block.startsWith('event: next')) {
          client.at.push(client.fresh ? -at : at);
          client.fresh = false;
          client.tokens.push(block.split(TOKEN).length - 1);
        } else if (block.startsWith('event: complete') && !stopping) {
          void open(client); // the next reply, as a client of the API asks its next question
        }
      },
    });
    return client.stream.opened;
  };
  try {
    for (const level of LEVELS) {
      for (let i = clients.length; i < level; i += 100) {
        const batch = Array.from({ length: Math.min(100, level - i) }, () => ({ at: [], tokens: [], completed: 0, fresh: true }) as unknown as Client);
        clients.push(...batch);
        await Promise.all(batch.map(open));
      }
      const waitUntil = performance.now() + 30_000;
      while (clients.some((c) => c.at.length === 0) && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1000));
      const windowStart = performance.now();
      const meter = new CpuMeter({ relay: relay.pid, fake: fake.pid });
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      const figures = windowFigures(clients, windowStart, performance.now());
      results.set(level, figures.gaps);
      log(`relay C=${level}: gaps p50 ${figures.gaps.p50.toFixed(1)} p99 ${figures.gaps.p99.toFixed(1)} ms; ${figures.perStreamRate.toFixed(1)} tokens/s per stream; ${figures.silent} silent; CPU ${formatCpu(meter.stop())}`);
    }
  } finally {
    stopping = true;
    for (const c of clients) c.stream.close();
    await relay.close();
  }
  return results;
}

async function heapFigures(origin: string): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number }> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^mbc_${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  const mb = (name: string) => Math.round(metric(name) / 1048576);
  return { heapUsedMb: mb('nodejs_heap_size_used_bytes'), heapTotalMb: mb('nodejs_heap_size_total_bytes'), externalMb: mb('nodejs_external_memory_bytes') };
}

const SEND_MUTATION_WITH_ID = `mutation Send($s: ID!, $t: String!, $w: Boolean, $c: String) {
  sendMessage(sessionId: $s, text: $t, wait: $w, clientMessageId: $c) { botMessage { id } }
}`;

let fake: Awaited<ReturnType<typeof startFakeLlmProcess>>;

await runBenchmark('3', 'Concurrent streaming conversations', async () => {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  fake = await startFakeLlmProcess({ reply: TOKEN.repeat(REPLY_TOKENS), tokens: REPLY_TOKENS, tokenDelayMs: TOKEN_DELAY_MS });
  const relay = process.env.BENCH_STREAM_RELAY === '0' ? new Map<number, Summary>() : await relayStages(fake.url);
  details.relay = Object.fromEntries([...relay].map(([level, gaps]) => [`C=${level}`, gaps]));
  const benchStarted = performance.now(); // the API's time budget starts after the relay's stages
  // SHUTDOWN_GRACE_MS 0: at the end the server stops the replies in flight at once.
  const api = await startBenchApi({ llmUrl: fake.url, env: { LOG_LEVEL: 'error', SHUTDOWN_GRACE_MS: '0' }, profileWindow: true });
  const clients: Client[] = [];
  // A saturated server can make a stage's ramp crawl: hand back the stages measured so far before
  // the runner's timeout rather than nothing.
  const hardStop = setTimeout(() => {
    log(`hard time limit reached: reporting the stages measured so far`);
    process.kill(api.process.pid!, 'SIGKILL');
    rmSync(api.dataDir, { recursive: true, force: true });
    const measured = new Set(rows.map((r) => r.id));
    emit({
      benchmark: '3',
      title: 'Concurrent streaming conversations',
      rows: [...rows, ...LEVELS.filter((l) => !measured.has(`3.${l}`)).map((level) => notReached(level, rows.length ? Number(rows.at(-1)!.id.slice(2)) : 0))],
      details,
      durationMs: Math.round(performance.now() - benchStarted),
    });
    process.exit(0);
  }, HARD_LIMIT_MS);
  hardStop.unref();
  try {
    const max = Math.max(...LEVELS);
    const setupStarted = performance.now();
    const db = openSqlite(api.databaseUrl.replace(/^file:/, ''));
    const seeded = insertUsersWithSessions(db, `conc-${Date.now().toString(36)}`, max);
    db.close();
    const users = await Promise.all(seeded.map(async (u) => ({ ...u, token: await tokenFor(u.userId), session: globalId('ChatSession', u.sessionId) })));
    log(`seeded ${max} users with sessions in ${Math.round(performance.now() - setupStarted)} ms`);
    const origin = new URL(api.origin);
    const pid = api.process.pid!;
    const agent = new http.Agent({ keepAlive: true, maxSockets: SEND_CONCURRENCY });
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = rssBytes(pid);

    let stopping = false;
    let sendErrors = 0;
    let firstSendError: string | undefined;
    let asked = 0;
    // With a clientMessageId a send is idempotent, so one that met a keep-alive socket the server
    // had just closed (ECONNRESET) is simply sent again.
    const ask = async (index: number) => {
      const body = gqlBody(SEND_MUTATION_WITH_ID, { s: users[index].session, t: 'Tell me a story', w: false, c: `ask-${index}-${asked++}` });
      for (let attempt = 1; ; attempt++) {
        try {
          const reply = await send(agent, origin, { path: '/graphql', body, headers: { authorization: `Bearer ${users[index].token}` } });
          if (reply.status !== 200 || reply.body.includes('"errors"')) throw new Error(reply.body.slice(0, 300));
          return;
        } catch (error) {
          if (attempt >= 3 || !/ECONNRESET|socket hang up/.test(String(error))) throw error;
        }
      }
    };
    const open = (index: number): Promise<number> => {
      const user = users[index];
      const client: Client = { at: [], tokens: [], completed: 0, fresh: true } as unknown as Client;
      client.stream = openSse({
        url: api.graphqlUrl,
        body: gqlBody(DELTA_SUBSCRIPTION, { s: user.session }),
        headers: { authorization: `Bearer ${user.token}` },
        onEvent(block, at) {
          if (block.includes('"MessageDelta"')) {
            // A reply's first token is stored negated: it starts no inter-token gap.
            client.at.push(client.fresh ? -at : at);
            client.fresh = false;
            client.tokens.push(block.split(TOKEN).length - 1);
          } else if (block.includes('"MessageFailed"')) client.failed = block;
          else if (block.includes('"MessageCompleted"')) {
            client.completed++;
            client.fresh = true;
            if (!stopping) {
              ask(index).catch((error) => {
                sendErrors++;
                firstSendError ??= String(error);
              });
            }
          }
        },
      });
      clients.push(client);
      return client.stream.opened;
    };

    let reached = 0;
    for (const level of LEVELS) {
      if (performance.now() - benchStarted > BUDGET_MS) {
        log(`time budget spent: C=${level} not attempted`);
        break;
      }
      const stageStarted = performance.now();
      // Subscriptions first (in batches, as a crowd would arrive), then one send per new client.
      const deadline = benchStarted + BUDGET_MS + 60_000;
      let gaveUp = false;
      for (let i = reached; i < level && !gaveUp; i += 100) {
        const statuses = await Promise.all(Array.from({ length: Math.min(100, level - i) }, (_, k) => open(i + k)));
        if (statuses.some((s) => s !== 200)) throw new Error(`a subscription was refused (HTTP ${statuses.find((s) => s !== 200)})`);
        gaveUp = performance.now() > deadline;
      }
      await new Promise((r) => setTimeout(r, 300)); // listening before the first send
      const meterRamp = new CpuMeter({ server: pid, fake: fake.pid });
      let next = reached;
      const sender = async () => {
        for (let i = next++; i < level; i = next++) {
          if (gaveUp || performance.now() > deadline) {
            gaveUp = true;
            return;
          }
          await ask(i);
        }
      };
      await Promise.all(Array.from({ length: SEND_CONCURRENCY }, sender));
      if (gaveUp) {
        log(`C=${level}: the ramp ran out of time after ${Math.round((performance.now() - stageStarted) / 1000)} s; not measured`);
        break;
      }
      const sendsMs = performance.now() - stageStarted;
      const rampCpu = meterRamp.stop();
      // Every new reply has started streaming (its first token arrived) before the window opens.
      const waitUntil = performance.now() + 30_000;
      while (clients.slice(reached, level).some((c) => c.at.length === 0) && performance.now() < waitUntil) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const rampMs = performance.now() - stageStarted;
      log(`C=${level}: subscriptions and sends took ${Math.round(sendsMs)} ms, all streaming after ${Math.round(rampMs)} ms`);
      await new Promise((r) => setTimeout(r, 1000));

      const windowStart = performance.now();
      let peakRss = rssBytes(pid);
      const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid))), 250);
      const meter = new CpuMeter({ server: pid, fake: fake.pid });
      if (process.env.BENCH_PROFILE) api.process.kill('SIGUSR2'); // profile just the window (see bench/README.md)
      await new Promise((r) => setTimeout(r, WINDOW_MS));
      if (process.env.BENCH_PROFILE) api.process.kill('SIGUSR2');
      const windowEnd = performance.now();
      clearInterval(rssTimer);
      // Where the memory is: V8 heap vs buffers outside it (sockets, streams), from the server's /metrics.
      const memory = await heapFigures(api.origin);
      const cpu = meter.stop();
      reached = level;

      const active = clients.slice(0, level);
      const failed = active.filter((c) => c.failed);
      if (failed.length) throw new Error(`C=${level}: ${failed.length} replies failed, e.g. ${failed[0].failed}`);
      if (sendErrors > asked / 100) throw new Error(`C=${level}: ${sendErrors} of ${asked} follow-up questions failed, e.g. ${firstSendError}`);
      const { gaps: g, perStreamRate, silent } = windowFigures(active, windowStart, windowEnd);
      const perStreamKb = (peakRss - idleRss) / level / 1024;
      log(
        `C=${level}: gaps p50 ${g.p50.toFixed(1)} p99 ${g.p99.toFixed(1)} max ${g.max.toFixed(0)} ms; ${perStreamRate.toFixed(1)} tokens/s per stream (of 20); ${silent} silent; ` +
          `RSS ${Math.round(peakRss / 1048576)} MB (${perStreamKb.toFixed(0)} KB/stream); ramp ${Math.round(rampMs)} ms (CPU ${formatCpu(rampCpu)}); window CPU ${formatCpu(cpu)}`,
      );
      const floor = relay.get(level);
      const relayRatio = floor ? g.p99 / floor.p99 : null;
      rows.push({
        id: `3.${level}`,
        measure: `Inter-token delay p99, C = ${level.toLocaleString('en')} streams at 20 tokens/s`,
        value: round(g.p99, 1),
        unit: 'ms',
        goal: level === 1000 ? `≤ ${RELAY_GOAL_RATIO}× the relay's` : level >= 2000 ? `< ${GOAL_MS} ms` : '— (report)',
        baseline: floor
          ? { value: round(floor.p99, 1), unit: 'ms', label: 'bare node:http SSE relay, same level' }
          : { value: TOKEN_DELAY_MS, unit: 'ms', label: 'provider token interval' },
        ratio: round(relayRatio ?? g.p99 / TOKEN_DELAY_MS, 2),
        pass: level === 1000 && relayRatio !== null ? relayRatio <= RELAY_GOAL_RATIO : level >= 2000 ? g.p99 < GOAL_MS : null,
        notes:
          `p50 ${round(g.p50, 1)} ms${floor ? ` (relay p50 ${round(floor.p50, 1)} ms)` : ''}; each stream got ${round(perStreamRate, 1)} of 20 tokens/s${silent ? `, ${silent} streams silent` : ''}; ` +
          `server RSS ${Math.round(peakRss / 1048576)} MB = ${Math.round(perStreamKb)} KB per open stream (V8 heap ${memory.heapUsedMb} MB used of ${memory.heapTotalMb} MB, external ${memory.externalMb} MB); ${WINDOW_MS / 1000} s window CPU: ${formatCpu(cpu)}; ` +
          `adding the streams took ${(rampMs / 1000).toFixed(1)} s${sendErrors ? `; ${sendErrors} follow-up sends failed` : ''}`,
      });
      details[`C=${level}`] = { memory, gaps: g, perStreamTokensPerS: perStreamRate, silent, idleRssBytes: idleRss, peakRssBytes: peakRss, rssPerStreamKb: perStreamKb, rampMs, rampCpu, windowCpu: cpu };
    }
    stopping = true;
    agent.destroy();
    for (const level of LEVELS.filter((l) => l > reached)) rows.push(notReached(level, reached));
  } finally {
    // Not a graceful stop: draining thousands of replies is not what this measures, and could take long.
    for (const c of clients) c.stream.close();
    await api.kill('SIGKILL');
    rmSync(api.dataDir, { recursive: true, force: true });
    await fake.close();
  }
  return { rows, details };
});
