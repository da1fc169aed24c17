// Small steps the API suites share: raw requests with chosen headers, a chat set
// up in one call, and waiting for a condition.
import { rmSync } from 'node:fs';
import type { ApiServer } from '../support/api-server.ts';
import { freshSqliteDatabase } from '../support/databases.ts';
import { MESSAGE_FIELDS, SESSION_EVENTS, gqlOk, registerUser, sseSubscribe } from '../support/graphql-client.ts';
import type { FakeLlmServer } from '../support/fake-llm-server.ts';

export interface RawResponse {
  status: number;
  headers: Headers;
  body: any;
  ms: number;
}

/** A POST /graphql with the headers a browser, proxy or attacker would choose. */
export async function postGraphql(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const startedAt = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed, ms: performance.now() - startedAt };
}

/** A new SQLite database, for behaviour that is SQLite's own whatever database the suite runs on. */
export async function sqliteDatabase() {
  const { url, dir } = await freshSqliteDatabase();
  return { url, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The environment that sends replies to the fake chat-completions server. */
export function fakeLlmEnv(fake: FakeLlmServer): Record<string, string> {
  return { LLM_PROVIDER: 'groq', GROQ_API_KEY: 'test', GROQ_BASE_URL: fake.url, LLM_RETRY_BASE_MS: '10', STREAM_FLUSH_MS: '50' };
}

/** A new user with a session on the Support bot. */
export async function newChat(url: string) {
  const user = await registerUser(url);
  const { bots } = await gqlOk(url, '{ bots { id name } }', {}, user.accessToken);
  const botId = bots.find((b: any) => b.name === 'Support').id as string;
  const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b) { id } }', { b: botId }, user.accessToken);
  return { ...user, token: user.accessToken, botId, sessionId: createSession.id as string };
}

export const SEND = `mutation($s: ID!, $t: String!, $wait: Boolean) {
  sendMessage(sessionId: $s, text: $t, wait: $wait) { userMessage { ${MESSAGE_FIELDS} } botMessage { ${MESSAGE_FIELDS} } }
}`;

export const SESSION_MESSAGES = `query($id: ID!) { session(id: $id) { messages(last: 50) { edges { node { ${MESSAGE_FIELDS} } } } } }`;

/** Sends on a new chat, subscribed, and resolves once the reply is streaming (its first delta arrived). */
export async function startStreamingReply(server: ApiServer) {
  const chat = await newChat(server.graphqlUrl);
  const events = sseSubscribe(server.graphqlUrl, SESSION_EVENTS, { sessionId: chat.sessionId }, chat.token);
  await events.opened;
  await pause(50); // the subscription is registered once the stream is open
  const sent = await gqlOk(server.graphqlUrl, SEND, { s: chat.sessionId, t: 'Please answer slowly' }, chat.token);
  await events.until((e) => e.data?.sessionEvents.__typename === 'MessageDelta');
  return { chat, events, botId: sent.sendMessage.botMessage.id as string };
}

/** The session's messages, oldest first. */
export async function messagesOf(url: string, sessionId: string, token: string): Promise<any[]> {
  const data = await gqlOk(url, SESSION_MESSAGES, { id: sessionId }, token);
  return data.session.messages.edges.map((e: any) => e.node);
}

/** Polls until the check returns a value (not undefined/false), or fails after timeoutMs. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Prometheus text format → { 'name{labels}': value }. */
export async function scrape(server: ApiServer, headers: Record<string, string> = {}): Promise<Record<string, number>> {
  const response = await fetch(`${server.origin}/metrics`, { headers });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const samples: Record<string, number> = {};
  for (const line of (await response.text()).split('\n')) {
    const match = /^(\w+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) samples[match[1]] = Number(match[2]);
  }
  return samples;
}

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
