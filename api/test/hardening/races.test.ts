// Writes guarded by a limit or a uniqueness rule, fired in parallel: exactly the limit is accepted,
// the rest get a clean client error, and nothing is INTERNAL_SERVER_ERROR (on SQLite and, with
// TEST_DATABASE=postgresql, on PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { errorCode, gql, gqlOk, registerUser } from '../support/graphql-client.ts';

const CONCURRENT_REPLIES = 3;
let fake: FakeLlmServer;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({
    env: {
      LLM_PROVIDER: 'groq',
      GROQ_API_KEY: 'test-key',
      GROQ_BASE_URL: fake.url,
      RATE_LIMIT_CONCURRENT_REPLIES: String(CONCURRENT_REPLIES),
      RATE_LIMIT_SENDS_PER_MINUTE: '1000',
      DATABASE_POOL_SIZE: '10',
    },
  });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.reset());

async function userWithSessions(count: number) {
  const { accessToken: token } = await registerUser(url);
  const { bots } = await gqlOk(url, '{ bots { id name } }', {}, token);
  const sessionIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[0].id }, token);
    sessionIds.push(createSession.id);
  }
  return { token, sessionIds };
}

const SEND = 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t) { userMessage { id } botMessage { id } } }';
const codesOf = (results: Array<{ errors?: Array<{ extensions?: Record<string, any> }> }>) =>
  results.map((r) => (r.errors?.length ? r.errors[0].extensions?.code : 'OK'));

describe('the concurrent-reply limit', () => {
  it('20 sends at once to one session: exactly the limit is accepted, the rest RATE_LIMITED, positions gap-free', async () => {
    fake.script({ tokens: 400, tokenDelayMs: 20 }); // replies stay streaming for seconds
    const { token, sessionIds } = await userWithSessions(1);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(url, SEND, { s: sessionIds[0], t: `hello ${i}` }, token)));
    const codes = codesOf(results);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(CONCURRENT_REPLIES);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(20 - CONCURRENT_REPLIES);
    for (const refused of results.filter((r) => r.errors)) expect(refused.errors![0].extensions?.retryAfter).toBeGreaterThan(0);

    const { session } = await gqlOk(url, 'query($s: ID!) { session(id: $s) { messages(last: 50) { edges { node { id role } } } } }', { s: sessionIds[0] }, token);
    const roles = session.messages.edges.map((e: any) => e.node.role);
    expect(roles).toEqual(Array.from({ length: CONCURRENT_REPLIES }, () => ['USER', 'BOT']).flat());
  });

  it('20 sends at once spread over five sessions of one user: still exactly the limit', async () => {
    fake.script({ tokens: 400, tokenDelayMs: 20 });
    const { token, sessionIds } = await userWithSessions(5);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => gql(url, SEND, { s: sessionIds[i % 5], t: `hi ${i}` }, token)));
    const codes = codesOf(results);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(CONCURRENT_REPLIES);
    expect(codes.filter((c) => c !== 'OK' && c !== 'RATE_LIMITED')).toEqual([]);
  });

  it('many quick sends to one session in turn keep every position, none lost or doubled', async () => {
    fake.script({ reply: 'ok' });
    const { token, sessionIds } = await userWithSessions(1);
    const sent: string[] = [];
    for (let round = 0; round < 4; round++) {
      const results = await Promise.all(
        Array.from({ length: CONCURRENT_REPLIES }, (_, i) =>
          gqlOk(url, 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { userMessage { id } } }', { s: sessionIds[0], t: `r${round}-${i}` }, token),
        ),
      );
      sent.push(...results.map((r) => r.sendMessage.userMessage.id));
    }
    const { session } = await gqlOk(url, 'query($s: ID!) { session(id: $s) { messages(first: 100) { edges { node { id role status } } } } }', { s: sessionIds[0] }, token);
    const nodes = session.messages.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(sent.length * 2);
    expect(new Set(nodes.filter((n: any) => n.role === 'USER').map((n: any) => n.id))).toEqual(new Set(sent));
    expect(nodes.every((n: any) => n.status === 'COMPLETE')).toBe(true);
  });

  it('the same clientMessageId sent 10 times at once is stored once', async () => {
    fake.script({ reply: 'once' });
    const { token, sessionIds } = await userWithSessions(1);
    const clientMessageId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        gqlOk(url, 'mutation($s: ID!, $c: String) { sendMessage(sessionId: $s, text: "same", clientMessageId: $c) { userMessage { id } } }', { s: sessionIds[0], c: clientMessageId }, token),
      ),
    );
    expect(new Set(results.map((r) => r.sendMessage.userMessage.id)).size).toBe(1);
  });
});

describe('bots created at the same moment', () => {
  it('six bots with one name get six distinct slugs, none an internal error', async () => {
    const { accessToken: token } = await registerUser(url);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => gql(url, 'mutation { createBot(input: { name: "Twin", systemPrompt: "Be brief." }) { id slug } }', {}, token)),
    );
    expect(codesOf(results)).toEqual(Array(6).fill('OK'));
    expect(new Set(results.map((r) => r.data.createBot.slug))).toEqual(new Set(['twin', 'twin-2', 'twin-3', 'twin-4', 'twin-5', 'twin-6']));
  });

  it('the per-user cap holds when the last bots are created in parallel', async () => {
    const { accessToken: token } = await registerUser(url);
    for (let i = 0; i < 47; i++) await gqlOk(url, `mutation { createBot(input: { name: "Bot ${i}", systemPrompt: "Hi." }) { id } }`, {}, token);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => gql(url, `mutation { createBot(input: { name: "Late ${i}", systemPrompt: "Hi." }) { id } }`, {}, token)),
    );
    const codes = codesOf(results);
    expect(codes.filter((c) => c === 'OK')).toHaveLength(3);
    expect(codes.filter((c) => c === 'FORBIDDEN')).toHaveLength(3);
    const { bots } = await gqlOk(url, '{ bots { id isSystem } }', {}, token);
    expect(bots.filter((b: any) => !b.isSystem)).toHaveLength(50);
  });
});

describe('sessions created at the same moment', () => {
  it('ten createSession calls with one clientId make one session', async () => {
    const { accessToken: token } = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id } }', {}, token);
    const clientId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => gql(url, 'mutation($b: ID!, $c: String) { createSession(botId: $b, clientId: $c) { id } }', { b: bots[0].id, c: clientId }, token)),
    );
    expect(codesOf(results)).toEqual(Array(10).fill('OK'));
    expect(new Set(results.map((r) => r.data.createSession.id)).size).toBe(1);
    expect(errorCode(results[0])).toBeUndefined();
  });
});
