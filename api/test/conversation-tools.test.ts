// Conversation tools over GraphQL, on SQLite and on PostgreSQL: regenerated replies as variants,
// edited questions as branches, soft deletes, forks, feedback, starters, top_p and the model per chat.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminOf } from './sites/helpers.ts';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { PRISMA_DIR, freshPostgresDatabase, postgresAvailable, runSql } from './support/databases.ts';
import { type FakeLlmServer, startFakeLlmServer } from './support/fake-llm-server.ts';
import { SESSION_EVENTS, errorCode, gql, gqlOk, registerUser, sseSubscribe } from './support/graphql-client.ts';
import { eventually, fakeLlmEnv, newChat, pause } from './support/steps.ts';
import { requireService } from './support/services.ts';

const hasPostgres = requireService('PostgreSQL at 127.0.0.1:5432 (or TEST_POSTGRES_URL)', await postgresAvailable(), 'Conversation tools on PostgreSQL');

const databases = [
  { name: 'SQLite', make: async () => ({ url: undefined as string | undefined, drop: async () => {} }) },
  ...(hasPostgres ? [{ name: 'PostgreSQL', make: freshPostgresDatabase }] : []),
];

const FIELDS = 'id role text status parentId variants';
const HISTORY = `query($id: ID!, $last: Int, $before: String) {
  session(id: $id) { messages(last: $last, before: $before) { edges { cursor node { ${FIELDS} } } pageInfo { hasPreviousPage } } }
}`;

/** The hand-written statement of this change's migration that gives chats written before it their tree. */
function backfillOf(provider: 'sqlite' | 'postgresql'): string {
  const dir = path.join(PRISMA_DIR, provider, 'migrations');
  const folder = readdirSync(dir).find((name) => name.endsWith('_conversation_tools'))!;
  const sql = readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8');
  return sql.slice(sql.indexOf('UPDATE "Message" SET "parentId"'));
}

