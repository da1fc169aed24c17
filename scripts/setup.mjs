#!/usr/bin/env node
// Installs the workspace and builds what the product runs from: generated Prisma clients, the SDK,
// the widget bundle, the console bundle and the API bundle. Needs only Node.js 20 and npm; pnpm comes through npx.
// A step whose inputs are unchanged since it last succeeded is skipped: on an installed tree,
// `npm start` goes straight to the migrations.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StepStamps } from './up-to-date.mjs';

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

// What each step reads. Every build depends on the installed packages, hence the lockfile.
const LOCK = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'patches'];
const WORKSPACE = ['api', 'sdk', 'widget', 'admin', 'prisma', 'demo'];
const WITH_DEPENDENCIES = ['api', 'sdk', 'widget', 'admin', 'prisma']; // the demo has none: no node_modules

/** Each step runs only when what it reads changed since it last succeeded (scripts/up-to-date.mjs). */
export function setup() {
  const stamps = new StepStamps(ROOT);
  stamps.step(
    'Installing dependencies (pnpm)',
    { inputs: [...LOCK, 'package.json', ...WORKSPACE.map((p) => `${p}/package.json`)], outputs: ['node_modules/.modules.yaml', ...WITH_DEPENDENCIES.map((p) => `${p}/node_modules`)] },
    () => pnpm(['install', ...(process.env.CI ? ['--frozen-lockfile'] : []), '--reporter=append-only']),
  );
  stamps.step(
    'Generating the Prisma clients (SQLite and PostgreSQL)',
    {
      inputs: [...LOCK, 'prisma/models.prisma', 'prisma/sqlite', 'prisma/postgresql', 'prisma/prisma.config.ts', 'prisma/package.json'],
      outputs: ['prisma/generated/sqlite', 'prisma/generated/postgresql', 'prisma/generated/pothos-types.ts'],
    },
    () => pnpm(['--filter', '@multi-bot-chat/prisma', 'run', 'generate'], { env: { CHECKPOINT_DISABLE: '1' } }),
  );
  // A package is rebuilt when any of its sources, or of a workspace package it builds from, changed.
  stamps.step('Building the SDK', { inputs: [...LOCK, 'sdk', 'api/schema.graphql'], outputs: ['sdk/dist'] }, () =>
    pnpm(['--filter', '@multi-bot-chat/sdk', 'run', 'build']),
  );
  stamps.step('Building the widget', { inputs: [...LOCK, 'widget', 'sdk'], outputs: ['widget/dist/widget.js', 'widget/lib'] }, () =>
    pnpm(['--filter', '@multi-bot-chat/widget', 'run', 'build']),
  );
  stamps.step('Building the console', { inputs: [...LOCK, 'admin'], outputs: ['admin/dist/admin.js'] }, () =>
    pnpm(['--filter', '@multi-bot-chat/admin', 'run', 'build']),
  );
  // The API bundles the Prisma package and its generated clients (ignored by git, so named): after generate.
  stamps.step('Building the API', { inputs: [...LOCK, 'api', 'prisma', 'prisma/generated'], outputs: ['api/dist/main.mjs'] }, () =>
    pnpm(['--filter', '@multi-bot-chat/api', 'run', 'build']),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setup();
