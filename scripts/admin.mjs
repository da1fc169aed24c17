#!/usr/bin/env node
// `npm run admin -- create-admin EMAIL`: the operator's CLI (api/src/admin-cli.ts), run against the
// database `npm start` uses (the same DATA_DIR and DATABASE_URL defaults).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from './setup.mjs';

const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? 'data');
const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL ?? `file:${path.join(dataDir, 'chat.db')}` };
const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/admin-cli.ts', ...process.argv.slice(2)], { cwd: path.join(ROOT, 'api'), env, stdio: 'inherit' });
process.exit(result.status ?? 1);
