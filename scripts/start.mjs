#!/usr/bin/env node
// `npm start`: install, build and migrate what is not up to date (the embedded SQLite database by
// default, or DATABASE_URL's, created if missing), then run the API (with
// GraphiQL and /widget.js) on :4000 and the demo host page on :5173 — a different origin.
// `npm run dev` (--dev): the same, with the API run from its sources under tsx instead of its build.
// PORT and DEMO_PORT choose other ports; a taken API port stops the start at once, before any
// work, with one line that says so; a taken demo port moves the demo to the next free one.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NODE_FLAGS } from '../api/node-flags.mjs';
import { ensurePostgresDatabase, migrationsApplied } from './database.mjs';
import { firstFreePort, portIsFree } from './ports.mjs';
import { ROOT, run, setup } from './setup.mjs';

const dev = process.argv.includes('--dev');
const apiPort = Number(process.env.PORT ?? 4000);
const wantedDemoPort = Number(process.env.DEMO_PORT ?? 5173);
// Where the servers will listen (the API's HOST default, demo/server.mjs's).
if (!(await portIsFree(apiPort, process.env.HOST ?? '0.0.0.0'))) {
  const free = await firstFreePort(apiPort + 1, process.env.HOST ?? '0.0.0.0');
  console.error(`✗ Port ${apiPort} (the API) is in use by another program. Stop it, or choose another port: PORT=${free ?? apiPort + 1} npm start`);
  process.exit(1);
}
const demoPort = await firstFreePort(wantedDemoPort, process.env.DEMO_HOST ?? 'localhost');
if (demoPort === undefined) {
  console.error(`✗ Port ${wantedDemoPort} (the demo page) and the 19 after it are in use. Choose another: DEMO_PORT=8080 npm start`);
  process.exit(1);
}
if (demoPort !== wantedDemoPort) console.log(`Port ${wantedDemoPort} is in use by another program: the demo page takes ${demoPort} (DEMO_PORT chooses).`);

setup();

const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? 'data');
mkdirSync(dataDir, { recursive: true });
// The secret the demo shop signs its customers' identity tokens with: made once, kept with the data.
const secretFile = path.join(dataDir, 'demo-identity-secret');
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 });
const env = {
  DEMO_IDENTITY_SECRET: readFileSync(secretFile, 'utf8').trim(),
  ...process.env,
  DATA_DIR: dataDir,
  DATABASE_URL: process.env.DATABASE_URL ?? `file:${path.join(dataDir, 'chat.db')}`,
  CHECKPOINT_DISABLE: '1',
};

await ensurePostgresDatabase(env.DATABASE_URL);
if (await migrationsApplied(env.DATABASE_URL)) {
  console.log('✓ Applying database migrations: up to date');
} else {
  console.log('\n▶ Applying database migrations');
  // Prisma's CLI straight from the Prisma package: through npx and pnpm it took 7.1 s instead of 3.5 s
  // (an up-to-date SQLite database, on the shared 2-core machine).
  const prismaCli = createRequire(path.join(ROOT, 'prisma/package.json')).resolve('prisma/build/index.js');
  run(process.execPath, [prismaCli, 'migrate', 'deploy', '--config', 'prisma.config.ts'], { cwd: path.join(ROOT, 'prisma'), env });
}
const children = [
  // The bundle setup() built (api/build.mjs): no TypeScript loader on the way to a ready server.
  spawn(process.execPath, dev ? ['--import', 'tsx', 'src/main.ts'] : [...NODE_FLAGS, 'dist/main.mjs'], { cwd: path.join(ROOT, 'api'), env, stdio: 'inherit' }),
  spawn(process.execPath, ['server.mjs'], {
    cwd: path.join(ROOT, 'demo'),
    env: { ...env, DEMO_PORT: String(demoPort), API_ORIGIN: env.API_ORIGIN ?? `http://localhost:${apiPort}` },
    stdio: 'inherit',
  }),
];
console.log(`\n  GraphiQL  http://localhost:${apiPort}/graphql\n  Widget    http://localhost:${apiPort}/widget.js\n  Demo      http://localhost:${demoPort} (shop login: /shop.html, guests: /guests.html)\n`);

const stop = (signal) => children.forEach((child) => child.exitCode === null && child.kill(signal));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const child of children) {
  child.on('exit', (code) => {
    stop('SIGTERM');
    process.exitCode = code ?? 0;
  });
}