describe.each(databases)('conversation tools on $name', ({ make }) => {
  let fake: FakeLlmServer;
  let server: ApiServer;
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    fake = await startFakeLlmServer();
    const db = await make();
    drop = db.drop;
    server = await startApiServer({ databaseUrl: db.url, env: { ...fakeLlmEnv(fake), RATE_LIMIT_CONCURRENT_REPLIES: '10' } });
    url = server.graphqlUrl;
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
    await fake?.close();
  });
  beforeEach(() => {
    fake.reset();
    // Each reply names the last question of its prompt, so a test can tell which path it answered.
    fake.script((request) => ({ reply: `re: ${request.body.messages.at(-1)?.content}` }));
  });

  type Chat = Awaited<ReturnType<typeof newChat>>;
  const send = async (chat: Chat, text: string) =>
    (await gqlOk(url, `mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { userMessage { ${FIELDS} } botMessage { ${FIELDS} } } }`, { s: chat.sessionId, t: text }, chat.token)).sendMessage;
  const history = async (chat: Chat) =>
    (await gqlOk(url, HISTORY, { id: chat.sessionId, last: 50 }, chat.token)).session.messages.edges.map((e: any) => e.node);
  const texts = async (chat: Chat) => (await history(chat)).map((m: any) => m.text);
  const finished = (chat: Chat, id: string) =>
    eventually(async () => {
      const { node } = await gqlOk(url, `query($id: ID!) { node(id: $id) { ... on Message { ${FIELDS} } } }`, { id }, chat.token);
      return node.status !== 'STREAMING' && node;
    }, 10_000, 'the reply to finish');
  const promptOf = (request: { body: { messages: Array<{ role: string; content: string }> } }) =>
    request.body.messages.filter((m) => m.role !== 'system').map((m) => m.content);

  it('regenerating a reply keeps the old one as a variant, and the chat goes on from the one shown', async () => {
    const chat = await newChat(url);
    const first = await send(chat, 'one');
    const second = await send(chat, 'two');

    const { regenerateReply } = await gqlOk(url, `mutation($m: ID!) { regenerateReply(messageId: $m) { ${FIELDS} } }`, { m: first.botMessage.id }, chat.token);
    expect(regenerateReply).toMatchObject({ role: 'BOT', status: 'STREAMING', parentId: first.userMessage.id });
    const regenerated = await finished(chat, regenerateReply.id);
    expect(regenerated.variants).toEqual([first.botMessage.id, regenerateReply.id]);
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['one']); // the prompt is the path it sits on, nothing after it

    expect(await texts(chat)).toEqual(['one', 're: one']);
    const third = await send(chat, 'three');
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['one', 're: one', 'three']);
    expect(third.userMessage.parentId).toBe(regenerateReply.id);

    // Browsing back to the first variant brings back the turns that followed it.
    await gqlOk(url, 'mutation($m: ID!) { selectVariant(messageId: $m) { id } }', { m: first.botMessage.id }, chat.token);
    expect(await texts(chat)).toEqual(['one', 're: one', 'two', 're: two']);
    expect((await history(chat))[3].id).toBe(second.botMessage.id);
    await gqlOk(url, 'mutation($m: ID!) { selectVariant(messageId: $m) { id } }', { m: regenerateReply.id }, chat.token);
    expect(await texts(chat)).toEqual(['one', 're: one', 'three', 're: three']);
  });

  it('editing a question keeps the original as its edit history, answers the new text, and the old turns stay a branch', async () => {
    const chat = await newChat(url);
    await send(chat, 'hello');
    const asked = await send(chat, 'what is 2+2?');
    await send(chat, 'and 3+3?');

    const { editMessage } = await gqlOk(url, `mutation($m: ID!, $t: String!) { editMessage(messageId: $m, text: $t) { userMessage { ${FIELDS} } botMessage { id } } }`, { m: asked.userMessage.id, t: 'what is 2+3?' }, chat.token);
    expect(editMessage.userMessage).toMatchObject({ text: 'what is 2+3?', parentId: asked.userMessage.parentId, variants: [asked.userMessage.id, editMessage.userMessage.id] });
    await finished(chat, editMessage.botMessage.id);
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['hello', 're: hello', 'what is 2+3?']);
    expect(await texts(chat)).toEqual(['hello', 're: hello', 'what is 2+3?', 're: what is 2+3?']);

    await gqlOk(url, 'mutation($m: ID!) { selectVariant(messageId: $m) { id } }', { m: asked.userMessage.id }, chat.token);
    expect(await texts(chat)).toEqual(['hello', 're: hello', 'what is 2+2?', 're: what is 2+2?', 'and 3+3?', 're: and 3+3?']);

    const empty = await gql(url, 'mutation($m: ID!) { editMessage(messageId: $m, text: "  ") { userMessage { id } } }', { m: asked.userMessage.id }, chat.token);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const reply = await gql(url, 'mutation($m: ID!) { editMessage(messageId: $m, text: "x") { userMessage { id } } }', { m: asked.botMessage.id }, chat.token);
    expect(reply.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'messageId' });
  });

  it('the first question can be edited too, and history pages walk the active path only', async () => {
    const chat = await newChat(url);
    const first = await send(chat, 'q1');
    for (const text of ['q2', 'q3']) await send(chat, text);
    const { editMessage } = await gqlOk(url, 'mutation($m: ID!) { editMessage(messageId: $m, text: "Q1") { botMessage { id } } }', { m: first.userMessage.id }, chat.token);
    await finished(chat, editMessage.botMessage.id);
    for (const text of ['Q2', 'Q3']) await send(chat, text);

    const last = (await gqlOk(url, HISTORY, { id: chat.sessionId, last: 2 }, chat.token)).session.messages;
    expect(last.edges.map((e: any) => e.node.text)).toEqual(['Q3', 're: Q3']);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
    const older = (await gqlOk(url, HISTORY, { id: chat.sessionId, last: 10, before: last.edges[0].cursor }, chat.token)).session.messages;
    expect(older.edges.map((e: any) => e.node.text)).toEqual(['Q1', 're: Q1', 'Q2', 're: Q2']);
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['Q1', 're: Q1', 'Q2', 're: Q2', 'Q3']);
  });

  it('a chat written before branches existed (questions without a parent) gets its tree from the migration', async () => {
    const chat = await newChat(url);
    await send(chat, 'old one');
    const second = await send(chat, 'old two');
    const session = Buffer.from(chat.sessionId, 'base64').toString().split(':')[1];
    await runSql(server.databaseUrl, `UPDATE "Message" SET "parentId" = NULL WHERE "role" = 'USER' AND "sessionId" = $1`, [session]);
    await runSql(server.databaseUrl, backfillOf(server.databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql'));

    const { editMessage } = await gqlOk(url, 'mutation($m: ID!) { editMessage(messageId: $m, text: "new two") { botMessage { id } } }', { m: second.userMessage.id }, chat.token);
    await finished(chat, editMessage.botMessage.id);
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['old one', 're: old one', 'new two']);
    expect(await texts(chat)).toEqual(['old one', 're: old one', 'new two', 're: new two']);
  });

  it('a regenerated reply streams to subscribers after a PathChanged event, with gap-free seq', async () => {
    const chat = await newChat(url);
    const first = await send(chat, 'stream me');
    const events = sseSubscribe(url, SESSION_EVENTS.replace('... on SessionDeleted', '... on PathChanged { parentId } ... on SessionDeleted'), { sessionId: chat.sessionId }, chat.token);
    await events.opened;
    await pause(50);
    fake.enqueue({ reply: 'a b c d e', tokenDelayMs: 5 });
    const { regenerateReply } = await gqlOk(url, 'mutation($m: ID!) { regenerateReply(messageId: $m) { id } }', { m: first.botMessage.id }, chat.token);
    await events.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    events.close();
    const kinds = events.events.map((e: any) => e.data.sessionEvents);
    expect(kinds[0]).toEqual({ __typename: 'PathChanged', parentId: first.userMessage.id });
    expect(kinds[1]).toMatchObject({ __typename: 'MessageAdded', message: { id: regenerateReply.id } });
    const seqs = kinds.filter((e: any) => e.__typename === 'MessageDelta').map((e: any) => e.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
  });

  it('a deleted message is hidden everywhere and left out of the next prompts', async () => {
    const chat = await newChat(url);
    const secret = await send(chat, 'my password is hunter2');
    await send(chat, 'hi');
    await gqlOk(url, 'mutation($m: ID!) { deleteMessage(messageId: $m) }', { m: secret.userMessage.id }, chat.token);
    expect(await texts(chat)).toEqual(['re: my password is hunter2', 'hi', 're: hi']);
    expect((await gqlOk(url, 'query($id: ID!) { node(id: $id) { id } }', { id: secret.userMessage.id }, chat.token)).node).toBeNull();

    await send(chat, 'again');
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['re: my password is hunter2', 'hi', 're: hi', 'again']);
    const twice = await gql(url, 'mutation($m: ID!) { deleteMessage(messageId: $m) }', { m: secret.userMessage.id }, chat.token);
    expect(errorCode(twice)).toBe('NOT_FOUND');
  });

  it('a reply still being written cannot be deleted, regenerated or forked until it ends', async () => {
    const chat = await newChat(url);
    fake.enqueue({ reply: 'slow', hangAfterTokens: 0 });
    const { sendMessage } = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "wait") { botMessage { id } } }', { s: chat.sessionId }, chat.token);
    for (const mutation of ['deleteMessage(messageId: $m)', 'regenerateReply(messageId: $m) { id }', 'forkSession(messageId: $m) { id }']) {
      const result = await gql(url, `mutation($m: ID!) { ${mutation} }`, { m: sendMessage.botMessage.id }, chat.token);
      expect(result.errors?.[0].extensions, mutation).toMatchObject({ code: 'BAD_USER_INPUT', field: 'messageId' });
    }
    await gqlOk(url, 'mutation($m: ID!) { cancelReply(messageId: $m) { id } }', { m: sendMessage.botMessage.id }, chat.token);
  });

  it('forking from a message makes a new chat with the conversation up to it, and leaves the original as it was', async () => {
    const chat = await newChat(url);
    const first = await send(chat, 'a');
    await gqlOk(url, 'mutation($m: ID!) { regenerateReply(messageId: $m) { id } }', { m: first.botMessage.id }, chat.token);
    const shown = (await history(chat))[1];
    await finished(chat, shown.id);
    const second = await send(chat, 'b');
    await send(chat, 'c');

    const { forkSession } = await gqlOk(url, 'mutation($m: ID!) { forkSession(messageId: $m) { id title bot { id } } }', { m: second.botMessage.id }, chat.token);
    expect(forkSession.id).not.toBe(chat.sessionId);
    expect(forkSession.bot.id).toBe(chat.botId);
    const fork = { ...chat, sessionId: forkSession.id };
    const copied = await history(fork);
    expect(copied.map((m: any) => m.text)).toEqual(['a', 're: a', 'b', 're: b']);
    expect(copied.every((m: any) => m.variants.length === 1)).toBe(true);

    await send(fork, 'd');
    expect(promptOf(fake.requests.at(-1)!)).toEqual(['a', 're: a', 'b', 're: b', 'd']);
    expect(await texts(chat)).toEqual(['a', 're: a', 'b', 're: b', 'c', 're: c']);
  });

  it("feedback: a visitor rates a reply and changes it; the bot's owner reads it, nobody else", async () => {
    const owner = await registerUser(url);
    const { createBot } = await gqlOk(url, 'mutation { createBot(input: { name: "Rated", systemPrompt: "Be rated." }) { id } }', {}, owner.accessToken);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: createBot.id }, owner.accessToken);
    const chat = { ...owner, token: owner.accessToken, botId: createBot.id, sessionId: createSession.id } as Chat;
    const sent = await send(chat, 'rate me');

    const SET = 'mutation($m: ID!, $r: FeedbackRating!, $why: String) { setFeedback(messageId: $m, rating: $r, reason: $why) { rating reason message { id } } }';
    expect((await gqlOk(url, SET, { m: sent.botMessage.id, r: 'DOWN', why: 'too short' }, chat.token)).setFeedback).toEqual({ rating: 'DOWN', reason: 'too short', message: { id: sent.botMessage.id } });
    await gqlOk(url, SET, { m: sent.botMessage.id, r: 'UP' }, chat.token);
    const mine = await gqlOk(url, `query($id: ID!) { node(id: $id) { ... on Message { myFeedback { rating reason } } } }`, { id: sent.botMessage.id }, chat.token);
    expect(mine.node.myFeedback).toEqual({ rating: 'UP', reason: null });

    const READ = 'query($b: ID!, $r: FeedbackRating) { botFeedback(botId: $b, rating: $r) { edges { node { rating message { text } } } } }';
    expect((await gqlOk(url, READ, { b: createBot.id }, chat.token)).botFeedback.edges).toEqual([{ node: { rating: 'UP', message: { text: 're: rate me' } } }]);
    expect((await gqlOk(url, READ, { b: createBot.id, r: 'DOWN' }, chat.token)).botFeedback.edges).toEqual([]);

    const question = await gql(url, SET, { m: sent.userMessage.id, r: 'UP' }, chat.token);
    expect(question.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'messageId' });
    const long = await gql(url, SET, { m: sent.botMessage.id, r: 'UP', why: 'x'.repeat(1001) }, chat.token);
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });

    await gqlOk(url, 'mutation($m: ID!) { removeFeedback(messageId: $m) }', { m: sent.botMessage.id }, chat.token);
    expect((await gqlOk(url, READ, { b: createBot.id }, chat.token)).botFeedback.edges).toEqual([]);
  });

  it('feedback on a system bot is read by admins only', async () => {
    const chat = await newChat(url);
    const sent = await send(chat, 'system');
    await gqlOk(url, 'mutation($m: ID!) { setFeedback(messageId: $m, rating: DOWN, reason: "wrong") { rating } }', { m: sent.botMessage.id }, chat.token);
    const READ = 'query($b: ID!) { botFeedback(botId: $b) { edges { node { rating reason } } } }';
    expect(errorCode(await gql(url, READ, { b: chat.botId }, chat.token))).toBe('FORBIDDEN');
    const admin = await adminOf(server);
    const read = await gqlOk(url, READ, { b: chat.botId }, admin.accessToken);
    expect(read.botFeedback.edges).toContainEqual({ node: { rating: 'DOWN', reason: 'wrong' } });
  });

  it('ratings fired in parallel leave exactly one rating per user and reply', async () => {
    const chat = await newChat(url);
    const sent = await send(chat, 'race');
    const ratings = Array.from({ length: 12 }, (_, i) => (i % 2 ? 'UP' : 'DOWN'));
    const results = await Promise.all(ratings.map((r, i) =>
      gql(url, 'mutation($m: ID!, $r: FeedbackRating!, $w: String) { setFeedback(messageId: $m, rating: $r, reason: $w) { rating } }', { m: sent.botMessage.id, r, w: `n${i}` }, chat.token)));
    expect(results.map((r) => r.errors)).toEqual(ratings.map(() => undefined));
    const admin = await adminOf(server);
    const read = await gqlOk(url, 'query($b: ID!) { botFeedback(botId: $b, first: 100) { edges { node { message { id } } } } }', { b: chat.botId }, admin.accessToken);
    expect(read.botFeedback.edges.filter((e: any) => e.node.message.id === sent.botMessage.id)).toHaveLength(1);
  });

  it('regenerations and edits fired in parallel leave one shown variant and one consistent path', async () => {
    const chat = await newChat(url);
    const first = await send(chat, 'p');
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => gql(url, 'mutation($m: ID!) { regenerateReply(messageId: $m) { id } }', { m: first.botMessage.id }, chat.token)),
      ...Array.from({ length: 3 }, (_, i) => gql(url, 'mutation($m: ID!, $t: String!) { editMessage(messageId: $m, text: $t) { botMessage { id } } }', { m: first.userMessage.id, t: `p${i}` }, chat.token)),
    ]);
    // A request that finds the reply already replaced by a concurrent one is refused, never half-applied.
    for (const result of results) if (result.errors) expect(result.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'messageId' });
    const shown = await eventually(async () => {
      const messages = await history(chat);
      return messages.every((m: any) => m.status !== 'STREAMING') && messages;
    });
    expect(shown).toHaveLength(2);
    expect(shown[1].parentId).toBe(shown[0].id);
    const questions = shown[0].variants as string[];
    expect(questions.length).toBe(1 + results.filter((r, i) => i >= 4 && !r.errors).length);
    // Exactly one variant of each turn is selected: switching to each question shows exactly one reply.
    for (const id of questions) {
      await gqlOk(url, 'mutation($m: ID!) { selectVariant(messageId: $m) { id } }', { m: id }, chat.token);
      const path = await history(chat);
      expect(path.map((m: any) => m.role)).toEqual(['USER', 'BOT']);
      expect(path[0].id).toBe(id);
    }
  });

  it('starters, welcome and top_p are part of a bot, checked, and top_p reaches the model', async () => {
    const user = await registerUser(url);
    const input = { name: 'Starter', systemPrompt: 'Start.', welcome: 'Hi! Ask me anything.', starters: ['What can you do?', 'Tell me a joke'], topP: 0.5 };
    const { createBot } = await gqlOk(url, 'mutation($i: BotInput!) { createBot(input: $i) { id welcome starters topP } }', { i: input }, user.accessToken);
    expect(createBot).toMatchObject({ welcome: input.welcome, starters: input.starters, topP: 0.5 });

    const five = await gql(url, 'mutation($id: ID!) { updateBot(id: $id, input: { starters: ["a", "b", "c", "d", "e"] }) { id } }', { id: createBot.id }, user.accessToken);
    expect(five.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'starters' });
    const zero = await gql(url, 'mutation($id: ID!) { updateBot(id: $id, input: { topP: 0 }) { id } }', { id: createBot.id }, user.accessToken);
    expect(zero.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'topP' });

    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: createBot.id }, user.accessToken);
    await send({ ...user, token: user.accessToken, botId: createBot.id, sessionId: createSession.id } as Chat, 'sample');
    expect(fake.requests.at(-1)!.body.top_p).toBe(0.5);
  });

  it("a chat can use another of the provider's models than its bot's", async () => {
    const chat = await newChat(url);
    // The first listing of this server: nothing cached yet.
    fake.failModels(503);
    expect(errorCode(await gql(url, '{ models }', {}, chat.token))).toBe('UNAVAILABLE');
    fake.failModels(null);
    expect((await gqlOk(url, '{ models }', {}, chat.token)).models).toEqual(expect.arrayContaining(['fake-large', 'fake-small']));
    const SET = 'mutation($s: ID!, $m: String) { setSessionModel(id: $s, model: $m) { model } }';
    expect((await gqlOk(url, SET, { s: chat.sessionId, m: 'fake-small' }, chat.token)).setSessionModel.model).toBe('fake-small');
    const sent = await send(chat, 'which model?');
    expect(fake.requests.at(-1)!.body.model).toBe('fake-small');
    expect((await finished(chat, sent.botMessage.id)).id).toBe(sent.botMessage.id);

    const unknown = await gql(url, SET, { s: chat.sessionId, m: 'gpt-imaginary' }, chat.token);
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'model' });
    expect((await gqlOk(url, SET, { s: chat.sessionId, m: null }, chat.token)).setSessionModel.model).toBeNull();
    await send(chat, 'and now?');
    expect(fake.requests.at(-1)!.body.model).not.toBe('fake-small');
    expect(errorCode(await gql(url, '{ models }'))).toBe('UNAUTHENTICATED');
  });
});
