// Password guessing is slowed per account and address, per account from anywhere, and per address;
// the account's owner can still sign in from elsewhere while one address is locked out.
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientIp } from '../../src/http/client-ip.ts';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { uniqueEmail } from '../support/graphql-client.ts';
import { postGraphql } from '../support/steps.ts';

const FAILURES_PER_ACCOUNT_AND_IP = 3;
const FAILURES_PER_ACCOUNT = 6;
const ATTEMPTS_PER_IP = 10;
const PASSWORD = 'correct horse battery';

let server: ApiServer;
let url: string;

beforeAll(async () => {
  server = await startApiServer({
    env: {
      // One proxy in front: its X-Forwarded-For entry is how the tests come "from" different addresses.
      TRUST_PROXY: 'true',
      RATE_LIMIT_LOGIN_FAILURES: String(FAILURES_PER_ACCOUNT_AND_IP),
      RATE_LIMIT_LOGIN_FAILURES_ACCOUNT: String(FAILURES_PER_ACCOUNT),
      RATE_LIMIT_AUTH_PER_IP: String(ATTEMPTS_PER_IP),
    },
  });
  url = server.graphqlUrl;
});
afterAll(() => server?.stop());

const LOGIN = 'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }';
const REGISTER = 'mutation($e: String!, $p: String!) { register(email: $e, password: $p) { accessToken } }';

async function login(email: string, password: string, forwardedFor: string) {
  const { body } = await postGraphql(url, { query: LOGIN, variables: { e: email, p: password } }, { 'x-forwarded-for': forwardedFor });
  return body as { data?: { login: { accessToken: string } }; errors?: Array<{ message: string; extensions: Record<string, any> }> };
}

async function registered(fromIp: string): Promise<string> {
  const email = uniqueEmail('victim');
  const { body } = await postGraphql(url, { query: REGISTER, variables: { e: email, p: PASSWORD } }, { 'x-forwarded-for': fromIp });
  expect(body.data.register.accessToken).toBeTruthy();
  return email;
}

describe('brute force', () => {
  it(`the wrong password #${FAILURES_PER_ACCOUNT_AND_IP + 1} from one address is RATE_LIMITED with retryAfter; the owner still signs in from elsewhere`, async () => {
    const email = await registered('192.0.2.1');
    const attacker = '203.0.113.1';
    for (let i = 0; i < FAILURES_PER_ACCOUNT_AND_IP; i++) {
      expect((await login(email, `guess ${i}!!`, attacker)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const limited = await login(email, 'one more guess', attacker);
    expect(limited.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.errors![0].extensions.retryAfter).toBeGreaterThan(60); // the 15-minute window
    // Even the right password is refused from that address within the window: it proves nothing there.
    expect((await login(email, PASSWORD, attacker)).errors?.[0].extensions.code).toBe('RATE_LIMITED');

    expect((await login(email, PASSWORD, '198.51.100.7')).data?.login.accessToken).toBeTruthy();
  });

  it(`guesses spread over many addresses stop after ${FAILURES_PER_ACCOUNT} per account`, async () => {
    const email = await registered('192.0.2.2');
    for (let i = 0; i < FAILURES_PER_ACCOUNT; i++) {
      expect((await login(email, 'wrong password', `203.0.113.${100 + i}`)).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const limited = await login(email, 'wrong password', '203.0.113.200');
    expect(limited.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
  });

  it(`one address gets ${ATTEMPTS_PER_IP} sign-in or sign-up attempts a minute, whoever it claims to be`, async () => {
    const crowded = '203.0.113.50';
    for (let i = 0; i < ATTEMPTS_PER_IP; i++) {
      const result = await login(uniqueEmail('nobody'), 'wrong password', crowded);
      expect(result.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const { body } = await postGraphql(url, { query: REGISTER, variables: { e: uniqueEmail(), p: PASSWORD } }, { 'x-forwarded-for': crowded });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect((await login(uniqueEmail('nobody'), 'wrong password', '203.0.113.51')).errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a client cannot pick a new address per attempt by writing X-Forwarded-For entries itself', async () => {
    const email = await registered('192.0.2.3');
    // The trusted proxy appends what it saw (203.0.113.77); everything left of it came from the client.
    for (let i = 0; i < FAILURES_PER_ACCOUNT_AND_IP; i++) {
      await login(email, 'wrong password', `10.0.0.${i}, 203.0.113.77`);
    }
    const limited = await login(email, 'wrong password', '10.9.9.9, 203.0.113.77');
    expect(limited.errors?.[0].extensions.code).toBe('RATE_LIMITED');
  });
});

describe('the address rate limits key on', () => {
  const request = (forwardedFor?: string) =>
    ({ headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}, socket: { remoteAddress: '10.1.1.1' } }) as unknown as IncomingMessage;

  it('is the socket address unless proxies are trusted (X-Forwarded-For is then ignored)', () => {
    expect(clientIp(request('203.0.113.1'), 0)).toBe('10.1.1.1');
  });

  it('is the entry the outermost trusted proxy appended, counted from the right', () => {
    expect(clientIp(request('6.6.6.6, 203.0.113.1'), 1)).toBe('203.0.113.1');
    expect(clientIp(request('6.6.6.6, 203.0.113.1, 10.0.0.2'), 2)).toBe('203.0.113.1');
    expect(clientIp(request('203.0.113.1'), 2)).toBe('203.0.113.1');
    expect(clientIp(request(), 1)).toBe('10.1.1.1');
  });
});
