// Replies from groq-sdk talking to a local chat-completions server: what is stored and what
// subscribers see, through retries, failures, cancels and slow models.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from './support/fake-llm-server.ts';
import { MESSAGE_FIELDS, SESSION_EVENTS, gqlOk, registerUser, sseSubscribe } from './support/graphql-client.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let url: string;
let token: string;
let supportBotId: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({
    env: {
      LLM_PROVIDER: 'groq',
      GROQ_API_KEY: 'test-key',
      GROQ_BASE_URL: fake.url,
      DEFAULT_MODEL: 'llama-3.1-8b-instant',
      LLM_RETRY_BASE_MS: '20',
      LLM_TIMEOUT_MS: '3000',
      STREAM_FLUSH_MS: '50',
      CONTEXT_TOKEN_BUDGET: '400',
    },
  });
  url = server.graphqlUrl;
  ({ accessToken: token } = await registerUser(url));
  const { bots } = await gqlOk(url, '{ bots { id name } }', {}, token);
  supportBotId = bots.find((b: any) => b.name === 'Support').id;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.reset());

async function newSession() {
  const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: supportBotId }, token);
  return createSession.id as string;
}

/** Subscribes, sends, and collects events until the reply ends. */
async function converse(text: string, sessionId?: string) {
  const id = sessionId ?? (await newSession());
  const sub = sseSubscribe(url, SESSION_EVENTS, { sessionId: id }, token);
  await sub.opened;
  await new Promise((r) => setTimeout(r, 50));
  const sent = await gqlOk(url, `mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t) { userMessage { id } botMessage { id } } }`, { s: id, t: text }, token);
  const botId = sent.sendMessage.botMessage.id;
  const end = await sub.until((e) => ['MessageCompleted', 'MessageFailed'].includes(e.data?.sessionEvents.__typename));
  sub.close();
  const events = sub.events.map((e) => e.data!.sessionEvents);
  const deltas = events.filter((e) => e.__typename === 'MessageDelta' && e.messageId === botId);
  const stored = (await gqlOk(url, `query($id: ID!) { node(id: $id) { ... on Message { ${MESSAGE_FIELDS} } } }`, { id: botId }, token)).node;
  return { sessionId: id, botId, end: end.data!.sessionEvents, deltas, stored };
}

describe('replies through groq-sdk', () => {
  it('streams token by token and stores text, model, timings and the usage the provider reported', async () => {
    fake.enqueue({ reply: 'One two three four five six', tokenDelayMs: 5, usage: { promptTokens: 42, completionTokens: 6 } });
    const { end, deltas, stored } = await converse('Count to six');
    expect(end.__typename).toBe('MessageCompleted');
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i + 1));
    expect(deltas.map((d) => d.text).join('')).toBe('One two three four five six');
    expect(stored).toMatchObject({ status: 'COMPLETE', text: 'One two three four five six', seq: deltas.length, model: 'llama-3.1-8b-instant', promptTokens: 42, completionTokens: 6 });
    expect(fake.requests[0].headers.authorization).toBe('Bearer test-key');
    expect(fake.requests[0].body).toMatchObject({ model: 'llama-3.1-8b-instant', stream: true });
  });

  it('retries a 429 before the first token and then succeeds', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 0 }, { reply: 'Worked after waiting' });
    const { end, stored } = await converse('Hello?');
    expect(end.__typename).toBe('MessageCompleted');
    expect(stored).toMatchObject({ status: 'COMPLETE', text: 'Worked after waiting' });
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up after repeated 500s and stores the reply FAILED with a code', async () => {
    fake.script({ status: 500 });
    const { end, stored } = await converse('Anyone there?');
    expect(end).toMatchObject({ __typename: 'MessageFailed', code: 'PROVIDER_ERROR' });
    expect(end.errorMessage).toMatch(/language model/);
    expect(stored).toMatchObject({ status: 'FAILED', errorCode: 'PROVIDER_ERROR', text: '' });
    expect(fake.requests).toHaveLength(4); // the first try and three retries
  });

  it('keeps the partial text when the model disconnects mid-stream, without retrying', async () => {
    fake.enqueue({ reply: 'alpha beta gamma delta epsilon', tokenDelayMs: 5, disconnectAfterTokens: 2 });
    const { end, deltas, stored } = await converse('Tell me a story');
    expect(end).toMatchObject({ __typename: 'MessageFailed', code: 'CONNECTION' });
    expect(stored.status).toBe('FAILED');
    expect(stored.text).toBe(deltas.map((d) => d.text).join(''));
    expect(stored.text).toMatch(/^alpha ?beta ?$/);
    expect(fake.requests).toHaveLength(1);
  });

  it('waits for a slow first token and records when it came', async () => {
    fake.enqueue({ reply: 'Finally here', firstTokenDelayMs: 600 });
    const { end, stored } = await converse('Take your time');
    expect(end.__typename).toBe('MessageCompleted');
    expect(stored.firstTokenMs).toBeGreaterThanOrEqual(550);
    expect(stored.latencyMs).toBeGreaterThanOrEqual(stored.firstTokenMs);
  });

  it('a failed reply can be generated again in place', async () => {
    fake.enqueue({ status: 400 });
    const first = await converse('Please answer');
    expect(first.stored).toMatchObject({ status: 'FAILED', errorCode: 'BAD_REQUEST' });
    fake.enqueue({ reply: 'Second time lucky' });
    const sub = sseSubscribe(url, SESSION_EVENTS, { sessionId: first.sessionId }, token);
    await sub.opened;
    await new Promise((r) => setTimeout(r, 50));
    const retried = await gqlOk(url, 'mutation($id: ID!) { retryReply(messageId: $id) { id status text } }', { id: first.botId }, token);
    expect(retried.retryReply).toEqual({ id: first.botId, status: 'STREAMING', text: '' });
    const done = await sub.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    sub.close();
    expect(done.data!.sessionEvents.message).toMatchObject({ id: first.botId, status: 'COMPLETE', text: 'Second time lucky' });
  });
});

