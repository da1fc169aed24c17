// Search across one's chats (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL): every word of
// the query in a message, newest first, with a plain-text snippet and highlight ranges; any input
// is plain words, never a server error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { errorCode, gql, gqlOk } from '../support/graphql-client.ts';
import { fakeLlmEnv, newChat } from '../support/steps.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let url: string;
let alice: Awaited<ReturnType<typeof newChat>>;
let otherBotId: string;
let otherSessionId: string;

const SEARCH = `query($q: String!, $b: ID, $first: Int, $after: String) {
  search(query: $q, botId: $b, first: $first, after: $after) {
    edges { cursor node { message { id text role } session { id title bot { id } } snippet { text highlights { start length } } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const SEND = 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { userMessage { id } botMessage { id } } }';
const search = async (q: string, extra: Record<string, unknown> = {}, token = alice.token) => (await gqlOk(url, SEARCH, { q, ...extra }, token)).search;
const texts = (page: any) => page.edges.map((e: any) => e.node.message.text);

beforeAll(async () => {
  fake = await startFakeLlmServer();
  fake.script({ reply: 'Okay.' });
  server = await startApiServer({ env: fakeLlmEnv(fake) });
  url = server.graphqlUrl;
  alice = await newChat(url);
  await gqlOk(url, SEND, { s: alice.sessionId, t: 'My zebrafish tank needs a heater' }, alice.token);
  await gqlOk(url, SEND, { s: alice.sessionId, t: 'The heater <b>broke</b> & the zebrafish are cold' }, alice.token);
  const { bots } = await gqlOk(url, '{ bots { id } }', {}, alice.token);
  otherBotId = bots.find((b: any) => b.id !== alice.botId).id;
  otherSessionId = (await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b, title: "Pets") { id } }', { b: otherBotId }, alice.token)).createSession.id;
  await gqlOk(url, SEND, { s: otherSessionId, t: 'Zebrafish school together' }, alice.token);
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('search across my chats', () => {
  it('finds messages holding every word, newest first, with their chat', async () => {
    const page = await search('zebrafish');
    expect(texts(page)).toEqual(['Zebrafish school together', 'The heater <b>broke</b> & the zebrafish are cold', 'My zebrafish tank needs a heater']);
    expect(page.edges[0].node.session).toMatchObject({ id: otherSessionId, title: 'Pets', bot: { id: otherBotId } });
    expect(texts(await search('HEATER zebrafish'))).toEqual(['The heater <b>broke</b> & the zebrafish are cold', 'My zebrafish tank needs a heater']);
    expect(texts(await search('zebrafish piano'))).toEqual([]);
  });

  it('matches whole words, not parts of words', async () => {
    expect(texts(await search('zebr'))).toEqual([]);
    expect(texts(await search('zebrafish hea'))).toEqual([]);
    expect(texts(await search('ZEBRAFISH heater'))).toHaveLength(2);
  });

  it('narrows to one bot', async () => {
    expect(texts(await search('zebrafish', { b: otherBotId }))).toEqual(['Zebrafish school together']);
  });

  it('returns the snippet as plain text with highlight ranges, never markup', async () => {
    const [hit] = (await search('broke heater')).edges;
    const { text, highlights } = hit.node.snippet;
    expect(text).toBe('The heater <b>broke</b> & the zebrafish are cold');
    expect(highlights.map((h: any) => text.slice(h.start, h.start + h.length))).toEqual(['heater', 'broke']);
  });

  it('pages forward with first and after', async () => {
    const first = await search('zebrafish', { first: 2 });
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await search('zebrafish', { first: 2, after: first.pageInfo.endCursor });
    expect(texts(second)).toEqual(['My zebrafish tank needs a heater']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it("never finds another user's messages", async () => {
    const bob = await newChat(url);
    expect(texts(await search('zebrafish', {}, bob.token))).toEqual([]);
    expect(texts(await search('zebrafish', { b: alice.botId }, bob.token))).toEqual([]);
  });

  it('treats search syntax and odd input as plain words, never failing', async () => {
    const inputs = ['"', '"zebrafish', 'zebrafish"*', 'NEAR(zebrafish heater)', 'zebrafish AND OR NOT', '*', ':*', 'owner : x', 'text:zebrafish', "'); DROP TABLE \"Message\"; --",
      '!zebrafish & | <->', '(((', '^zebrafish', '{text}: zebrafish', 'zébrafish', '🐟', '', '   ', '\\'];
    for (const q of inputs) {
      const result = await gql(url, SEARCH, { q }, alice.token);
      expect(result.errors, q).toBeUndefined();
    }
    expect(texts(await search('text:zebrafish'))).toEqual([]); // the words "text" and "zebrafish": no message has both
    expect(texts(await search('"zebrafish" AND heater*')).length).toBe(0); // "and" is a word here too
    expect(texts(await search('!zebrafish & | heater'))).toHaveLength(2);
  });

  it('finds a message once, and stops finding it when its chat is deleted', async () => {
    const chat = await newChat(url);
    await gqlOk(url, SEND, { s: chat.sessionId, t: 'quokka sightings today' }, chat.token);
    expect(texts(await search('quokka', {}, chat.token))).toEqual(['quokka sightings today']);
    await gqlOk(url, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: chat.sessionId }, chat.token);
    expect(texts(await search('quokka', {}, chat.token))).toEqual([]);
  });

  it('refuses bad paging and overlong queries with BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ q: 'x', after: 'bm90IGEgY3Vyc29y' }, 'after'],
      [{ q: 'x', after: '!!!' }, 'after'],
      [{ q: 'x', first: 0 }, 'first'],
      [{ q: 'x', first: 51 }, 'first'],
      [{ q: 'x'.repeat(201) }, 'query'],
    ];
    for (const [variables, field] of cases) {
      const result = await gql(url, SEARCH, variables, alice.token);
      expect(errorCode(result), JSON.stringify(variables)).toBe('BAD_USER_INPUT');
      expect(result.errors![0].extensions!.field).toBe(field);
    }
  });
});
