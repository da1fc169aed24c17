// Two tabs refreshing at the same moment present the same refresh token: within the reuse interval
// both get the same new pair, and a replay after it still ends the sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { errorCode, gql, gqlOk, registerUser } from './support/graphql-client.ts';

const REFRESH = 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt } }';
const REUSE_INTERVAL_MS = 1_500;

let server: ApiServer;
let url: string;
const refresh = (token: string) => gql(url, REFRESH, { t: token });

beforeAll(async () => {
  server = await startApiServer({ env: { REFRESH_REUSE_INTERVAL: `${REUSE_INTERVAL_MS}ms` } });
  url = server.graphqlUrl;
});
afterAll(() => server?.stop());

describe('a rotated refresh token presented again within the reuse interval', () => {
  it('concurrent refreshes with one token all get the same pair, and the sign-in goes on', async () => {
    const user = await registerUser(url);
    const results = await Promise.all([0, 1, 2, 3].map(() => refresh(user.refreshToken)));
    for (const result of results) expect(result.errors).toBeUndefined();
    const pairs = results.map((r) => r.data.refreshToken);
    for (const pair of pairs) expect(pair).toEqual(pairs[0]);
    expect(pairs[0].refreshToken).not.toBe(user.refreshToken);
    expect((await gqlOk(url, '{ me { email } }', {}, pairs[0].accessToken)).me.email).toBe(user.email);
    // The family is intact: the shared successor rotates as usual.
    const next = await refresh(pairs[0].refreshToken);
    expect(next.errors).toBeUndefined();
    expect(next.data.refreshToken.refreshToken).not.toBe(pairs[0].refreshToken);
  });

  it('a second refresh just after the first answers the same pair again', async () => {
    const user = await registerUser(url);
    const first = (await refresh(user.refreshToken)).data.refreshToken;
    const second = await refresh(user.refreshToken);
    expect(second.data?.refreshToken).toEqual(first);
  });

  it('once the successor was itself rotated, the old token revokes the family', async () => {
    const user = await registerUser(url);
    const second = (await refresh(user.refreshToken)).data.refreshToken.refreshToken;
    const third = (await refresh(second)).data.refreshToken.refreshToken;
    const replay = await refresh(user.refreshToken);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(third))).toBe('UNAUTHENTICATED');
  });

  it('after a logout the old token gets nothing', async () => {
    const user = await registerUser(url);
    const pair = (await refresh(user.refreshToken)).data.refreshToken;
    await gqlOk(url, 'mutation($t: String!) { logout(refreshToken: $t) }', { t: pair.refreshToken });
    expect(errorCode(await refresh(user.refreshToken))).toBe('UNAUTHENTICATED');
    expect(errorCode(await refresh(pair.refreshToken))).toBe('UNAUTHENTICATED');
  });
});

describe('a rotated refresh token replayed after the reuse interval', () => {
  it('is refused as used twice and ends the whole sign-in', async () => {
    const user = await registerUser(url);
    const pair = (await refresh(user.refreshToken)).data.refreshToken;
    await new Promise((resolve) => setTimeout(resolve, REUSE_INTERVAL_MS + 500));
    const replay = await refresh(user.refreshToken);
    expect(errorCode(replay)).toBe('UNAUTHENTICATED');
    expect(replay.errors?.[0].message).toMatch(/used twice/);
    expect(errorCode(await refresh(pair.refreshToken))).toBe('UNAUTHENTICATED'); // the legitimate successor ends too
  });
});

describe('with REFRESH_REUSE_INTERVAL=0s', () => {
  it('two concurrent refreshes with one token: at most one wins and the family is revoked', async () => {
    const strict = await startApiServer({ env: { REFRESH_REUSE_INTERVAL: '0s' } });
    try {
      const user = await registerUser(strict.graphqlUrl);
      const results = await Promise.all([0, 1].map(() => gql(strict.graphqlUrl, REFRESH, { t: user.refreshToken })));
      expect(results.filter((r) => r.data?.refreshToken).length).toBeLessThanOrEqual(1);
      expect(results.some((r) => errorCode(r) === 'UNAUTHENTICATED')).toBe(true);
    } finally {
      await strict.stop();
    }
  });
});
