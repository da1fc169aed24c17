// The info log is JSON, one line per request with its id, and never holds a password, a token, a
// secret or what anyone said.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from '../support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { SESSION_EVENTS, gql, gqlOk, registerUser, sseSubscribe, uniqueEmail } from '../support/graphql-client.ts';
import { requireService } from '../support/services.ts';
import { SEND, eventually, fakeLlmEnv, postGraphql } from '../support/steps.ts';

const hasPostgres = requireService('PostgreSQL at 127.0.0.1:5432', await postgresAvailable(), 'Logs of an unexpected error');

const JWT_SECRET = 'logs-test-secret-Qm4v9Zt2Lx7Wk1Rp8Hs3';
const PASSWORD = 'Orchid-Pancake-Telescope-42';
const QUESTION = 'My locker code is Zebra-8841, remember it';
const REPLY = 'Noted the Periwinkle-5512 detail for you';

let fake: FakeLlmServer;
let database: Awaited<ReturnType<typeof freshPostgresDatabase>> | undefined;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  database = hasPostgres ? await freshPostgresDatabase() : undefined;
  server = await startApiServer({ databaseUrl: database?.url, env: { ...fakeLlmEnv(fake), JWT_SECRET, LOG_LEVEL: 'info' } });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
  await database?.drop();
});

const logLines = () =>
  server
    .logs()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, any>);

describe('the info log after a whole journey', () => {
  const secrets: string[] = [PASSWORD, QUESTION, 'Zebra-8841', REPLY, 'Periwinkle-5512', JWT_SECRET];

  beforeAll(async () => {
    const email = uniqueEmail('logged');
    const user = await registerUser(url, email, PASSWORD);
    await gql(url, 'mutation($e: String!) { login(email: $e, password: "Wrong-Guess-Password-9") { accessToken } }', { e: email });
    const { login } = await gqlOk(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }', { e: email, p: PASSWORD });
    const { refreshToken } = await gqlOk(url, 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken } }', { t: login.refreshToken });
    secrets.push(user.accessToken, user.refreshToken, login.accessToken, login.refreshToken, refreshToken.accessToken, refreshToken.refreshToken, 'Wrong-Guess-Password-9');

    const token = refreshToken.accessToken;
    const { bots } = await gqlOk(url, '{ bots { id } }', {}, token);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!, $t: String) { createSession(botId: $b, title: $t) { id } }', { b: bots[0].id, t: 'Locker-Title-3310' }, token);
    secrets.push('Locker-Title-3310');
    const events = sseSubscribe(url, SESSION_EVENTS, { sessionId: createSession.id }, token);
    await events.opened;
    fake.enqueue({ reply: REPLY, tokenDelayMs: 2 });
    await gqlOk(url, SEND, { s: createSession.id, t: QUESTION, wait: true }, token);
    await events.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    events.close();
    // Over GET the document and variables travel in the URL: the log keeps the path only.
    await fetch(`${url}?${new URLSearchParams({ query: '{ me { id } }', variables: JSON.stringify({ note: 'Zebra-8841' }) })}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
    // The subscription's line is written when its stream closes; output reaches the test through a pipe.
    await eventually(async () => logLines().some((line) => line.operation === 'subscription sessionEvents') && logLines().some((line) => line.operation === 'query me'));
  });

  it('is JSON, one line per request with its id, method, path, status, duration and operation', () => {
    const requests = logLines().filter((line) => line.msg === 'request');
    expect(requests.length).toBeGreaterThanOrEqual(9);
    for (const line of requests) {
      expect(line).toMatchObject({ level: 30, requestId: expect.stringMatching(/^[\w-]+$/), method: expect.any(String), path: '/graphql', status: expect.any(Number), ms: expect.any(Number) });
    }
    expect(requests.map((line) => line.operation)).toEqual(
      expect.arrayContaining(['mutation register', 'mutation login', 'mutation refreshToken', 'mutation sendMessage', 'subscription sessionEvents', 'query me']),
    );
  });

  it('holds no password, token, secret, message, reply or title', () => {
    const log = server.logs();
    for (const secret of secrets) expect(log, `the log contains ${secret.slice(0, 12)}…`).not.toContain(secret);
  });
});

describe.runIf(hasPostgres)('an unexpected error', () => {
  it('reaches the client masked, with the request id under which the server logged the cause', async () => {
    const { accessToken } = await registerUser(url);
    await database!.drop();
    const { body, headers } = await postGraphql(url, { query: '{ me { id } }' }, { authorization: `Bearer ${accessToken}`, 'x-request-id': 'support-ticket-1234' });
    expect(body.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'support-ticket-1234' } });
    expect(headers.get('x-request-id')).toBe('support-ticket-1234');
    // The child's output reaches the test through a pipe, a moment after the response.
    const logged = await eventually(async () => {
      const lines = logLines().filter((line) => line.requestId === 'support-ticket-1234');
      return lines.length >= 2 && lines;
    });
    expect(logged.find((line) => line.msg === 'unexpected error')).toMatchObject({ level: 50, err: expect.objectContaining({ message: expect.any(String) }) });
    expect(logged.find((line) => line.msg === 'request')).toMatchObject({ operation: 'query me', status: 200 });
  });
});

// Prisma's debug module keeps the arguments of its last 100 calls for crash reports, logged or not:
// the driver adapters' queries with every parameter, that is, what users wrote. patches/ sets that
// history to nothing (it also held ~20% of the heap with 250 replies streaming).
describe('Prisma’s in-memory debug history', () => {
  it('keeps nothing of the queries the API ran', async () => {
    const { freshSqliteDatabase } = await import('../support/databases.ts');
    const { createDb } = await import('../../src/db.ts');
    // The copy the adapters load: @prisma/driver-adapter-utils's, as an ES module (the CommonJS
    // build of the same package keeps a history of its own).
    const resolve = (from: string, id: string) => createRequire(from).resolve(id);
    const adapter = resolve(resolve(import.meta.url, '@multi-bot-chat/prisma/adapters'), '@prisma/adapter-better-sqlite3');
    const debugCjs = resolve(resolve(adapter, '@prisma/driver-adapter-utils'), '@prisma/debug');
    const debug: { getLogs(): string } = await import(pathToFileURL(debugCjs.replace(/index\.js$/, 'index.mjs')).href);
    const db = createDb({ provider: 'sqlite', url: (await freshSqliteDatabase()).url } as never);
    try {
      await db.$queryRaw`SELECT ${QUESTION} AS "said"`;
      await db.user.findFirst({ where: { email: PASSWORD } });
      expect(debug.getLogs()).toBe('');
    } finally {
      await db.$disconnect();
    }
  });
});
