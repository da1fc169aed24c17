// #6 Cold start: from spawning the API process to /readyz answering 200, on an existing database
// (the 1,000,000-message SQLite file of #5). Measured as `npm start` runs the API (node on the
// esbuild bundle api/dist/main.mjs that api/build.mjs makes), and, for comparison, from the sources
// under tsx (`npm run dev`) and from a bundle with the third-party packages inside too.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BENCH_ENV, ROOT, startBenchApi } from '../lib/api.ts';
// @ts-expect-error: a plain ES module without types; buildApi({ outfile?, bundlePackagesExcept? })
import { buildApi } from '../../api/build.mjs';
// @ts-expect-error: a plain ES module without types
import { NODE_FLAGS } from '../../api/node-flags.mjs';
import { log, runBenchmark, type Row } from '../lib/result.ts';
import { historyDatabase } from '../lib/seed.ts';
import { round, summarize } from '../lib/stats.ts';

const RUNS = Number(process.env.BENCH_COLD_START_RUNS ?? 3);
const GOAL_MS = 1500;

async function waitReady(origin: string): Promise<void> {
  for (;;) {
    const response = await fetch(`${origin}/readyz`).catch(() => undefined);
    if (response?.status === 200) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Packages that load native code or files from beside themselves stay outside even the full bundle. */
const KEEP_EXTERNAL = ['better-sqlite3', 'pg', 'pg-native', '@prisma/client', 'bcryptjs', 'pino', 'thread-stream'];

/** Forks a bundled API the way api/test/support/api-server.ts forks src/main.ts, and `npm start` runs it. */
async function startBundle(file: string, databaseUrl: string, dataDir: string) {
  const child = fork(file, [], {
    execArgv: NODE_FLAGS,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, ...BENCH_ENV },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk) => (errors += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { type?: string; port?: number }) => m?.type === 'listening' && resolve(m.port!));
    child.once('exit', (code) => reject(new Error(`bundled API exited with ${code}: ${errors}`)));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}

await runBenchmark('6', 'Cold start', async () => {
  const dataset = await historyDatabase();
  const databaseUrl = `file:${dataset.file}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'mbc-bench-cold-'));
  const appBundle: { file: string; ms: number } = await buildApi(); // api/dist/main.mjs, as setup builds it
  // Two levels below the repository, like api/dist: the sources find ../../prisma from there.
  const allBundle: { file: string; ms: number } = await buildApi({ outfile: path.join(ROOT, 'api/.bench-bundle/main.mjs'), bundlePackagesExcept: KEEP_EXTERNAL });
  const variants = {
    app: () => startBundle(appBundle.file, databaseUrl, dataDir),
    tsx: async () => {
      const api = await startBenchApi({ databaseUrl, dataDir, fromSources: true });
      return { origin: api.origin, stop: () => api.stop() };
    },
    all: () => startBundle(allBundle.file, databaseUrl, dataDir),
  };
  const times: Record<keyof typeof variants, number[]> = { app: [], tsx: [], all: [] };
  try {
    // One untimed start of each fills tsx's transform cache and the OS file cache, as any restart finds them.
    for (const start of Object.values(variants)) await (await start()).stop();
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so drift on a shared machine hits every variant alike.
      for (const [name, start] of Object.entries(variants) as Array<[keyof typeof variants, () => Promise<{ origin: string; stop(): Promise<void> }>]>) {
        const started = performance.now();
        const api = await start();
        await waitReady(api.origin);
        times[name].push(performance.now() - started);
        await api.stop();
      }
      log(`run ${i + 1}: npm start's bundle ${Math.round(times.app[i])} ms, tsx ${Math.round(times.tsx[i])} ms, full bundle ${Math.round(times.all[i])} ms`);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(path.dirname(allBundle.file), { recursive: true, force: true });
  }
  const s = { tsx: summarize(times.tsx), app: summarize(times.app), all: summarize(times.all) };
  const row = (id: string, name: keyof typeof s, measure: string, goal: boolean): Row => ({
    id,
    measure,
    value: Math.round(s[name].p50),
    unit: 'ms',
    goal: goal ? `< ${GOAL_MS.toLocaleString('en')} ms` : '— (report)',
    baseline: name === 'app' ? null : { value: Math.round(s.app.p50), unit: 'ms', label: 'as npm start runs it' },
    ratio: name === 'app' ? round(s.app.p50 / GOAL_MS, 2) : round(s[name].p50 / s.app.p50, 2),
    pass: goal ? s[name].p50 < GOAL_MS : null,
    notes: `median of ${RUNS} starts (min ${Math.round(s[name].min)}, max ${Math.round(s[name].max)} ms)`,
  });
  return {
    rows: [
      row('6', 'app', 'Cold start: spawn → /readyz 200, 1M-message SQLite, as npm start runs it (node api/dist/main.mjs)', true),
      row('6b', 'tsx', '  same, from the sources under tsx (npm run dev)', false),
      row('6c', 'all', '  same, third-party packages bundled too', false),
    ],
    details: { ms: times, bundleBuildMs: { app: appBundle.ms, all: allBundle.ms } },
  };
});
