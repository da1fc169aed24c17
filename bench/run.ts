// Runs the benchmarks (each in a child process of its own), prints one table and writes it as JSON
// (and Markdown) under bench/results/. Started by `npm run bench` (scripts/bench.mjs) after setup.
//
//   node --import tsx bench/run.ts [--only 1,2,5] [--list]
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BenchmarkResult, RESULT_MARKER, type Row } from './lib/result.ts';

const HERE = import.meta.dirname;
const RESULTS = path.join(HERE, 'results');

const BENCHMARKS: Array<{ id: string; file: string; title: string; timeoutS: number }> = [
  { id: '1', file: 'widget-size.ts', title: 'widget.js size', timeoutS: 120 },
  { id: '5', file: 'history.ts', title: 'History (builds the 1M-message database once)', timeoutS: 420 },
  { id: '6', file: 'cold-start.ts', title: 'Cold start', timeoutS: 240 },
  { id: '2', file: 'streaming-throughput.ts', title: 'Streaming throughput', timeoutS: 300 },
  { id: '4', file: 'send-throughput.ts', title: 'sendMessage(wait: true) throughput', timeoutS: 300 },
  { id: '7', file: 'login.ts', title: 'Login', timeoutS: 240 },
  { id: '11', file: 'search.ts', title: 'Search (SQLite FTS5, PostgreSQL tsvector; 1M messages)', timeoutS: 900 },
  { id: '8', file: 'analytics.ts', title: 'Analytics (on the 1M-message database)', timeoutS: 600 },
  { id: '3', file: 'concurrent-streams.ts', title: 'Concurrent streaming conversations', timeoutS: 400 },
  { id: '8', file: 'widget-render.ts', title: 'Widget: rendering a long streamed reply', timeoutS: 180 },
  { id: '10', file: 'visitor-sign-in.ts', title: 'Visitor sign-in (guest, identity token)', timeoutS: 180 },
];

const args = process.argv.slice(2);
const onlyArg = args.includes('--only') ? args[args.indexOf('--only') + 1] : process.env.BENCH_ONLY;
const only = onlyArg ? new Set(onlyArg.split(',').map((s) => s.trim())) : undefined;
if (args.includes('--list')) {
  for (const b of BENCHMARKS) console.log(`${b.id}  ${b.title}  (bench/benchmarks/${b.file})`);
  process.exit(0);
}

/** A fixed piece of JavaScript work: how fast this machine is right now (lower is faster). */
function calibrate(): number {
  const started = performance.now();
  let acc = 0;
  for (let i = 0; i < 30; i++) {
    const obj = { id: i, items: Array.from({ length: 2000 }, (_, j) => ({ j, s: `item-${j}` })) };
    acc += JSON.parse(JSON.stringify(obj)).items.length;
  }
  for (let i = 0; i < 2e7; i++) acc = (acc * 31 + i) | 0;
  if (acc === 42) console.log('');
  return Math.round(performance.now() - started);
}

/** Share of both cores busy (all processes) over a short window: other work on the machine. */
async function machineBusy(ms = 1000): Promise<number> {
  const read = () => readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const a = read();
  await new Promise((r) => setTimeout(r, ms));
  const b = read();
  const d = b.map((v, i) => v - a[i]);
  const idle = d[3] + d[4];
  const total = d.reduce((x, y) => x + y, 0);
  return total ? Math.round((1 - idle / total) * 100) : 0;
}

/** Waits (bounded) for other processes to quiet down, so one benchmark's load doesn't land on the next. */
async function settle(): Promise<number> {
  const deadline = Date.now() + Number(process.env.BENCH_QUIET_WAIT_S ?? 15) * 1000;
  let busy = await machineBusy();
  while (busy > 25 && Date.now() < deadline) busy = await machineBusy();
  return busy;
}

// Benchmarks run in their own process groups; Ctrl-C here stops the running one and its servers.
let running: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (running) {
      try {
        process.kill(-running, 'SIGKILL');
      } catch {}
    }
    process.exit(130);
  });
}

