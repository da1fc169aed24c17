#!/usr/bin/env node
// `npm run bench`: builds what the benchmarks need (scripts/setup.mjs), then runs them
// (bench/run.ts under tsx) and prints one table; results go to bench/results/.
//
//   npm run bench                     everything (~10 min)
//   npm run bench -- --only 2,4       some benchmarks (see bench/README.md)
//   npm run bench -- --skip-setup     when the workspace is already installed and built
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, setup } from './setup.mjs';

const args = process.argv.slice(2);
let setupStatus = 'skipped';
if (!args.includes('--skip-setup') && !process.env.BENCH_SKIP_SETUP) {
  // setup() exits the process when a step fails. A failed step (say, the widget build while it is
  // being worked on) should not cost the API benchmarks: catch the exit, report it, carry on.
  const exit = process.exit;
  const failure = new Error('setup step failed');
  process.exit = (code) => {
    failure.code = code;
    throw failure;
  };
  try {
    setup();
    setupStatus = 'ok';
  } catch (error) {
    if (error !== failure) throw error;
    setupStatus = `failed (exit ${failure.code}); benchmarks run on what exists`;
    console.error(`\n⚠ setup failed; running the benchmarks on what is already built`);
  } finally {
    process.exit = exit;
  }
}

// The servers run the API as npm start does, from its bundle: rebuild it (0.1 s) so that it holds
// the sources as they are now, even with --skip-setup.
if (setupStatus !== 'ok') spawnSync(process.execPath, [path.join(ROOT, 'api/build.mjs')], { stdio: 'inherit' });

const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/run.ts'), ...args.filter((a) => a !== '--skip-setup')], {
  // tsx is a dependency of the api package: resolve it from there.
  cwd: path.join(ROOT, 'api'),
  stdio: 'inherit',
  env: { ...process.env, BENCH_SETUP_STATUS: setupStatus },
});
process.exit(result.status ?? 1);
