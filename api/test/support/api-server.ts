// Starts the real API as a child process on an ephemeral port, as production would run it.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: a plain ES module without types
import { NODE_FLAGS } from '../../node-flags.mjs';
import { freshPostgresDatabase, freshSqliteDatabase } from './databases.ts';

const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
/** What `npm start` runs: api/build.mjs bundles src/ into it. */
const BUILT_MAIN = path.resolve(import.meta.dirname, '../../dist/main.mjs');

export interface ApiServerOptions {
  /** Extra environment: LLM_PROVIDER, GROQ_BASE_URL, ACCESS_TOKEN_TTL, RATE_LIMIT_*, … */
  env?: Record<string, string>;
  /** Reuse an existing database (e.g. a PostgreSQL URL, or to restart on the same file). */
  databaseUrl?: string;
  /** Where the server keeps its data directory (defaults to the SQLite file's directory or a new one). */
  dataDir?: string;
  /** Run the built bundle (dist/main.mjs, as `npm start` does) instead of the sources under tsx. */
  built?: boolean;
  /** Print the server's log lines (otherwise they are kept and shown only if start-up fails). */
  verbose?: boolean;
}

export interface ApiServer {
  origin: string;
  graphqlUrl: string;
  databaseUrl: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  logs(): string;
  /** SIGTERM and wait for a graceful exit. */
  stop(): Promise<void>;
  /** Send a signal (e.g. SIGKILL) and wait for the process to end. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  let databaseUrl = options.databaseUrl;
  let dataDir = options.dataDir;
  let ownsDir = false;
  let dropDatabase: (() => Promise<void>) | undefined;
  // TEST_DATABASE=postgresql runs every suite's servers on fresh PostgreSQL databases instead.
  if (!databaseUrl && process.env.TEST_DATABASE === 'postgresql') {
    const fresh = await freshPostgresDatabase();
    databaseUrl = fresh.url;
    dropDatabase = fresh.drop;
  }
  if (!databaseUrl) {
    const fresh = await freshSqliteDatabase();
    databaseUrl = fresh.url;
    dataDir ??= fresh.dir;
    ownsDir = !options.dataDir;
  }
  if (!dataDir) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'mbc-test-'));
    ownsDir = true;
  }

  const child = fork(options.built ? BUILT_MAIN : MAIN, [], {
    // `--import tsx` resolves from the working directory: the API's own, whichever suite starts it.
    cwd: path.resolve(import.meta.dirname, '../..'),
    execArgv: options.built ? (NODE_FLAGS as string[]) : ['--import', 'tsx'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      BCRYPT_COST: '4',
      OFFLINE_CHUNK_DELAY_MS: '2',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.verbose) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`API did not start within 60 s:\n${output}`));
    }, 60_000);
    child.on('message', (message: { type?: string; port?: number }) => {
      if (message?.type === 'listening' && message.port) {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API exited with code ${code} before listening:\n${output}`));
    });
  });

  const origin = `http://127.0.0.1:${port}`;
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    origin,
    graphqlUrl: `${origin}/graphql`,
    databaseUrl,
    dataDir,
    process: child,
    logs: () => output,
    kill,
    async stop() {
      await kill('SIGTERM');
      if (ownsDir) rmSync(dataDir!, { recursive: true, force: true });
      await dropDatabase?.();
    },
  };
}
