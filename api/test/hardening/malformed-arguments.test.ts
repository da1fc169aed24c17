// Every argument of every field in the schema, sent malformed by a signed-in user (wrong types, nulls,
// huge and negative numbers, garbage ids and cursors, oversized strings, lone surrogates and NUL,
// unknown input fields): no answer is a server fault, none is slow, and the server stays healthy.
// The fields are read from the running server's schema, so a field added later is covered too.
import { buildClientSchema, getIntrospectionQuery, type GraphQLObjectType, isObjectType } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { startApiServer } from '../support/api-server.ts';
import { gqlOk } from '../support/graphql-client.ts';
import { newChat } from '../support/steps.ts';
import { type Fixtures, type MalformedRequest, malformedRequests } from './malformed-cases.ts';

const BUDGET_MS = 2000; // generous: a refusal takes milliseconds; this catches work that grows with the input
const PARALLEL = 4;

const server = await startApiServer();
afterAll(() => server.stop());
const url = server.graphqlUrl;

const chat = await newChat(url);
const auth = { authorization: `Bearer ${chat.token}` };
const { createBot } = await gqlOk(url, 'mutation { createBot(input: { name: "Probe bot", systemPrompt: "Answer briefly." }) { id } }', {}, chat.token);
const { sendMessage } = await gqlOk(url, 'mutation($s: ID!) { sendMessage(sessionId: $s, text: "Hello", wait: true) { userMessage { id } } }', { s: chat.sessionId }, chat.token);
const fixtures: Fixtures = {
  sessionId: chat.sessionId,
  botId: createBot.id,
  messageId: sendMessage.userMessage.id,
  rawSessionId: Buffer.from(chat.sessionId, 'base64').toString().split(':').slice(1).join(':'),
};
const schema = buildClientSchema(await gqlOk(url, getIntrospectionQuery(), {}, chat.token));
const requests = malformedRequests(schema, fixtures);
const byField = new Map<string, MalformedRequest[]>();
for (const request of requests) {
  const field = request.label.slice(0, request.label.indexOf('('));
  byField.set(field, [...(byField.get(field) ?? []), request]);
}

interface Answer {
  status: number;
  ms: number;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** Sends one request; a subscription is read until its first event (or its end), then dropped. */
async function send({ operation, query, variables }: MalformedRequest): Promise<Answer> {
  const startedAt = performance.now();
  const controller = new AbortController();
  const budget = setTimeout(() => controller.abort(), BUDGET_MS * 2);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', accept: operation === 'subscription' ? 'text/event-stream' : 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: controller.signal,
    });
    const payloads = response.headers.get('content-type')?.startsWith('text/event-stream')
      ? await firstEvent(response)
      : [await response.json()];
    const ms = performance.now() - startedAt;
    return { status: response.status, ms, errors: payloads.flatMap((payload: any) => payload.errors ?? []) };
  } catch (error) {
    return { status: 0, ms: performance.now() - startedAt, errors: [{ message: `no answer: ${error}` }] };
  } finally {
    clearTimeout(budget);
    controller.abort();
  }
}

/** The payloads of a stream up to its first event; a valid subscription that stays open yields none. */
async function firstEvent(response: Response): Promise<unknown[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const quiet = setTimeout(() => void reader.cancel(), 300);
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      if (/\n\n/.test(text) && /^data:/m.test(text)) break;
    }
  } finally {
    clearTimeout(quiet);
  }
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:') && line.length > 6)
    .map((line) => JSON.parse(line.slice(5)));
}

/** What is wrong with an answer, or null: a server fault, an error without a code, or slowness. */
function fault(answer: Answer): string | null {
  if (answer.status === 0 || answer.status >= 500) return `HTTP ${answer.status}: ${answer.errors[0]?.message ?? ''}`;
  const internal = answer.errors.find((error) => !error.extensions?.code || error.extensions.code === 'INTERNAL_SERVER_ERROR');
  if (internal) return `${internal.extensions?.code ?? 'no code'}: ${internal.message}`;
  if (answer.ms > BUDGET_MS) return `answered in ${Math.round(answer.ms)} ms`;
  return null;
}

async function healthy(): Promise<boolean> {
  try {
    const response = await fetch(`${server.origin}/healthz`, { signal: AbortSignal.timeout(BUDGET_MS) });
    return response.status === 200;
  } catch {
    return false;
  }
}

it('the schema walk reaches every root field and every field with arguments anywhere in the schema', () => {
  const withArguments = Object.values(schema.getTypeMap())
    .filter((type): type is GraphQLObjectType => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => Object.values(type.getFields()).filter((field) => field.args.length).map((field) => `${type.name}.${field.name}`));
  expect(withArguments).toContain('ChatSession.messages');
  expect([...byField.keys()].sort()).toEqual(withArguments.sort());
  expect(requests.length).toBeGreaterThan(1000);
});

describe.each([...byField.keys()])('%s with malformed arguments', (field) => {
  it('answers every one with a client error code, within the budget, and /healthz still answers', async () => {
    const queue = [...byField.get(field)!];
    const faults: string[] = [];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let request = queue.shift(); request; request = queue.shift()) {
          const problem = fault(await send(request));
          if (problem) faults.push(`${request.label}: ${problem}`);
        }
      }),
    );
    expect(faults).toEqual([]);
    expect(await healthy()).toBe(true);
  });
});
