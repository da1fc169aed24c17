// Memory the user controls: the panel's operations, "remember that …" and "Remember this", the
// facts a prompt carries (most relevant first, within its share of the budget), and the per-user
// cap that prunes the least recently used — also under parallel adds (on both databases).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { errorCode, gql, gqlOk } from '../support/graphql-client.ts';
import { fakeLlmEnv, newChat } from '../support/steps.ts';

const CAP = 6;
let fake: FakeLlmServer;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({ env: { ...fakeLlmEnv(fake), MEMORY_CAP_PER_USER: String(CAP), CONTEXT_TOKEN_BUDGET: '256' } });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  fake.script({ reply: 'Noted.' });
});

const MEMORY = 'id key value lastUsedAt bot { id }';
const ADD = `mutation($b: ID!, $t: String!) { addMemory(botId: $b, text: $t) { ${MEMORY} } }`;
const SEND = 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { userMessage { id } botMessage { id status } } }';
const memoriesOf = async (token: string) => (await gqlOk(url, `{ memories { ${MEMORY} } }`, {}, token)).memories as any[];
const systemPromptOf = (request: number) => fake.requests[request].body.messages[0].content;

describe('the "What the bot remembers" panel', () => {
  it('lists, adds, edits, deletes and forgets all', async () => {
    const chat = await newChat(url);
    const added = (await gqlOk(url, ADD, { b: chat.botId, t: '  I have two cats  ' }, chat.token)).addMemory;
    expect(added).toMatchObject({ value: 'I have two cats', bot: { id: chat.botId } });
    expect(added.key).toMatch(/^note:/);
    // The same text again is the same fact.
    expect((await gqlOk(url, ADD, { b: chat.botId, t: 'i have two CATS' }, chat.token)).addMemory.key).toBe(added.key);
    await gqlOk(url, ADD, { b: chat.botId, t: 'My sister lives in Porto' }, chat.token);
    expect(await memoriesOf(chat.token)).toHaveLength(2);

    const edited = await gqlOk(url, 'mutation($id: ID!, $v: String!) { updateMemory(id: $id, value: $v) { id value } }', { id: added.id, v: 'I have three cats' }, chat.token);
    expect(edited.updateMemory).toEqual({ id: added.id, value: 'I have three cats' });
    await gqlOk(url, 'mutation($id: ID!) { deleteMemory(id: $id) }', { id: added.id }, chat.token);
    expect((await memoriesOf(chat.token)).map((m) => m.value)).toEqual(['My sister lives in Porto']);

    expect((await gqlOk(url, 'mutation { forgetMemories }', {}, chat.token)).forgetMemories).toBe(1);
    expect(await memoriesOf(chat.token)).toEqual([]);
  });

  it('refuses empty and overlong facts with BAD_USER_INPUT naming the field', async () => {
    const chat = await newChat(url);
    for (const [text, field] of [['   ', 'text'], ['x'.repeat(501), 'text']]) {
      const result = await gql(url, ADD, { b: chat.botId, t: text }, chat.token);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe(field);
    }
    const { addMemory } = await gqlOk(url, ADD, { b: chat.botId, t: 'fine' }, chat.token);
    const result = await gql(url, 'mutation($id: ID!) { updateMemory(id: $id, value: "") { id } }', { id: addMemory.id }, chat.token);
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'value' });
  });

  it('forgets only one bot\'s facts when given that bot', async () => {
    const chat = await newChat(url);
    const { bots } = await gqlOk(url, '{ bots { id } }', {}, chat.token);
    const other = bots.find((b: any) => b.id !== chat.botId).id;
    await gqlOk(url, ADD, { b: chat.botId, t: 'kept by support' }, chat.token);
    await gqlOk(url, ADD, { b: other, t: 'kept by the other bot' }, chat.token);
    expect((await gqlOk(url, 'mutation($b: ID) { forgetMemories(botId: $b) }', { b: other }, chat.token)).forgetMemories).toBe(1);
    expect((await memoriesOf(chat.token)).map((m) => m.value)).toEqual(['kept by support']);
  });
});

describe('adding facts from the conversation', () => {
  it('keeps what follows "remember that" in a message', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'Please remember that my flight leaves on Friday.' }, chat.token);
    expect((await memoriesOf(chat.token)).map((m) => m.value)).toContain('my flight leaves on Friday');
  });

  it('keeps a message\'s text on "Remember this", for the bot of its session', async () => {
    const chat = await newChat(url);
    fake.script({ reply: 'Your locker code is 4711.' });
    const sent = await gqlOk(url, SEND, { s: chat.sessionId, t: 'What is my locker code?' }, chat.token);
    const { rememberMessage } = await gqlOk(url, `mutation($m: ID!) { rememberMessage(messageId: $m) { ${MEMORY} } }`, { m: sent.sendMessage.botMessage.id }, chat.token);
    expect(rememberMessage).toMatchObject({ value: 'Your locker code is 4711.', bot: { id: chat.botId } });
  });
});

describe('the facts a prompt carries', () => {
  const long = (topic: string) => `${topic} ${'and a long story about it that takes many tokens to tell'}`.trim();

  it('puts those sharing words with the question first, and only as many as fit its share of the budget', async () => {
    const chat = await newChat(url);
    for (const topic of ['My cats are named Tom and Kit', 'I collect stamps', 'I play chess on Sundays', 'I grow tomatoes']) {
      await gqlOk(url, ADD, { b: chat.botId, t: long(topic) }, chat.token);
    }
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'What are the names of my cats?' }, chat.token);
    const system = systemPromptOf(0);
    const carried = system.split('What you remember about this user:\n')[1].split('\n');
    expect(carried[0]).toContain('My cats are named Tom and Kit');
    // 20% of a 256-token budget holds two of these facts, not four.
    expect(carried.length).toBe(2);
    // The facts carried now count as the most recently used.
    const byUse = (await memoriesOf(chat.token)).sort((a, b) => Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt));
    expect(byUse.slice(0, 2).map((m) => m.value.split(' and a long')[0]).sort()).toEqual(['I grow tomatoes', 'My cats are named Tom and Kit']);
  });
});

describe('the per-user cap', () => {
  it('prunes the least recently used fact, and a fact a prompt just used counts as recent', async () => {
    const chat = await newChat(url);
    const values = ['I keep bees', 'I sail on weekends', 'I bake bread', 'I speak Welsh', 'I run marathons', 'I knit scarves'].map((v) => `${v} ${'x'.repeat(150)}`);
    for (const value of values) await gqlOk(url, ADD, { b: chat.botId, t: value }, chat.token);
    // A question about bees: the prompt carries the bee fact (and, by recency, the scarves).
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'How are my bees doing?' }, chat.token);
    await gqlOk(url, ADD, { b: chat.botId, t: 'I paint watercolours' }, chat.token);
    const kept = (await memoriesOf(chat.token)).map((m) => m.value.split(' ')[2]);
    expect(kept).toHaveLength(CAP);
    expect(kept).toContain('bees');
    expect(kept).not.toContain('on'); // "I sail on weekends": the oldest fact no prompt used
  });

  it('holds when many facts are added at once', async () => {
    const chat = await newChat(url);
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => gql(url, ADD, { b: chat.botId, t: `parallel fact ${i}` }, chat.token)));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(await memoriesOf(chat.token)).toHaveLength(CAP);
  });
});
