// A client's mistake gets a stable code and the field it concerns, never "Unexpected error.": wrong
// variables, pagination arguments on every connection, strings no database can store, and requests no
// GraphQL parser reads (a body of another type, another method, GET parameters that are not JSON). None of it is logged as an error or counted as a server fault.
// (Global ids in node/nodes: nodes.test.ts; every argument of the schema: malformed-arguments.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { gqlOk } from '../support/graphql-client.ts';
import { newChat, postGraphql, scrape } from '../support/steps.ts';

const SHOP = 'https://shop.example';

let server: ApiServer;
let url: string;
let chat: Awaited<ReturnType<typeof newChat>>;
const asUser = () => ({ authorization: `Bearer ${chat.token}` });
const ask = (query: string, variables: Record<string, unknown> = {}) => postGraphql(url, { query, variables }, asUser());

beforeAll(async () => {
  server = await startApiServer({ env: { CORS_ORIGINS: SHOP } });
  url = server.graphqlUrl;
  chat = await newChat(url);
});
afterAll(() => server?.stop());

/** The answer holds exactly one error: BAD_USER_INPUT naming the field. */
function expectBadInput(body: any, field: string) {
  expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', field } })]);
}

describe('variables a client got wrong → BAD_USER_INPUT naming the variable', () => {
  const SESSION = 'query($id: ID!) { session(id: $id) { id } }';
  const SESSIONS = 'query($n: Int) { sessions(first: $n) { edges { cursor } } }';
  const CREATE_BOT = 'mutation($input: BotInput!) { createBot(input: $input) { id } }';

  it.each([
    ['a required variable left out', SESSION, {}, 'id'],
    ['null for a non-null variable', SESSION, { id: null }, 'id'],
    ['a String for an Int', SESSIONS, { n: 'ten' }, 'n'],
    ['an Int beyond 32 bits', SESSIONS, { n: 2147483648 }, 'n'],
    ['an unknown field in an input object', CREATE_BOT, { input: { name: 'Helper', colour: 'red' } }, 'input.colour'],
  ])('%s', async (_, query, variables, field) => {
    const { body } = await ask(query, variables);
    expectBadInput(body, field);
    expect(body.errors[0].message).toMatch(/^Variable "\$/);
  });
});

describe('pagination arguments are checked on every connection → BAD_USER_INPUT naming the argument', () => {
  const TYPES: Record<string, string> = { first: 'Int', last: 'Int', after: 'String', before: 'String' };
  const connections = {
    sessions: (declared: string, args: string) => `query(${declared}) { sessions(${args}) { edges { cursor } } }`,
    'session.messages': (declared: string, args: string) =>
      `query($id: ID!, ${declared}) { session(id: $id) { messages(${args}) { edges { cursor } } } }`,
  };
  const mistakes: Array<[string, Record<string, unknown>, string]> = [
    ['first: -1', { first: -1 }, 'first'],
    ['last: -1', { last: -1 }, 'last'],
    ['first: 2147483648', { first: 2147483648 }, 'first'],
    ['after: "garbage"', { after: 'garbage' }, 'after'],
    ['before: "garbage"', { before: 'garbage' }, 'before'],
    ['before with first', { first: 2, before: 'garbage' }, 'before'],
    ['after with last', { last: 2, after: 'garbage' }, 'after'],
  ];
  const cases = Object.entries(connections).flatMap(([name, document]) =>
    mistakes.map(([mistake, variables, field]) => {
      const names = Object.keys(variables);
      const query = document(names.map((n) => `$${n}: ${TYPES[n]}`).join(', '), names.map((n) => `${n}: $${n}`).join(', '));
      return [`${name}(${mistake})`, query, variables, field] as const;
    }),
  );

  it.each(cases)('%s', async (_, query, variables, field) => {
    const { body } = await ask(query, { id: chat.sessionId, ...variables });
    expectBadInput(body, field);
  });

  it('a cursor the connection handed out still pages', async () => {
    for (const title of ['One', 'Two']) {
      await gqlOk(url, 'mutation($b: ID!, $t: String) { createSession(botId: $b, title: $t) { id } }', { b: chat.botId, t: title }, chat.token);
    }
    const first = await ask('{ sessions(first: 1) { edges { cursor } } }');
    const { body } = await ask('query($after: String) { sessions(first: 1, after: $after) { edges { cursor } } }', { after: first.body.data.sessions.edges[0].cursor });
    expect(body.errors).toBeUndefined();
    expect(body.data.sessions.edges).toHaveLength(1);
  });
});

describe('strings no database stores faithfully are refused alike on SQLite and PostgreSQL', () => {
  const LONE_SURROGATES = { 'a lone high surrogate': 'before \ud800 after', 'a lone low surrogate': 'before \udc00 after' };
  const NUL = { 'a NUL character': 'before \u0000 after' };
  const arguments_ = [
    ['message text', 'mutation($s: ID!, $v: String!) { sendMessage(sessionId: $s, text: $v) { userMessage { id } } }', 'text'],
    ['a session title', 'mutation($s: ID!, $v: String!) { renameSession(id: $s, title: $v) { id } }', 'title'],
    ['a new session title', 'mutation($b: ID!, $v: String) { createSession(botId: $b, title: $v) { id } }', 'title'],
    ['a bot name', 'mutation($v: String) { createBot(input: { name: $v }) { id } }', 'input.name'],
    ['a JSON setting', 'mutation($v: JSON) { createBot(input: { name: "Settings", settings: { note: $v } }) { id } }', 'input.settings.note'],
    ['a clientId', 'mutation($b: ID!, $v: String) { createSession(botId: $b, clientId: $v) { id } }', 'clientId'],
    ['an id', 'query($v: ID!) { session(id: $v) { id } }', 'id'],
  ] as const;
  const cases = arguments_.flatMap(([what, query, field]) =>
    Object.entries({ ...LONE_SURROGATES, ...NUL }).map(([kind, value]) => [`${what} with ${kind}`, query, value, field] as const),
  );

  it.each(cases)('%s → BAD_USER_INPUT', async (_, query, value, field) => {
    const { body } = await ask(query, { s: chat.sessionId, b: chat.botId, v: value });
    expectBadInput(body, field);
  });

  it('a NUL in a variable’s default value, or in a list, is refused too', async () => {
    const defaulted = await ask('mutation($s: ID!, $v: String! = "before \\u0000 after") { renameSession(id: $s, title: $v) { id } }', { s: chat.sessionId });
    expectBadInput(defaulted.body, 'title');
    const listed = await ask('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['fine', 'not \u0000 fine'] });
    expectBadInput(listed.body, 'ids[1]');
  });

  it('a NUL written into the document itself is refused too', async () => {
    const { body } = await ask(`mutation { renameSession(id: "${chat.sessionId}", title: "before \\u0000 after") { id } }`);
    expectBadInput(body, 'title');
  });

  it('nothing refused was stored', async () => {
    const { body } = await ask('query($id: ID!) { session(id: $id) { title messages(first: 50) { edges { node { id } } } } }', { id: chat.sessionId });
    expect(body.data.session.title).not.toMatch(/before/);
    expect(body.data.session.messages.edges).toHaveLength(0);
  });

  it('emoji and other characters outside the BMP (surrogate pairs) are stored as sent', async () => {
    const title = 'Plans 🚀 for 𝔐onday';
    const { body } = await ask('mutation($s: ID!, $v: String!) { renameSession(id: $s, title: $v) { title } }', { s: chat.sessionId, v: title });
    expect(body).toEqual({ data: { renameSession: { title } } });
  });
});

describe('requests no GraphQL parser can read get the JSON error body with a code', () => {
  const errorBody = (code: string) => ({ errors: [{ message: expect.any(String), extensions: { code } }] });

  it('a body in a type GraphQL does not read → 415, readable by a listed site', async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml', origin: SHOP }, body: '<query>{ me { id } }</query>' });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await response.json()).toEqual(errorBody('UNSUPPORTED_MEDIA_TYPE'));
  });

  it('a method other than GET or POST → 405 naming the allowed ones', async () => {
    const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', origin: SHOP }, body: '{"query":"{ me { id } }"}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await response.json()).toEqual(errorBody('METHOD_NOT_ALLOWED'));
  });

  it.each(['variables', 'extensions'])('GET with %s that are not JSON → 400 BAD_REQUEST', async (parameter) => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ me { id } }')}&${parameter}=oops`, { headers: { ...asUser(), accept: 'application/json' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(errorBody('BAD_REQUEST'));
  });
});

describe('the operator’s view of all of the above', () => {
  it('none counted as INTERNAL_SERVER_ERROR, each counted by its code, and nothing logged at error level', async () => {
    const metrics = await scrape(server);
    expect(metrics['mbc_graphql_errors_total{code="INTERNAL_SERVER_ERROR"}'] ?? 0).toBe(0);
    expect(metrics['mbc_graphql_errors_total{code="BAD_USER_INPUT"}']).toBeGreaterThan(30);
    expect(metrics['mbc_graphql_errors_total{code="UNSUPPORTED_MEDIA_TYPE"}']).toBe(1);
    expect(metrics['mbc_graphql_errors_total{code="METHOD_NOT_ALLOWED"}']).toBe(1);
    expect(metrics['mbc_graphql_errors_total{code="BAD_REQUEST"}']).toBe(2);
    const errorLines = server
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line))
      .filter((line) => line.level >= 50);
    expect(errorLines).toEqual([]);
  });
});
