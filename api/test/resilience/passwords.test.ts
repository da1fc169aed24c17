// The rules for a new password, over the real register and login mutations, on SQLite or (with
// TEST_DATABASE=postgresql) PostgreSQL.
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { gql, gqlOk, registerUser, uniqueEmail } from '../support/graphql-client.ts';

const REGISTER = 'mutation($e: String!, $p: String!) { register(email: $e, password: $p) { accessToken } }';
const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { user { email } } }';

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(() => server?.stop());

function refusal(result: Awaited<ReturnType<typeof gql>>) {
  const error = result.errors?.[0];
  return { code: error?.extensions?.code, field: error?.extensions?.field, message: error?.message };
}

describe('a new password', () => {
  it('beyond 72 bytes is refused, so two emoji passwords with different tails cannot sign each other in', async () => {
    const first = '😀'.repeat(18) + 'first tail'; // 18 emoji are the 72 bytes bcrypt reads
    const second = '😀'.repeat(18) + 'other tail';
    for (const password of [first, second]) {
      const refused = refusal(await gql(server.graphqlUrl, REGISTER, { e: uniqueEmail(), p: password }));
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(refused.message).toMatch(/72 bytes/);
    }
  });

  it('of exactly 72 bytes is accepted and signs in, and one byte more is refused', async () => {
    const password = 'Tr0ub4dor&3-'.repeat(6); // 72 ASCII bytes
    const email = uniqueEmail();
    await registerUser(server.graphqlUrl, email, password);
    expect((await gqlOk(server.graphqlUrl, LOGIN, { e: email, p: password })).login.user.email).toBe(email);
    const longer = refusal(await gql(server.graphqlUrl, REGISTER, { e: uniqueEmail(), p: `${password}x` }));
    expect(longer).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('counts characters, not bytes, for its minimum of 8', async () => {
    const refused = refusal(await gql(server.graphqlUrl, REGISTER, { e: uniqueEmail(), p: 'Kurz7!' }));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(refused.message).toMatch(/at least 8 characters/);
    await registerUser(server.graphqlUrl, uniqueEmail(), 'ĳßæø€ŧ¶ŋ'); // 8 characters, 18 bytes
  });

  it.each(['password', '12345678', 'PassWord', 'iloveyou', 'qwertyuiop', 'password123'])(
    'that is commonly used (%s) is refused with the reason',
    async (password) => {
      const refused = refusal(await gql(server.graphqlUrl, REGISTER, { e: uniqueEmail(), p: password }));
      expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect(refused.message).toMatch(/most commonly used/);
    },
  );

  it.each([' '.repeat(12), 'a'.repeat(10)])('made of one repeated character (%j) is refused with the reason', async (password) => {
    const refused = refusal(await gql(server.graphqlUrl, REGISTER, { e: uniqueEmail(), p: password }));
    expect(refused).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    expect(refused.message).toMatch(/single character/);
  });
});

describe('a password stored before these rules', () => {
  it.each([
    ['longer than 72 bytes', '😀'.repeat(19)],
    ['now on the common list', 'password'],
  ])('%s still signs in with its existing hash', async (_what, legacyPassword) => {
    const { email } = await registerUser(server.graphqlUrl);
    await setPasswordHash(server.databaseUrl, email, bcrypt.hashSync(legacyPassword, 4));
    expect((await gqlOk(server.graphqlUrl, LOGIN, { e: email, p: legacyPassword })).login.user.email).toBe(email);
    const wrong = await gql(server.graphqlUrl, LOGIN, { e: email, p: 'correct horse battery' });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

/** Writes a hash as an older version of the API would have stored it. */
async function setPasswordHash(databaseUrl: string, email: string, passwordHash: string): Promise<void> {
  if (databaseUrl.startsWith('postgres')) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('UPDATE "User" SET "passwordHash" = $1 WHERE email = $2', [passwordHash, email]);
    } finally {
      await client.end();
    }
    return;
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(databaseUrl.replace('file:', ''));
  try {
    db.prepare('UPDATE User SET passwordHash = ? WHERE email = ?').run(passwordHash, email);
  } finally {
    db.close();
  }
}
