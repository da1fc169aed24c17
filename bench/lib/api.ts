// Starting the real API, the fake LLM (in its own process) and seeding data for benchmarks.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startApiServer, type ApiServer } from '../../api/test/support/api-server.ts';
import type { FakeLlmScript } from '../../api/test/support/fake-llm-server.ts';
import { gqlOk, registerUser } from '../../api/test/support/graphql-client.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const requireFrom = (pkg: string) => createRequire(path.join(ROOT, pkg, 'package.json'));

export const BENCH_JWT_SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const ISSUER = 'multi-bot-chat';

/** Limits raised so that load measures the pipeline, not the rate limiter. */
export const BENCH_ENV: Record<string, string> = {
  NODE_ENV: 'production',
  JWT_SECRET: BENCH_JWT_SECRET,
  ACCESS_TOKEN_TTL: '6h',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_SENDS_PER_MINUTE: '100000000',
  RATE_LIMIT_CONCURRENT_REPLIES: '100000',
  RATE_LIMIT_AUTH_PER_IP: '100000000',
  LLM_RETRY_BASE_MS: '10',
};

export interface BenchApiOptions {
  env?: Record<string, string>;
  databaseUrl?: string;
  dataDir?: string;
  /** Fake LLM origin (groq protocol); omitted = offline provider. */
  llmUrl?: string;
  /** Profile only between two SIGUSR2 (the benchmark marks its measured window), not the whole process. */
  profileWindow?: boolean;
  /** Run the API from its sources under tsx instead of the bundle npm start runs (api/dist/main.mjs). */
  fromSources?: boolean;
}

export async function startBenchApi(options: BenchApiOptions = {}): Promise<ApiServer> {
  return startApiServer({
    built: !options.fromSources,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    env: {
      ...BENCH_ENV,
      ...(options.llmUrl ? { LLM_PROVIDER: 'groq', GROQ_API_KEY: 'test', GROQ_BASE_URL: options.llmUrl } : {}),
      ...profilerEnv(process.env.BENCH_PROFILE, options.profileWindow ?? false),
      ...options.env,
    },
  });
}

function profilerEnv(dir: string | undefined, windowed: boolean): Record<string, string> {
  if (!dir) return {};
  return {
    NODE_OPTIONS: `--import ${path.join(import.meta.dirname, 'cpu-profiler.mjs')}`,
    BENCH_CPU_PROFILE_DIR: path.resolve(dir),
    BENCH_CPU_PROFILE_ON_SIGNAL: windowed ? '1' : '0',
  };
}

export interface FakeLlmProcess {
  url: string;
  pid: number;
  setScript(script: FakeLlmScript): Promise<void>;
  close(): Promise<void>;
}

/** The fake chat-completions server in a child process of its own, so it doesn't share our event loop. */
export async function startFakeLlmProcess(script: FakeLlmScript = {}): Promise<FakeLlmProcess> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, 'fake-llm-process.ts'), [JSON.stringify(script)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`fake LLM exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    setScript: (next) =>
      new Promise((resolve) => {
        child.once('message', () => resolve());
        child.send({ type: 'script', script: next });
      }),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A baseline server of lib/ (bare-graphql-server.ts, bare-sse-server.ts) in a process of its own, as production runs. */
export async function startBaseline(file: string, args: string[] = []): Promise<{ url: string; pid: number; close(): Promise<void> }> {
  const child = fork(path.join(import.meta.dirname, file), args, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port));
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
/** The system Support bot (seeded by the API at start-up). */
const SUPPORT_BOT = globalId('Bot', 'system-support');

let jose: Promise<typeof import('jose')> | undefined;
/** An access token exactly as the API signs them (HS256, sub, role, iss, aud), for seeded users. */
export async function tokenFor(userId: string): Promise<string> {
  jose ??= import(pathToFileURL(requireFrom('api').resolve('jose')).href);
  const { SignJWT } = await jose;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'USER' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 6 * 3600)
    .sign(new TextEncoder().encode(BENCH_JWT_SECRET));
}

/** Registers `count` users through GraphQL, each with one session with the Support bot. */
export async function usersWithSessions(graphqlUrl: string, count: number, concurrency = 10) {
  const out: Array<{ token: string; userId: string; sessionId: string }> = new Array(count);
  const stamp = Date.now().toString(36);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const { accessToken: token, user } = await registerUser(graphqlUrl, `bench-${stamp}-${i}@example.com`);
      const created = await gqlOk(graphqlUrl, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: SUPPORT_BOT }, token);
      out[i] = { token, userId: user.id, sessionId: created.createSession.id };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}

export function gqlBody(query: string, variables: Record<string, unknown> = {}) {
  return JSON.stringify({ query, variables });
}

export const SEND_MUTATION = `mutation Send($s: ID!, $t: String!, $w: Boolean) {
  sendMessage(sessionId: $s, text: $t, wait: $w) { userMessage { id } botMessage { id status text } }
}`;

export const DELTA_SUBSCRIPTION = `subscription Events($s: ID!) {
  sessionEvents(sessionId: $s) {
    __typename
    ... on MessageDelta { messageId seq text }
    ... on MessageCompleted { message { id status } }
    ... on MessageFailed { messageId code errorMessage }
  }
}`;
