// viewerEvents: one subscription carries the events of all the viewer's sessions, each naming its
// session, and nothing of anybody else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from './support/api-server.ts';
import { VIEWER_EVENTS, errorCode, gql, gqlOk, registerUser, sseSubscribe } from './support/graphql-client.ts';

let server: ApiServer;
let url: string;
let token: string;
let botId: string;

beforeAll(async () => {
  server = await startApiServer();
  url = server.graphqlUrl;
  ({ accessToken: token } = await registerUser(url));
  botId = (await gqlOk(url, '{ bots { id } }', {}, token)).bots[0].id;
});
afterAll(() => server?.stop());

const newSession = async (as = token) =>
  (await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: botId }, as)).createSession.id as string;
const send = async (sessionId: string, text: string, as = token) =>
  (await gqlOk(url, 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t) { botMessage { id } } }', { s: sessionId, t: text }, as))
    .sendMessage.botMessage.id as string;
const isEnd = (e: any, messageId: string) =>
  (e.data?.viewerEvents.event.__typename === 'MessageCompleted' && e.data.viewerEvents.event.message.id === messageId) ||
  (e.data?.viewerEvents.event.__typename === 'MessageFailed' && e.data.viewerEvents.event.messageId === messageId);
/** Lets the server's pubsub subscription settle after the response opened (as a client's stream would have long before sending). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

describe('viewerEvents', () => {
  it("carries every session's reply over one stream, each event naming its session, deltas in order", async () => {
    const sessions = [await newSession(), await newSession(), await newSession()];
    const sub = sseSubscribe(url, VIEWER_EVENTS, {}, token);
    expect((await sub.opened).headers.get('content-type')).toMatch(/text\/event-stream/);
    await settle();
    const replies = await Promise.all(sessions.map((id, i) => send(id, `hello ${i}`)));
    await Promise.all(replies.map((id) => sub.until((e) => isEnd(e, id))));
    sub.close();
    const events = sub.events.map((e) => e.data!.viewerEvents);
    for (const [i, sessionId] of sessions.entries()) {
      const mine = events.filter((e) => e.sessionId === sessionId);
      const added = mine.filter((e) => e.event.__typename === 'MessageAdded').map((e) => e.event.message);
      expect(added.map((m) => m.role)).toEqual(['USER', 'BOT']);
      for (const message of added) expect(message.sessionId).toBe(sessionId);
      const deltas = mine.filter((e) => e.event.__typename === 'MessageDelta').map((e) => e.event);
      for (const delta of deltas) expect(delta.messageId).toBe(replies[i]);
      expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, n) => n + 1));
      const completed = mine.find((e) => e.event.__typename === 'MessageCompleted')!.event.message;
      expect(completed.id).toBe(replies[i]);
      expect(deltas.map((d) => d.text).join('')).toBe(completed.text);
    }
  });

  it('with sessionIds, carries those sessions only', async () => {
    const [followed, other] = [await newSession(), await newSession()];
    const sub = sseSubscribe(url, VIEWER_EVENTS, { sessionIds: [followed] }, token);
    await sub.opened;
    await settle();
    const [otherReply, followedReply] = [await send(other, 'not followed'), await send(followed, 'followed')];
    await sub.until((e) => isEnd(e, followedReply));
    // The other reply ended too (each is a few short chunks); none of it came here.
    await gqlOk(url, 'mutation($id: ID!) { cancelReply(messageId: $id) { id } }', { id: otherReply }, token);
    sub.close();
    expect(new Set(sub.events.map((e) => e.data!.viewerEvents.sessionId))).toEqual(new Set([followed]));
  });

  it('tells of a deleted session, and the stream goes on for the others', async () => {
    const [deleted, kept] = [await newSession(), await newSession()];
    const sub = sseSubscribe(url, VIEWER_EVENTS, {}, token);
    await sub.opened;
    await settle();
    await gqlOk(url, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: deleted }, token);
    await sub.until((e) => e.data?.viewerEvents.event.__typename === 'SessionDeleted');
    const reply = await send(kept, 'still here?');
    await sub.until((e) => isEnd(e, reply));
    sub.close();
    const deletions = sub.events.filter((e) => e.data!.viewerEvents.event.__typename === 'SessionDeleted').map((e) => e.data!.viewerEvents);
    expect(deletions).toEqual([{ sessionId: deleted, event: { __typename: 'SessionDeleted', sessionId: deleted } }]);
  });

  it("leaves out the sessions of a bot that does not allow the page's site", async () => {
    const SHOP = 'https://shop.example';
    const BLOG = 'https://blog.example';
    const { createBot } = await gqlOk(url, 'mutation($input: BotInput!) { createBot(input: $input) { id } }', {
      input: { name: 'Shop only', systemPrompt: 'You help shoppers.', settings: { allowedOrigins: [SHOP] } },
    }, token);
    const shopSession = (await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: createBot.id }, token)).createSession.id;
    const anySite = await newSession();
    const named = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, origin: BLOG },
      body: JSON.stringify({ query: 'subscription($ids: [ID!]) { viewerEvents(sessionIds: $ids) { sessionId } }', variables: { ids: [shopSession] } }),
    });
    expect(errorCode(await named.json())).toBe('FORBIDDEN');

    const sub = sseSubscribe(url, VIEWER_EVENTS, {}, token, { origin: BLOG });
    await sub.opened;
    await settle();
    const shopReply = await send(shopSession, 'from the shop'); // a client outside a browser may
    const reply = await send(anySite, 'from anywhere');
    await sub.until((e) => isEnd(e, reply));
    await gqlOk(url, 'mutation($id: ID!) { cancelReply(messageId: $id) { id } }', { id: shopReply }, token);
    sub.close();
    expect(new Set(sub.events.map((e) => e.data!.viewerEvents.sessionId))).toEqual(new Set([anySite]));
  });

  it('refuses more than 100 sessionIds with BAD_USER_INPUT naming the argument', async () => {
    const sessionId = await newSession();
    const result = await gql(url, 'subscription($ids: [ID!]) { viewerEvents(sessionIds: $ids) { sessionId } }', { ids: Array(101).fill(sessionId) }, token);
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].extensions?.field).toBe('sessionIds');
  });

  it('is UNAUTHENTICATED without a sign-in', async () => {
    const result = await gql(url, 'subscription { viewerEvents { sessionId } }');
    expect(errorCode(result)).toBe('UNAUTHENTICATED');
  });
});
