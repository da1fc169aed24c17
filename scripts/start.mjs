#!/usr/bin/env node
// `npm start`: install and build, migrate the embedded SQLite database, then run the API (with
// GraphiQL and /widget.js) on :4000 and the demo host page on :5173 — a different origin.
// `npm run dev` (--dev): the same, with the API run from its sources under tsx instead of its build.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { NODE_FLAGS } from '../api/node-flags.mjs';
import { pnpm, ROOT, setup } from './setup.mjs';

const dev = process.argv.includes('--dev');
setup();

const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? 'data');
mkdirSync(dataDir, { recursive: true });
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: process.env.DATABASE_URL ?? `file:${path.join(dataDir, 'chat.db')}`,
  CHECKPOINT_DISABLE: '1',
};

console.log('\n▶ Applying database migrations');
pnpm(['--filter', '@multi-bot-chat/prisma', 'run', 'migrate'], { env });

const apiPort = env.PORT ?? '4000';
const demoPort = env.DEMO_PORT ?? '5173';
const children = [
  // The bundle setup() built (api/build.mjs): no TypeScript loader on the way to a ready server.
  spawn(process.execPath, dev ? ['--import', 'tsx', 'src/main.ts'] : [...NODE_FLAGS, 'dist/main.mjs'], { cwd: path.join(ROOT, 'api'), env, stdio: 'inherit' }),
  spawn(process.execPath, ['server.mjs'], {
    cwd: path.join(ROOT, 'demo'),
    env: { ...env, DEMO_PORT: demoPort, API_ORIGIN: env.API_ORIGIN ?? `http://localhost:${apiPort}` },
    stdio: 'inherit',
  }),
];
console.log(`\n  GraphiQL  http://localhost:${apiPort}/graphql\n  Widget    http://localhost:${apiPort}/widget.js\n  Demo      http://localhost:${demoPort}\n`);

const stop = (signal) => children.forEach((child) => child.exitCode === null && child.kill(signal));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const child of children) {
  child.on('exit', (code) => {
    stop('SIGTERM');
    process.exitCode = code ?? 0;
  });
}
