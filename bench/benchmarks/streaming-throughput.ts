// #2 Streaming throughput: 20,000 tokens from an instant fake provider through the whole pipeline
// (sendMessage → reply generator → pub/sub → Yoga SSE → a client), against the same tokens relayed
// by a bare node:http SSE server; and the first-token latency the pipeline adds.
import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { DELTA_SUBSCRIPTION, gqlBody, SEND_MUTATION, startBenchApi, startFakeLlmProcess, usersWithSessions } from '../lib/api.ts';
import { send } from '../lib/http.ts';
import { CpuMeter, cpuMs, formatCpu } from '../lib/proc.ts';
import { log, runBenchmark } from '../lib/result.ts';
import { eventData, openSse } from '../lib/sse.ts';
import { median, round, summarize } from '../lib/stats.ts';

const TOKENS = 20_000;
const TOKEN = 'abcd '; // 5 characters: the fake splits the reply into 20,000 equal slices
const THROUGHPUT_RUNS = Number(process.env.BENCH_STREAM_RUNS ?? 7);
const LATENCY_RUNS = Number(process.env.BENCH_LATENCY_RUNS ?? 40);
const LONG = { reply: TOKEN.repeat(TOKENS), tokens: TOKENS, tokenDelayMs: 0 };
const SHORT = { reply: 'Hi there', tokens: 2, tokenDelayMs: 0 };

