#!/usr/bin/env node
// Installs the workspace and builds what the product runs from: generated Prisma clients, the SDK,
// the widget bundle and the API bundle. Needs only Node.js 20 and npm; pnpm comes through npx.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PNPM = ['-y', 'pnpm@12.4.2'];

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: ROOT, ...options, env: { ...process.env, ...options.env } });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

export function pnpm(args, options) {
  run('npx', [...PNPM, ...args], options);
}

export function setup() {
  const step = (title) => console.log(`\n▶ ${title}`);
  step('Installing dependencies (pnpm)');
  pnpm(['install', ...(process.env.CI ? ['--frozen-lockfile'] : []), '--reporter=append-only']);
  step('Generating the Prisma clients (SQLite and PostgreSQL)');
  pnpm(['--filter', '@multi-bot-chat/prisma', 'run', 'generate'], { env: { CHECKPOINT_DISABLE: '1' } });
  step('Building the SDK, the widget and the API');
  pnpm(['--filter', '@multi-bot-chat/sdk', '--filter', '@multi-bot-chat/widget', '--if-present', 'run', 'build']);
  pnpm(['--filter', '@multi-bot-chat/api', 'run', 'build']); // bundles the Prisma package too: after generate
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