function runOne(file: string, timeoutS: number): Promise<BenchmarkResult | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'benchmarks', file)], {
      cwd: path.join(HERE, '../api'),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
      // Its own process group: on a timeout the servers it started go with it.
      detached: true,
    });
    running = child.pid;
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    const timer = setTimeout(() => {
      stdout += `\n(killed after ${timeoutS} s)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutS * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running = undefined;
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (line) return resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as BenchmarkResult);
      resolve({ error: `no result (exit ${code ?? signal}): ${stdout.trim().split('\n').slice(-3).join(' | ')}` });
    });
  });
}

const fmt = (value: number | null | undefined, unit = '') => {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const text = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en') : String(value);
  return unit ? `${text} ${unit}` : text;
};

function table(rows: Row[], markdown: boolean): string {
  const header = ['#', 'Measure', 'Value', 'Goal', 'Baseline (same run)', 'Ratio', 'Result'];
  const cells = rows.map((r) => [
    r.id,
    r.measure,
    fmt(r.value, r.unit),
    r.goal,
    r.baseline ? `${fmt(r.baseline.value, r.baseline.unit)} (${r.baseline.label})` : '—',
    r.ratio === null || r.ratio === undefined ? '—' : `${r.ratio}×`,
    r.pass === null ? 'report' : r.pass ? 'pass' : 'MISS',
  ]);
  if (markdown) {
    const line = (c: string[]) => `| ${c.map((x) => x.replace(/\|/g, '\\|')).join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...cells.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.min(i === 1 || i === 4 ? 60 : 40, Math.max(h.length, ...cells.map((c) => c[i].length))));
  const clip = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const line = (c: string[]) => c.map((x, i) => clip(x, widths[i])).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const started = new Date();
const environment = {
  node: process.version,
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model,
  memoryGb: Math.round(os.totalmem() / 1e9),
  loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  calibrationMsAtStart: calibrate(),
  setup: process.env.BENCH_SETUP_STATUS ?? 'unknown',
};
console.error(`\nBenchmarks on ${environment.cpus} × ${environment.cpuModel}, Node ${environment.node}; load ${environment.loadAverageAtStart.join(' ')}; calibration ${environment.calibrationMsAtStart} ms\n`);

const results: Array<BenchmarkResult & { machine?: { busyBeforePct: number; calibrationMs: number } }> = [];
for (const benchmark of BENCHMARKS) {
  if (only && !only.has(benchmark.id)) continue;
  const busy = await settle();
  const calibrationMs = calibrate();
  console.error(`\n▶ #${benchmark.id} ${benchmark.title}  (machine ${busy}% busy before it; calibration ${calibrationMs} ms)`);
  const outcome = await runOne(benchmark.file, benchmark.timeoutS);
  const result: BenchmarkResult = 'benchmark' in outcome ? outcome : { benchmark: benchmark.id, title: benchmark.title, rows: [], error: outcome.error };
  if (result.error) console.error(`✗ #${benchmark.id} failed: ${result.error}`);
  results.push({ ...result, machine: { busyBeforePct: busy, calibrationMs } });
}

const rows = results
  .flatMap((r) => (r.error ? [{ id: r.benchmark, measure: `${r.title}: ERROR ${r.error}`.slice(0, 200), value: null, unit: '', goal: '', pass: false } as Row] : r.rows))
  .sort((a, b) => parseInt(a.id) - parseInt(b.id)); // by benchmark; rows keep their order within one
const finished = new Date();
const machineLine = results.map((r) => `#${r.benchmark} ${r.machine?.busyBeforePct}% busy/${r.machine?.calibrationMs} ms`).join(' · ');
Object.assign(environment, { loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100), calibrationMsAtEnd: calibrate() });

const summary = {
  startedAt: started.toISOString(),
  durationS: Math.round((finished.getTime() - started.getTime()) / 1000),
  environment,
  passed: rows.filter((r) => r.pass === true).length,
  missed: rows.filter((r) => r.pass === false).length,
  rows,
  benchmarks: results,
};
// latest.json / latest.md: the last full run (kept in the repository); runs/: every run (ignored by git).
mkdirSync(path.join(RESULTS, 'runs'), { recursive: true });
const stamp = started.toISOString().replace(/[:.]/g, '-');
const json = `${JSON.stringify(summary, null, 2)}\n`;
if (!only) writeFileSync(path.join(RESULTS, 'latest.json'), json);
writeFileSync(path.join(RESULTS, 'runs', `${stamp}${only ? `-only-${[...only].join('-')}` : ''}.json`), json);
const md =
  `Run ${started.toISOString()} · ${environment.cpus} × ${environment.cpuModel} · Node ${environment.node} · ` +
  `load ${environment.loadAverageAtStart.join(' ')} · calibration ${environment.calibrationMsAtStart} ms → ${(environment as { calibrationMsAtEnd?: number }).calibrationMsAtEnd} ms\n\n${table(rows, true)}\n\n` +
  `Machine before each benchmark (other processes' CPU share; calibration, lower is faster): ${machineLine}\n\n` +
  rows.filter((r) => r.notes).map((r) => `- **${r.id.trim()}** ${r.notes}`).join('\n') + '\n';
if (!only) writeFileSync(path.join(RESULTS, 'latest.md'), md);

console.log(`\n${table(rows, false)}\n`);
for (const r of rows.filter((r) => r.notes)) console.log(`  ${r.id.padEnd(7)} ${r.notes}`);
console.log(`\nMachine before each benchmark (other processes' CPU share; calibration, lower is faster): ${machineLine}`);
console.log(`\n${summary.passed} pass, ${summary.missed} miss · ${summary.durationS} s · written to bench/results/${only ? 'runs/' : 'latest.json, latest.md and runs/'}`);
process.exit(results.some((r) => r.error) ? 1 : 0);
