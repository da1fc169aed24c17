// `npm start` itself (scripts/start.mjs), run as a user runs it: with a port taken, on a tree that is
// already installed and built, and with a PostgreSQL database that does not exist yet.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without types
import { NODE_FLAGS } from '../../node-flags.mjs';
import { POSTGRES_ADMIN_URL, freshSqliteDatabase, postgresAvailable } from '../support/databases.ts';
import { requireService } from '../support/services.ts';
import { eventually } from '../support/steps.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SETUP_STEPS = ['Installing dependencies (pnpm)', 'Generating the Prisma clients (SQLite and PostgreSQL)', 'Building the SDK', 'Building the widget', 'Building the API'];

interface StartedScript {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `node scripts/start.mjs` in the repository, on a data directory of its own unless given one. */
function startScript(env: Record<string, string>, dataDir = temporaryDir()): StartedScript {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM'); // start.mjs passes it on to the API and the demo
      await exited;
    }
  });
  return { child, output: () => output, exited };
}

function temporaryDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'mbc-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function occupy(host: string): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as { port: number }).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const answers = async (url: string) => (await fetch(url).catch(() => undefined))?.ok === true;

describe('npm start', () => {
  it('with the API port taken, stops at once with one line naming the port and how to choose another', async () => {
    const taken = await occupy('0.0.0.0');
    const start = startScript({ PORT: String(taken), DEMO_PORT: String(await freePort()) });
    expect(await start.exited).toBe(1);
    const lines = start.output().trim().split('\n');
    expect(lines).toHaveLength(1); // no stack trace, and no install or build before it
    expect(lines[0]).toMatch(new RegExp(`Port ${taken} \\(the API\\) is in use.*PORT=\\d+ npm start`));
  });

  it('with the demo port taken, serves the demo on the next free port and says so', async () => {
    const taken = await occupy('localhost');
    const apiPort = await freePort();
    const start = startScript({ PORT: String(apiPort), DEMO_PORT: String(taken) });
    const moved = await eventually(async () => start.output().match(/the demo page takes (\d+)/)?.[1], 60_000, 'the demo port message');
    expect(start.output()).toContain(`Port ${taken} is in use by another program: the demo page takes ${moved} (DEMO_PORT chooses).`);
    await eventually(() => answers(`http://localhost:${moved}/`), 120_000, 'the demo page');
    await eventually(() => answers(`http://127.0.0.1:${apiPort}/healthz`), 120_000, 'the API');
  });

  it('a second start runs no install, generate, build or migration', async () => {
    const dataDir = temporaryDir();
    const env = { PORT: String(await freePort()), DEMO_PORT: String(await freePort()) };
    const first = startScript(env, dataDir);
    await eventually(() => answers(`http://127.0.0.1:${env.PORT}/healthz`), 120_000, 'the API');
    first.child.kill('SIGTERM');
    await first.exited;

    const second = startScript(env, dataDir);
    await eventually(() => answers(`http://127.0.0.1:${env.PORT}/healthz`), 120_000, 'the API started again');
    for (const step of [...SETUP_STEPS, 'Applying database migrations']) {
      expect(second.output()).toContain(`✓ ${step}: up to date`);
      expect(second.output()).not.toContain(`▶ ${step}`);
    }
  });
});

describe('the API on a taken port', () => {
  it('exits with one line naming the port and PORT, not a stack trace', async () => {
    const taken = await occupy('0.0.0.0');
    const database = await freshSqliteDatabase();
    cleanups.push(() => rmSync(database.dir, { recursive: true, force: true }));
    const api = spawn(process.execPath, [...NODE_FLAGS, 'dist/main.mjs'], {
      cwd: path.join(ROOT, 'api'),
      env: { PATH: process.env.PATH, PORT: String(taken), DATABASE_URL: database.url, DATA_DIR: database.dir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    api.stdout.on('data', (chunk) => (output += chunk));
    api.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => api.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`Port ${taken} is in use by another program. Stop it, or choose another port with PORT=${taken + 1}.`);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });
});

const postgres = requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'npm start on a PostgreSQL database that does not exist');

describe.runIf(postgres)('npm start with a PostgreSQL DATABASE_URL', () => {
  it('creates the database when it does not exist yet, migrates it and serves', async () => {
    const name = `mbc_start_${Date.now()}`;
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    });
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    const apiPort = await freePort();
    const start = startScript({ PORT: String(apiPort), DEMO_PORT: String(await freePort()), DATABASE_URL: url.href });
    await eventually(() => answers(`http://127.0.0.1:${apiPort}/healthz`), 120_000, 'the API');
    expect(start.output()).toContain(`Created the PostgreSQL database "${name}"`);
    const { rows } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
    expect(rows).toHaveLength(1);
    expect(await answers(`http://127.0.0.1:${apiPort}/readyz`)).toBe(true); // migrated: the seed and queries ran
  });
});