describe('cancelling and disconnecting', () => {
  it('cancelReply stops the model, keeps the partial text and ends CANCELLED', async () => {
    fake.enqueue({ reply: Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '), tokenDelayMs: 20 });
    const sessionId = await newSession();
    const sub = sseSubscribe(url, SESSION_EVENTS, { sessionId }, token);
    await sub.opened;
    await new Promise((r) => setTimeout(r, 50));
    const sent = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "Go on and on") { botMessage { id } } }', { s: sessionId }, token);
    await sub.until((e) => e.data?.sessionEvents.__typename === 'MessageDelta' && e.data.sessionEvents.seq >= 3);
    const cancelled = await gqlOk(url, `mutation($id: ID!) { cancelReply(messageId: $id) { ${MESSAGE_FIELDS} } }`, { id: sent.sendMessage.botMessage.id }, token);
    expect(cancelled.cancelReply.status).toBe('CANCELLED');
    expect(cancelled.cancelReply.text).toMatch(/^w0 w1 w2/);
    expect(cancelled.cancelReply.text.length).toBeLessThan(200 * 4);
    const end = await sub.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    sub.close();
    expect(end.data!.sessionEvents.message.status).toBe('CANCELLED');
    await fake.requests[0].done;
    expect(fake.requests[0].aborted).toBe(true);
  });

  it('a client that goes away does not stop the reply', async () => {
    fake.enqueue({ reply: 'still being written after you left', tokenDelayMs: 30 });
    const sessionId = await newSession();
    const sub = sseSubscribe(url, SESSION_EVENTS, { sessionId }, token);
    await sub.opened;
    await new Promise((r) => setTimeout(r, 50));
    const sent = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "hi") { botMessage { id } } }', { s: sessionId }, token);
    await sub.until((e) => e.data?.sessionEvents.__typename === 'MessageDelta');
    sub.close();
    const waited = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "hi", clientMessageId: "x") { botMessage { id } } }', { s: sessionId }, token);
    expect(waited.sendMessage.botMessage.id).not.toBe(sent.sendMessage.botMessage.id);
    // The first reply finishes on its own.
    for (let i = 0; i < 100; i++) {
      const { node } = await gqlOk(url, 'query($id: ID!) { node(id: $id) { ... on Message { status text } } }', { id: sent.sendMessage.botMessage.id }, token);
      if (node.status !== 'STREAMING') {
        expect(node).toEqual({ status: 'COMPLETE', text: 'still being written after you left' });
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the reply never finished');
  });
});

describe('the prompt sent to the model', () => {
  it('holds the system prompt, what the bot remembers, and as many recent turns as fit the budget', async () => {
    fake.script({ reply: 'noted' });
    const sessionId = await newSession();
    const send = (text: string) => gqlOk(url, 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { botMessage { status } } }', { s: sessionId, t: text }, token);
    await send('Hi, my name is Grace and I live in Arlington.');
    for (let i = 0; i < 12; i++) await send(`Filler question number ${i} ${'with some padding words '.repeat(3)}`);
    fake.reset();
    fake.script({ reply: 'Hello again, Grace' });
    // A new session: the memory carries across sessions of the same bot.
    const other = await newSession();
    await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "Do you remember me?", wait: true) { botMessage { text } } }', { s: other }, token);
    const fresh = fake.requests[0].body.messages;
    expect(fresh[0].role).toBe('system');
    expect(fresh[0].content).toContain('You are Support');
    expect(fresh[0].content).toMatch(/name: Grace/);
    expect(fresh[0].content).toMatch(/location: Arlington/);
    expect(fresh.at(-1)).toEqual({ role: 'user', content: 'Do you remember me?' });

    fake.reset();
    fake.script({ reply: 'ok' });
    await send('Latest question');
    const long = fake.requests[0].body.messages;
    const turns = long.slice(1);
    expect(turns.at(-1)).toEqual({ role: 'user', content: 'Latest question' });
    // 26 earlier turns do not fit a 400-token budget: the oldest are dropped, the newest kept in order.
    expect(turns.length).toBeGreaterThan(3);
    expect(turns.length).toBeLessThan(27);
    expect(turns.some((t: any) => t.content.startsWith('Hi, my name is Grace'))).toBe(false);
    expect(turns.map((t: any) => t.role)).toEqual(turns.map((_: any, i: number) => ((turns.length - 1 - i) % 2 === 0 ? 'user' : 'assistant')));
  });
});
