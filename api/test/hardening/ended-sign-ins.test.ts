// An access token stops working at once when its user is deleted or its sign-in ends (logout, a
// refresh token used twice), not only when it expires — on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { runSql } from '../support/databases.ts';
import { errorCode, gql, gqlOk, registerUser } from '../support/graphql-client.ts';

let server: ApiServer;
let url: string;

beforeAll(async () => {
  // A short reuse interval, so a replay can be made past it (the default is 30 s).
  server = await startApiServer({ env: { REFRESH_REUSE_INTERVAL: '500ms' } });
  url = server.graphqlUrl;
});
afterAll(() => server?.stop());

const ME = '{ me { id } }';

describe('a deleted user', () => {
  it("gets UNAUTHENTICATED for every operation with the user's still unexpired token, never an internal error", async () => {
    const user = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id } }', {}, user.accessToken);
    expect((await gqlOk(url, ME, {}, user.accessToken)).me.id).toBe(user.user.id);

    await runSql(server.databaseUrl, 'DELETE FROM "User" WHERE "email" = $1', [user.email]);

    for (const [query, variables] of [
      [ME, {}],
      ['mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[0].id }],
      ['mutation { createBot(input: { name: "Ghost", systemPrompt: "Boo." }) { id } }', {}],
      ['{ bots { id } }', {}],
    ] as const) {
      const result = await gql(url, query, variables, user.accessToken);
      expect(errorCode(result), query).toBe('UNAUTHENTICATED');
    }
    const refreshed = await gql(url, 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken } }', { r: user.refreshToken });
    expect(errorCode(refreshed)).toBe('UNAUTHENTICATED');
  });
});

describe('an ended sign-in', () => {
  it('logout stops the access token of that sign-in at once, and only of that one', async () => {
    const user = await registerUser(url);
    const other = await gqlOk(url, 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }', { e: user.email, p: user.password });
    await gqlOk(url, 'mutation($r: String!) { logout(refreshToken: $r) }', { r: user.refreshToken });
    const after = await gql(url, ME, {}, user.accessToken);
    expect(errorCode(after)).toBe('UNAUTHENTICATED');
    expect(after.errors![0].message).toMatch(/sign-in has ended/);
    // The same user signed in on another device stays signed in there.
    expect((await gqlOk(url, ME, {}, other.login.accessToken)).me.id).toBe(user.user.id);
  });

  it('a refresh token presented twice ends the sign-in, and its access tokens with it', async () => {
    const user = await registerUser(url);
    const ROTATE = 'mutation($r: String!) { refreshToken(refreshToken: $r) { accessToken refreshToken } }';
    const { refreshToken: next } = await gqlOk(url, ROTATE, { r: user.refreshToken });
    expect((await gqlOk(url, ME, {}, next.accessToken)).me.id).toBe(user.user.id);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // past any grace for a concurrent rotation
    expect(errorCode(await gql(url, ROTATE, { r: user.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gql(url, ME, {}, next.accessToken))).toBe('UNAUTHENTICATED');
  });
});

describe('the viewer check', () => {
  it("answers `me` with the user's row as it is now: a role changed in the database counts from the next request", async () => {
    const user = await registerUser(url);
    const FULL_ME = '{ me { id email name role createdAt } }';
    const before = (await gqlOk(url, FULL_ME, {}, user.accessToken)).me;
    expect(before).toMatchObject({ id: user.user.id, email: user.email, name: null, role: 'USER' });
    expect(Math.abs(Date.parse(before.createdAt) - Date.now())).toBeLessThan(60_000);

    await runSql(server.databaseUrl, `UPDATE "User" SET "role" = 'ADMIN' WHERE "email" = $1`, [user.email]);
    expect((await gqlOk(url, FULL_ME, {}, user.accessToken)).me).toEqual({ ...before, role: 'ADMIN' });
  });
});
