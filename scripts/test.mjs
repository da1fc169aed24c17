#!/usr/bin/env node
// `npm test`: install and build, then run every suite (api, sdk, widget + end-to-end) with vitest.
// Suites needing PostgreSQL, Redis or Chromium run when these are reachable and skip loudly otherwise.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { run, setup } from './setup.mjs';

setup();

// Browser tests drive Debian's Chromium. As root on a Debian machine we can install it ourselves.
if (!existsSync('/usr/bin/chromium') && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('\n▶ Installing Chromium for the browser tests (apt-get)');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const args = process.argv.slice(2);
console.log('\n▶ Running the test suites');
run('npx', ['vitest', 'run', ...args]);

// The whole API suite once more with every server on its own PostgreSQL database (the journey
// above already covers both; this proves nothing in the API depends on SQLite).
if (args.length === 0 && (process.env.REQUIRE_SERVICES === '1' || process.env.TEST_POSTGRES_TWICE === '1')) {
  console.log('\n▶ The API suite on PostgreSQL');
  run('npx', ['vitest', 'run', '--project', 'api'], { env: { TEST_DATABASE: 'postgresql' } });
}