await runBenchmark('2', 'Streaming throughput', async () => {
  const fake = await startFakeLlmProcess(LONG);
  const api = await startBenchApi({ llmUrl: fake.url, env: { MAX_REPLY_TOKENS: '100000' } });
  const bare = fork(path.join(import.meta.dirname, '../lib/bare-sse-server.ts'), [fake.url], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const barePort = await new Promise<number>((resolve) => bare.once('message', (m: { port: number }) => resolve(m.port)));
  const bareUrl = `http://127.0.0.1:${barePort}/stream`;
  try {
    const [{ token, sessionId }] = await usersWithSessions(api.graphqlUrl, 1, 1);
    const auth = { authorization: `Bearer ${token}` };
    const origin = new URL(api.origin);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

    // One long-lived subscription, as a chat client holds it; each run waits for its own message.
    let current: { id?: string; chars: number; firstAt?: number; lastAt?: number; done: () => void } | undefined;
    const sub = openSse({
      url: api.graphqlUrl,
      body: gqlBody(DELTA_SUBSCRIPTION, { s: sessionId }),
      headers: auth,
      onEvent(block, at) {
        if (!current || !block.includes('event: next')) return;
        const data = eventData(block)?.data?.sessionEvents;
        if (data?.__typename === 'MessageDelta') {
          current.firstAt ??= at;
          current.lastAt = at;
          current.chars += data.text.length;
        } else if (data?.__typename === 'MessageCompleted' || data?.__typename === 'MessageFailed') {
          if (data.__typename === 'MessageFailed') throw new Error(`reply failed: ${JSON.stringify(data)}`);
          current.done();
        }
      },
    });
    if ((await sub.opened) !== 200) throw new Error('subscription refused');
    await new Promise((r) => setTimeout(r, 200));

    const pipelineRun = async () => {
      const finished = new Promise<void>((resolve) => (current = { chars: 0, done: resolve }));
      const run = current!;
      const sentAt = performance.now();
      const reply = await send(agent, origin, { path: '/graphql', body: gqlBody(SEND_MUTATION, { s: sessionId, t: 'Stream please', w: false }), headers: auth });
      const respondedMs = performance.now() - sentAt;
      if (reply.body.includes('"errors"')) throw new Error(reply.body);
      await finished;
      current = undefined;
      return { sentAt, respondedMs, firstMs: run.firstAt! - sentAt, lastMs: run.lastAt! - sentAt, chars: run.chars };
    };

    const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const bareRun = async () => {
      let chars = 0;
      let firstAt: number | undefined;
      let lastAt = 0;
      const sentAt = performance.now();
      const stream = openSse({
        url: bareUrl,
        agent: bareAgent,
        onEvent(block, at) {
          if (!block.startsWith('event: next')) return;
          const data = eventData(block);
          firstAt ??= at;
          lastAt = at;
          chars += data.text.length;
        },
      });
      await stream.closed;
      return { sentAt, firstMs: firstAt! - sentAt, lastMs: lastAt - sentAt, chars };
    };

    // Throughput: warm both paths once, then alternate runs so drift affects both alike.
    log('throughput: warming up');
    await pipelineRun();
    await bareRun();
    const pipe: number[] = [];
    const base: number[] = [];
    const pipeCpuMs: number[] = []; // server CPU per pipeline run
    const bareCpuMs: number[] = []; // relay CPU per baseline run
    let pipelineCpu: Record<string, number> | undefined;
    for (let i = 0; i < THROUGHPUT_RUNS; i++) {
      const m = new CpuMeter({ server: api.process.pid!, fake: fake.pid });
      const before = cpuMs(api.process.pid!);
      const p = await pipelineRun();
      pipeCpuMs.push(cpuMs(api.process.pid!) - before);
      pipelineCpu = m.stop();
      if (p.chars !== TOKENS * TOKEN.length) throw new Error(`pipeline delivered ${p.chars} characters, expected ${TOKENS * TOKEN.length}`);
      pipe.push((TOKENS / p.lastMs) * 1000);
      const bareBefore = cpuMs(bare.pid!);
      const b = await bareRun();
      bareCpuMs.push(cpuMs(bare.pid!) - bareBefore);
      if (b.chars !== TOKENS * TOKEN.length) throw new Error(`baseline delivered ${b.chars} characters`);
      base.push((TOKENS / b.lastMs) * 1000);
      log(`run ${i + 1}: pipeline ${Math.round(pipe.at(-1)!)} tokens/s (server CPU ${Math.round(pipeCpuMs.at(-1)!)} ms), bare ${Math.round(base.at(-1)!)} tokens/s (relay CPU ${Math.round(bareCpuMs.at(-1)!)} ms)`);
    }

    // First-token latency: a short reply, many runs, interleaved.
    await fake.setScript(SHORT);
    await pipelineRun();
    await bareRun();
    const pipeFirst: number[] = [];
    const pipeResponded: number[] = [];
    const bareFirst: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      const p = await pipelineRun();
      pipeFirst.push(p.firstMs);
      pipeResponded.push(p.respondedMs);
      bareFirst.push((await bareRun()).firstMs);
    }
    sub.close();
    agent.destroy();
    bareAgent.destroy();

    const pipeRate = median(pipe);
    const baseRate = median(base);
    const ratio = pipeRate / baseRate;
    const pf = summarize(pipeFirst);
    const bf = summarize(bareFirst);
    const added = pf.p50 - bf.p50;
    const responded = summarize(pipeResponded);
    log(`first token p50: pipeline ${pf.p50.toFixed(2)} ms (sendMessage answered after ${responded.p50.toFixed(2)} ms), bare ${bf.p50.toFixed(2)} ms`);
    return {
      rows: [
        {
          id: '2a',
          measure: 'Streaming throughput, 20,000 tokens (median of runs)',
          value: Math.round(pipeRate),
          unit: 'tokens/s',
          goal: '≥ 0.8× baseline',
          baseline: { value: Math.round(baseRate), unit: 'tokens/s', label: 'bare node:http SSE relay' },
          ratio: round(ratio, 2),
          pass: ratio >= 0.8,
          notes:
            `${THROUGHPUT_RUNS} runs each; server CPU per run ${Math.round(median(pipeCpuMs))} ms vs relay ${Math.round(median(bareCpuMs))} ms ` +
            `(CPU ratio ${round(median(bareCpuMs) / median(pipeCpuMs), 2)}); CPU during a pipeline run: ${formatCpu(pipelineCpu ?? {})}`,
        },
        {
          id: '2b',
          measure: 'Added first-token latency (p50 pipeline − p50 bare)',
          value: round(added, 2),
          unit: 'ms',
          goal: '< 3 ms p50',
          baseline: { value: round(bf.p50, 2), unit: 'ms', label: `bare first token p50 (pipeline p50 ${round(pf.p50, 2)} ms)` },
          ratio: round(pf.p50 / bf.p50, 2),
          pass: added < 3,
          notes: `${LATENCY_RUNS} runs each; pipeline p99 ${round(pf.p99, 2)} ms, bare p99 ${round(bf.p99, 2)} ms; sendMessage itself answered after ${round(responded.p50, 2)} ms p50 (auth, checks, the insert)`,
        },
      ],
      details: { pipelineTokensPerSecond: pipe, bareTokensPerSecond: base, pipelineServerCpuMs: pipeCpuMs, bareRelayCpuMs: bareCpuMs, pipelineFirstToken: pf, bareFirstToken: bf, sendMessageResponse: responded },
    };
  } finally {
    bare.kill();
    await api.stop();
    await fake.close();
  }
});
