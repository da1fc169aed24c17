// Every error class, each produced by a real API (or a real network) failure.
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AuthError,
  ConflictError,
  createClient,
  MbcError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src';
import { type ApiServer, clientOf, PASSWORD, signedInClient, startApi, uniqueEmail } from './support/api';

let server: ApiServer;

beforeAll(async () => {
  server = await startApi({ RATE_LIMIT_LOGIN_FAILURES: '3' });
});
afterAll(() => server?.stop());

async function errorOf(promise: Promise<unknown>): Promise<MbcError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(MbcError);
  return error as MbcError;
}

describe('errors from the API', () => {
  test('ValidationError names the field that was wrong', async () => {
    const error = await errorOf(clientOf(server).auth.register({ email: uniqueEmail(), password: 'short' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });

    const chat = await signedInClient(server);
    const [bot] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: bot!.id });
    const empty = await errorOf(chat.messages.send({ sessionId: session.id, text: '   ' }).done);
    expect(empty).toBeInstanceOf(ValidationError);
    expect(empty).toMatchObject({ field: 'text' });
    const hot = await errorOf(chat.bots.create({ name: 'Hot', systemPrompt: 'x', temperature: 3 }));
    expect(hot).toMatchObject({ name: 'ValidationError', field: 'temperature' });
  });

  test('ConflictError when the email is already registered', async () => {
    const email = uniqueEmail();
    await clientOf(server).auth.register({ email, password: PASSWORD });
    const error = await errorOf(clientOf(server).auth.register({ email, password: PASSWORD }));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', field: 'email' });
  });

  test('AuthError for wrong credentials, for calls made signed out, and for what the user may not do', async () => {
    const email = uniqueEmail();
    await clientOf(server).auth.register({ email, password: PASSWORD });
    const wrong = await errorOf(clientOf(server).auth.login({ email, password: 'not the password' }));
    expect(wrong).toBeInstanceOf(AuthError);
    expect(wrong.code).toBe('UNAUTHENTICATED');

    const anonymous = await errorOf(clientOf(server).sessions.list());
    expect(anonymous).toBeInstanceOf(AuthError);
    expect(anonymous.code).toBe('UNAUTHENTICATED');

    const chat = await signedInClient(server);
    const [support] = await chat.bots.list();
    const forbidden = await errorOf(chat.bots.update(support!.id, { name: 'Mine now' }));
    expect(forbidden).toBeInstanceOf(AuthError);
    expect(forbidden.code).toBe('FORBIDDEN');
  });

  test("NotFoundError for what does not exist or is someone else's", async () => {
    const owner = await signedInClient(server);
    const [bot] = await owner.bots.list();
    const session = await owner.sessions.create({ botId: bot!.id });
    const stranger = await signedInClient(server);
    const error = await errorOf(stranger.sessions.rename(session.id, 'Mine'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.code).toBe('NOT_FOUND');
    expect(await errorOf(stranger.messages.history({ sessionId: session.id }))).toBeInstanceOf(NotFoundError);
    expect(await errorOf(stranger.messages.send({ sessionId: session.id, text: 'hi' }).done)).toBeInstanceOf(NotFoundError);
    expect(await errorOf(stranger.memories.delete('nope'))).toBeInstanceOf(NotFoundError);
  });

  test('RateLimitError says when to try again', async () => {
    const email = uniqueEmail();
    await clientOf(server).auth.register({ email, password: PASSWORD });
    const chat = clientOf(server);
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await errorOf(chat.auth.login({ email, password: 'wrong password!' }))).toBeInstanceOf(AuthError);
    }
    const error = await errorOf(chat.auth.login({ email, password: PASSWORD }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe('RATE_LIMITED');
    expect((error as RateLimitError).retryAfter).toBeGreaterThan(0);
  });

  test('ServerError for a request the API refuses at the HTTP level', async () => {
    const chat = await signedInClient(server);
    const [bot] = await chat.bots.list();
    const session = await chat.sessions.create({ botId: bot!.id });
    const error = await errorOf(chat.messages.send({ sessionId: session.id, text: 'x'.repeat(150_000) }).done);
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(413);
  });
});

describe('failures outside the API', () => {
  test('NetworkError when the API cannot be reached', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const chat = createClient({ url: `http://127.0.0.1:${port}/graphql`, reconnect: { attempts: 1, delayMs: 10 } });
    const error = await errorOf(chat.auth.login({ email: uniqueEmail(), password: PASSWORD }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.cause).toBeDefined();

    const reply = chat.messages.send({ sessionId: 'any', text: 'hi' });
    expect(await errorOf(reply.done)).toBeInstanceOf(NetworkError);
  });

  test('ServerError with a request id when the API fails unexpectedly', async () => {
    const chat = await signedInClient(server);
    // Pull a table from under the running server for a moment: the API masks the failure and logs it by request id.
    const require = createRequire(fileURLToPath(new URL('../../prisma/package.json', import.meta.url)));
    const Database = require('better-sqlite3') as new (file: string) => { exec(sql: string): void; close(): void };
    const db = new Database(server.databaseUrl.replace(/^file:/, ''));
    db.exec('ALTER TABLE "UserMemory" RENAME TO "UserMemoryAway"');
    try {
      const error = await errorOf(chat.memories.list());
      expect(error).toBeInstanceOf(ServerError);
      expect(error.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.requestId).toEqual(expect.any(String));
      expect(error.message).toBe('Unexpected error.');
    } finally {
      db.exec('ALTER TABLE "UserMemoryAway" RENAME TO "UserMemory"');
      db.close();
    }
    expect(await chat.memories.list()).toEqual([]);
  });
});
