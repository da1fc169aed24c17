// The whole product journey through GraphQL alone, on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { freshPostgresDatabase, postgresAvailable } from './support/databases.ts';
import { requireService } from './support/services.ts';
import { MESSAGE_FIELDS, SESSION_EVENTS, gql, gqlOk, registerUser, sseSubscribe, uniqueEmail } from './support/graphql-client.ts';

const hasPostgres = requireService('PostgreSQL at 127.0.0.1:5432 (or TEST_POSTGRES_URL)', await postgresAvailable(), 'The journey on PostgreSQL');

const databases = [
  { name: 'SQLite', make: async () => ({ url: undefined as string | undefined, drop: async () => {} }) },
  ...(hasPostgres ? [{ name: 'PostgreSQL', make: freshPostgresDatabase }] : []),
];

describe.each(databases)('the journey on $name', ({ make }) => {
  let server: ApiServer;
  let drop: () => Promise<void>;
  let url: string;

  beforeAll(async () => {
    const db = await make();
    drop = db.drop;
    server = await startApiServer({ databaseUrl: db.url });
    url = server.graphqlUrl;
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it('a visitor registers, logs in, refreshes, asks who they are and logs out', async () => {
    const email = uniqueEmail('Journey');
    const registered = await registerUser(url, email);
    expect(registered.user.email).toBe(email.toLowerCase());

    const login = await gqlOk(url, `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken accessTokenExpiresAt } }`, { e: email.toUpperCase(), p: registered.password });
    expect(new Date(login.login.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());

    const me = await gqlOk(url, '{ me { id email role } }', {}, login.login.accessToken);
    expect(me.me).toMatchObject({ id: registered.user.id, role: 'USER' });
    expect((await gqlOk(url, '{ me { id } }')).me).toBeNull();

    const refreshed = await gqlOk(url, 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id } } }', { t: login.login.refreshToken });
    expect(refreshed.refreshToken.refreshToken).not.toBe(login.login.refreshToken);
    expect(refreshed.refreshToken.user.id).toBe(registered.user.id);

    expect((await gqlOk(url, 'mutation($t: String!) { logout(refreshToken: $t) }', { t: refreshed.refreshToken.refreshToken })).logout).toBe(true);
    const afterLogout = await gql(url, 'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }', { t: refreshed.refreshToken.refreshToken });
    expect(afterLogout.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a user sees the three system bots with distinct prompts, and manages bots of their own', async () => {
    const { accessToken: token } = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id slug name systemPrompt isSystem editable temperature } }', {}, token);
    expect(bots.map((b: any) => b.name)).toEqual(['Support', 'Tutor', 'Fun']);
    expect(new Set(bots.map((b: any) => b.systemPrompt)).size).toBe(3);
    expect(bots.every((b: any) => b.isSystem && !b.editable)).toBe(true);

    const created = await gqlOk(url, `mutation($input: BotInput!) { createBot(input: $input) { id slug name model temperature settings isSystem editable } }`, {
      input: { name: 'Chef Bot', systemPrompt: 'You are a chef.', temperature: 1.2, settings: { cuisine: 'thai' }, description: 'Cooks' },
    }, token);
    expect(created.createBot).toMatchObject({ slug: 'chef-bot', temperature: 1.2, settings: { cuisine: 'thai' }, isSystem: false, editable: true });

    const updated = await gqlOk(url, `mutation($id: ID!) { updateBot(id: $id, input: { name: "Chef", temperature: 0.2 }) { name temperature systemPrompt } }`, { id: created.createBot.id }, token);
    expect(updated.updateBot).toEqual({ name: 'Chef', temperature: 0.2, systemPrompt: 'You are a chef.' });

    const tooHot = await gql(url, `mutation($id: ID!) { updateBot(id: $id, input: { temperature: 2.5 }) { id } }`, { id: created.createBot.id }, token);
    expect(tooHot.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'temperature' });

    const systemEdit = await gql(url, `mutation($id: ID!) { updateBot(id: $id, input: { name: "Mine" }) { id } }`, { id: bots[0].id }, token);
    expect(systemEdit.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    expect((await gqlOk(url, '{ bots { id } }', {}, token)).bots).toHaveLength(4);
    await gqlOk(url, 'mutation($id: ID!) { deleteBot(id: $id) }', { id: created.createBot.id }, token);
    expect((await gqlOk(url, '{ bots { id } }', {}, token)).bots).toHaveLength(3);
  });

  it('a user chats: the reply streams over SSE, is stored with its metrics, and history pages back', async () => {
    const { accessToken: token } = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id name } }', {}, token);
    const tutor = bots.find((b: any) => b.name === 'Tutor');
    const { createSession: session } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id title bot { name } } }', { b: tutor.id }, token);
    expect(session).toMatchObject({ title: 'New chat', bot: { name: 'Tutor' } });

    const sub = sseSubscribe(url, SESSION_EVENTS, { sessionId: session.id }, token);
    expect((await sub.opened).headers.get('content-type')).toContain('text/event-stream');
    await new Promise((r) => setTimeout(r, 100)); // the subscription is registered once the stream is open

    const sent = await gqlOk(url, `mutation($s: ID!) { sendMessage(sessionId: $s, text: "Hello, my name is Ada") { userMessage { ${MESSAGE_FIELDS} } botMessage { ${MESSAGE_FIELDS} } } }`, { s: session.id }, token);
    expect(sent.sendMessage.userMessage).toMatchObject({ role: 'USER', status: 'COMPLETE', text: 'Hello, my name is Ada' });
    expect(sent.sendMessage.botMessage).toMatchObject({ role: 'BOT', status: 'STREAMING', text: '' });
    const botId = sent.sendMessage.botMessage.id;

    const completed = await sub.until((e) => e.data?.sessionEvents.__typename === 'MessageCompleted');
    sub.close();
    const final = completed.data!.sessionEvents.message;
    const deltas = sub.events.map((e) => e.data!.sessionEvents).filter((e) => e.__typename === 'MessageDelta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i + 1));
    expect(deltas.every((d) => d.messageId === botId)).toBe(true);
    expect(deltas.map((d) => d.text).join('')).toBe(final.text);
    expect(final).toMatchObject({ status: 'COMPLETE', seq: deltas.length, model: 'offline' });
    expect(final.text).toContain('offline');
    expect(final.latencyMs).toBeGreaterThanOrEqual(final.firstTokenMs);
    expect(final.completionTokens).toBeGreaterThan(0);
    expect(final.promptTokens).toBeGreaterThan(0);

    const waited = await gqlOk(url, `mutation($s: ID!) { sendMessage(sessionId: $s, text: "What is 2+2?", wait: true) { botMessage { ${MESSAGE_FIELDS} } } }`, { s: session.id }, token);
    expect(waited.sendMessage.botMessage).toMatchObject({ status: 'COMPLETE' });
    expect(waited.sendMessage.botMessage.text.length).toBeGreaterThan(10);

    for (let i = 0; i < 3; i++) {
      await gqlOk(url, `mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { botMessage { id } } }`, { s: session.id, t: `question ${i}` }, token);
    }
    // 5 exchanges = 10 messages; page back from the end, 4 at a time.
    const texts: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: any = await gqlOk(url, `query($id: ID!, $before: String) { session(id: $id) { title messages(last: 4, before: $before) { edges { node { role text } } pageInfo { hasPreviousPage startCursor } } } }`, { id: session.id, before }, token);
      const { edges, pageInfo } = page.session.messages;
      texts.unshift(...edges.map((e: any) => e.node.text));
      if (!pageInfo.hasPreviousPage) {
        expect(page.session.title).toBe('Hello, my name is Ada');
        break;
      }
      before = pageInfo.startCursor;
    }
    expect(texts).toHaveLength(10);
    expect(texts[0]).toBe('Hello, my name is Ada');
    expect(texts[8]).toBe('question 2');

    const { memories } = await gqlOk(url, '{ memories { id key value bot { name } } }', {}, token);
    expect(memories).toEqual([expect.objectContaining({ key: 'name', value: 'Ada', bot: { name: 'Tutor' } })]);
    await gqlOk(url, 'mutation($id: ID!) { deleteMemory(id: $id) }', { id: memories[0].id }, token);
    expect((await gqlOk(url, '{ memories { id } }', {}, token)).memories).toEqual([]);
  });

  it('a user lists sessions per bot, newest activity first, pages, renames and deletes them', async () => {
    const { accessToken: token } = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id name } }', {}, token);
    const [support, , fun] = bots;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { createSession } = await gqlOk(url, 'mutation($b: ID!, $t: String) { createSession(botId: $b, title: $t) { id } }', { b: support.id, t: `S${i}` }, token);
      ids.push(createSession.id);
    }
    await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: fun.id }, token);
    // Activity moves S1 to the top.
    await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "bump", wait: true) { botMessage { id } } }', { s: ids[1] }, token);

    const titles: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await gqlOk(url, 'query($b: ID, $after: String) { sessions(botId: $b, first: 2, after: $after) { edges { node { title bot { name } } } pageInfo { hasNextPage endCursor } } }', { b: support.id, after }, token);
      titles.push(...page.sessions.edges.map((e: any) => e.node.title));
      expect(page.sessions.edges.every((e: any) => e.node.bot.name === 'Support')).toBe(true);
      if (!page.sessions.pageInfo.hasNextPage) break;
      after = page.sessions.pageInfo.endCursor;
    }
    expect(titles).toEqual(['S1', 'S4', 'S3', 'S2', 'S0']);
    expect((await gqlOk(url, '{ sessions { edges { node { id } } } }', {}, token)).sessions.edges).toHaveLength(6);

    const renamed = await gqlOk(url, 'mutation($id: ID!) { renameSession(id: $id, title: "  Billing question ") { title } }', { id: ids[1] }, token);
    expect(renamed.renameSession.title).toBe('Billing question');
    const empty = await gql(url, 'mutation($id: ID!) { renameSession(id: $id, title: "   ") { title } }', { id: ids[1] }, token);
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'title' });

    await gqlOk(url, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: ids[1] }, token);
    expect((await gqlOk(url, 'query($id: ID!) { session(id: $id) { id } }', { id: ids[1] }, token)).session).toBeNull();
    const again = await gql(url, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: ids[1] }, token);
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('creating a session and sending a message are idempotent', async () => {
    const { accessToken: token } = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id } }', {}, token);
    const clientId = crypto.randomUUID();
    const create = () => gqlOk(url, 'mutation($b: ID!, $c: String) { createSession(botId: $b, clientId: $c) { id clientId } }', { b: bots[0].id, c: clientId }, token);
    const [a, b] = await Promise.all([create(), create()]);
    expect(a.createSession.id).toBe(b.createSession.id);
    expect((await create()).createSession.clientId).toBe(clientId);

    const sessionId = a.createSession.id;
    const send = () => gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "once", clientMessageId: "m-1") { userMessage { id } botMessage { id } } }', { s: sessionId }, token);
    const [first, second] = await Promise.all([send(), send()]);
    const third = await send();
    expect(second.sendMessage).toEqual(first.sendMessage);
    expect(third.sendMessage).toEqual(first.sendMessage);
    const history = await gqlOk(url, 'query($id: ID!) { session(id: $id) { messages(first: 50) { edges { node { role text } } } } }', { id: sessionId }, token);
    expect(history.session.messages.edges.map((e: any) => e.node.role)).toEqual(['USER', 'BOT']);
  });

  it('bad input gets a clear error with a stable code and the field', async () => {
    const { accessToken: token } = await registerUser(url);
    const weak = await gql(url, 'mutation { register(email: "x@example.com", password: "short") { accessToken } }');
    expect(weak.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const badEmail = await gql(url, 'mutation { register(email: "not-an-email", password: "long enough pw") { accessToken } }');
    expect(badEmail.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const taken = await registerUser(url);
    const dup = await gql(url, 'mutation($e: String!) { register(email: $e, password: "another password") { accessToken } }', { e: taken.email.toUpperCase() });
    expect(dup.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', field: 'email' });
    const wrong = await gql(url, 'mutation($e: String!) { login(email: $e, password: "wrong password") { accessToken } }', { e: taken.email });
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const { bots } = await gqlOk(url, '{ bots { id } }', {}, token);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[0].id }, token);
    const blank = await gql(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "   ") { userMessage { id } } }', { s: createSession.id }, token);
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const huge = await gql(url, 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t) { userMessage { id } } }', { s: createSession.id, t: 'x'.repeat(8001) }, token);
    expect(huge.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'text' });
    const badClientId = await gql(url, 'mutation($b: ID!) { createSession(botId: $b, clientId: "nope") { id } }', { b: bots[0].id }, token);
    expect(badClientId.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'clientId' });
    expect((await gqlOk(url, 'query { session(id: "%%%") { id } }', {}, token)).session).toBeNull();
    const garbageId = await gql(url, 'mutation { renameSession(id: "%%%", title: "x") { id } }', {}, token);
    expect(garbageId.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const anonymous = await gql(url, '{ bots { id } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const result of [weak, badEmail, dup, blank, anonymous]) expect(JSON.stringify(result)).not.toMatch(/stack|at .*\.ts:/);
  });
});
