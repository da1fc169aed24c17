// Analytics come from the daily roll-up: conversations, messages, active users, failures by code,
// latency percentiles, tokens and topics, per bot, over a range of days — on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { gql, gqlOk, registerUser, uniqueEmail } from '../support/graphql-client.ts';
import { SEND, eventually, fakeLlmEnv, newChat } from '../support/steps.ts';

const ADMIN_EMAIL = uniqueEmail('analyst');
const REPORT = `query($from: DateTime!, $to: DateTime!, $bot: ID) { analytics(from: $from, to: $to, botId: $bot) {
  days { day conversations userMessages replies failedReplies activeUsers promptTokens completionTokens }
  totals { conversations userMessages replies failedReplies activeUsers promptTokens completionTokens }
  failuresByCode { code count } firstTokenMs { p50 p95 } latencyMs { p50 p95 } topics { term count } } }`;

let fake: FakeLlmServer;
let server: ApiServer;
let url: string;
let adminToken: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({ env: { ...fakeLlmEnv(fake), ADMIN_EMAILS: ADMIN_EMAIL, ANALYTICS_ROLLUP_INTERVAL: '1s', LLM_RETRIES: '0' } });
  url = server.graphqlUrl;
  adminToken = (await registerUser(url, ADMIN_EMAIL)).accessToken;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('analytics', () => {
  it('counts one bot’s day: conversations, messages, active users, a failure by code, tokens, percentiles and topics', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const [ana, ben] = [await newChat(url), await newChat(url)];
    fake.enqueue({ reply: 'Refunds take five days.', usage: { promptTokens: 30, completionTokens: 6 } });
    await gqlOk(url, SEND, { s: ana.sessionId, t: 'How long do refunds take?', wait: true }, ana.token);
    fake.enqueue({ reply: 'Shipping is free.', usage: { promptTokens: 20, completionTokens: 4 } });
    await gqlOk(url, SEND, { s: ana.sessionId, t: 'Is shipping free with refunds?', wait: true }, ana.token);
    fake.enqueue({ status: 400 });
    await gql(url, SEND, { s: ben.sessionId, t: 'Refunds for gift cards?', wait: true }, ben.token);

    const variables = { from: `${today}T00:00:00Z`, to: `${today}T00:00:00Z`, bot: ana.botId };
    const report = await eventually(async () => {
      const { analytics } = await gqlOk(url, REPORT, variables, adminToken);
      return analytics.totals.userMessages === 3 && analytics.totals.failedReplies === 1 && analytics;
    });
    expect(report.totals).toEqual({ conversations: 2, userMessages: 3, replies: 3, failedReplies: 1, activeUsers: 2, promptTokens: 50, completionTokens: 10 });
    expect(report.days).toEqual([{ day: today, ...report.totals }]);
    expect(report.failuresByCode).toHaveLength(1);
    expect(report.failuresByCode[0].count).toBe(1);
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.latencyMs.p95).toBeGreaterThanOrEqual(report.latencyMs.p50);
    expect(report.firstTokenMs.p50).toBeGreaterThan(0);
    expect(report.topics[0]).toEqual({ term: 'refunds', count: 3 });
    expect(report.topics.map((t: any) => t.term)).not.toContain('how');
  });

  it('another bot, or a range before any message, has nothing', async () => {
    const { analytics } = await gqlOk(url, REPORT, { from: '2020-01-01T00:00:00Z', to: '2020-01-30T00:00:00Z' }, adminToken);
    expect(analytics).toMatchObject({ days: [], totals: { userMessages: 0, activeUsers: 0 }, failuresByCode: [], topics: [], latencyMs: { p50: null, p95: null } });
  });

  it('a range that ends before it starts, or spans more than a year, is BAD_USER_INPUT', async () => {
    for (const [from, to] of [['2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z'], ['2024-01-01T00:00:00Z', '2026-01-01T00:00:00Z']]) {
      const result = await gql(url, REPORT, { from, to }, adminToken);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    }
  });
});
