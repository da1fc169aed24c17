// node(id) and nodes(ids): any id, however malformed, reads as an object the viewer may see or as
// null; the list is capped, and its cost grows with the number of types asked for, not of ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { errorCode, gql, gqlOk, registerUser } from '../support/graphql-client.ts';

let server: ApiServer;
let url: string;
const b64 = (text: string) => Buffer.from(text).toString('base64');

beforeAll(async () => {
  server = await startApiServer();
  url = server.graphqlUrl;
});
afterAll(() => server?.stop());

const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }';

describe('node and nodes', () => {
  it('garbage, empty, unexposed and unknown ids read as null', async () => {
    const { accessToken: token } = await registerUser(url);
    for (const id of ['garbage', '', '!!!', b64('Bot:'), b64(':x'), b64('RefreshToken:x'), b64('Bot:does-not-exist'), b64('User:someone-else')]) {
      const result = await gql(url, 'query($id: ID!) { node(id: $id) { id } }', { id }, token);
      expect(result.errors, id).toBeUndefined();
      expect(result.data.node, id).toBeNull();
    }
  });

  it('answers 100 ids of every kind in one request, in order, with only what the viewer may see', async () => {
    const alice = await registerUser(url);
    const bob = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id } }', {}, alice.accessToken);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[0].id }, alice.accessToken);
    const { createSession: bobs } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: bots[0].id }, bob.accessToken);
    const own = [bots[0].id, createSession.id, alice.user.id];
    const ids = Array.from({ length: 100 }, (_, i) => {
      if (i < own.length) return own[i];
      if (i === 10) return bobs.id;
      if (i === 11) return bob.user.id;
      return [`!!!${i}`, b64(`Bot:missing-${i}`), b64(`Message:missing-${i}`), b64(`RefreshToken:${i}`), b64(`ChatSession:${i}`)][i % 5];
    });
    const { nodes } = await gqlOk(url, NODES, { ids }, alice.accessToken);
    expect(nodes).toHaveLength(100);
    expect(nodes.slice(0, 3).map((n: any) => n.id)).toEqual(own);
    expect(nodes.slice(0, 3).map((n: any) => n.__typename)).toEqual(['Bot', 'ChatSession', 'User']);
    expect(nodes.slice(3).every((n: unknown) => n === null)).toBe(true);
  });

  it('refuses more than 100 ids with QUERY_TOO_COMPLEX, and the server stays up', async () => {
    const { accessToken: token } = await registerUser(url);
    const ids = Array.from({ length: 1700 }, (_, i) => b64(`Bot:unknown-${i}`));
    const result = await gql(url, NODES, { ids }, token);
    expect(errorCode(result)).toBe('QUERY_TOO_COMPLEX');
    expect((await fetch(`${server.origin}/healthz`)).status).toBe(200);
  });
});
