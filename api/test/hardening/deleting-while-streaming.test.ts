// Deleting a session or a bot while a reply streams in it: the generation stops (the model request
// is aborted, so no more tokens are billed), subscribers get SessionDeleted as the last event, and
// the server ends their subscription.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { SESSION_EVENTS, gqlOk, registerUser, sseSubscribe } from '../support/graphql-client.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let url: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({ env: { LLM_PROVIDER: 'groq', GROQ_API_KEY: 'test-key', GROQ_BASE_URL: fake.url } });
  url = server.graphqlUrl;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.reset());

/** A user with a bot of their own, a session with it, a subscriber, and a reply streaming slowly. */
async function streamingReply() {
  fake.script({ tokens: 2000, tokenDelayMs: 10 });
  const { accessToken: token } = await registerUser(url);
  const { createBot } = await gqlOk(url, 'mutation { createBot(input: { name: "Talker", systemPrompt: "Talk." }) { id } }', {}, token);
  const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: createBot.id }, token);
  const sessionId = createSession.id;
  const events = sseSubscribe(url, SESSION_EVENTS, { sessionId }, token);
  await events.opened;
  await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "Tell me everything.") { botMessage { id } } }', { s: sessionId }, token);
  await events.until((e) => e.data?.sessionEvents.__typename === 'MessageDelta');
  return { token, botId: createBot.id, sessionId, events };
}

async function expectStoppedAndEnded({ sessionId, events }: Awaited<ReturnType<typeof streamingReply>>) {
  const last = await events.until((e) => e.data?.sessionEvents.__typename === 'SessionDeleted');
  expect(last.data.sessionEvents.sessionId).toBe(sessionId);
  await events.ended; // the server closed the stream
  expect(events.events.at(-1)).toBe(last);
  await fake.requests[0].done;
  expect(fake.requests[0].aborted).toBe(true);
}

describe('deleting what is streaming', () => {
  it('deleteSession stops the reply and ends its subscription with SessionDeleted', async () => {
    const chat = await streamingReply();
    await gqlOk(url, 'mutation($id: ID!) { deleteSession(id: $id) }', { id: chat.sessionId }, chat.token);
    await expectStoppedAndEnded(chat);
  });

  it('deleteBot stops the replies of its sessions and ends their subscriptions', async () => {
    const chat = await streamingReply();
    await gqlOk(url, 'mutation($id: ID!) { deleteBot(id: $id) }', { id: chat.botId }, chat.token);
    await expectStoppedAndEnded(chat);
  });
});
