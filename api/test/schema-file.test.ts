// api/schema.graphql is the reviewed contract the SDK checks its documents against: it must be exactly
// what the code builds, so a change to the schema cannot land without its diff in the file.
// (Checked in a child process: the schema's graphql and the one vitest would load here are two copies.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const API_DIR = path.resolve(import.meta.dirname, '..');
const check = (...file: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/print-schema.ts', '--check', ...file], { cwd: API_DIR, encoding: 'utf8' });

const scratch = mkdtempSync(path.join(tmpdir(), 'schema-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it('api/schema.graphql is the schema the code builds', () => {
  const result = check();
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});

it('a schema file that drifted from the code fails the check and says how to fix it', () => {
  const drifted = path.join(scratch, 'schema.graphql');
  const current = readFileSync(path.join(API_DIR, 'schema.graphql'), 'utf8');
  writeFileSync(drifted, current.replace('type Bot implements Node {', 'type Bot implements Node {\n  colour: String!'));
  const result = check(drifted);
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/differs from the schema the code builds: run `npm run print-schema`/);
});
