#!/usr/bin/env node
// Writes a migration for BOTH providers from the change to models.prisma since a git revision:
//   node prisma/new-migration.mjs add_bot_tags [--since HEAD]
// It diffs the two schema versions (no shadow database, which the offline JS engine lacks).
// PostgreSQL's diff needs a reachable server (DATABASE_URL_POSTGRES, default the local one).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;
const [name, flag, since = 'HEAD'] = process.argv.slice(2);
if (!name || !/^[a-z0-9_]+$/.test(name) || (flag && flag !== '--since')) {
  console.error('usage: node prisma/new-migration.mjs <snake_case_name> [--since <git-rev>]');
  process.exit(2);
}
const previousModels = execFileSync('git', ['show', `${since}:prisma/models.prisma`], { cwd: here, encoding: 'utf8' });
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const databases = {
  sqlite: `file:${path.join(mkdtempSync(path.join(tmpdir(), 'mbc-diff-')), 'diff.db')}`,
  postgresql: process.env.DATABASE_URL_POSTGRES ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
};

for (const provider of ['sqlite', 'postgresql']) {
  const previous = mkdtempSync(path.join(tmpdir(), `mbc-${provider}-`));
  cpSync(path.join(here, provider, 'schema.prisma'), path.join(previous, 'schema.prisma'));
  writeFileSync(path.join(previous, 'models.prisma'), previousModels);
  const sql = execFileSync(
    path.join(here, 'node_modules/.bin/prisma'),
    ['migrate', 'diff', '--config', 'prisma.config.ts', '--from-schema-datamodel', previous, '--to-schema-datamodel', provider, '--script'],
    { cwd: here, encoding: 'utf8', env: { ...process.env, DATABASE_URL: databases[provider], CHECKPOINT_DISABLE: '1' } },
  );
  if (/^-- This is an empty migration/m.test(sql)) {
    console.log(`${provider}: models.prisma has not changed since ${since}; nothing written`);
    continue;
  }
  const dir = path.join(here, provider, 'migrations', `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'migration.sql'), sql);
  console.log(`${provider}: wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}
