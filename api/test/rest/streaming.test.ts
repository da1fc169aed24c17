// Replies streamed to REST clients as Server-Sent Events, from groq-sdk talking to the local fake
// chat-completions server: `delta` events, then `done` with the stored message.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../support/api-server.ts';
import { type FakeLlmServer, startFakeLlmServer } from '../support/fake-llm-server.ts';
import { parseSse, type RestClient, type RestUser, registerRestUser, restClient } from './client.ts';

let fake: FakeLlmServer;
let server: ApiServer;
let api: RestClient;
let user: RestUser;
let botId: string;

beforeAll(async () => {
  fake = await startFakeLlmServer();
  server = await startApiServer({
    env: { LLM_PROVIDER: 'groq', GROQ_API_KEY: 'test-key', GROQ_BASE_URL: fake.url, LLM_RETRIES: '0', STREAM_FLUSH_MS: '20', LLM_TIMEOUT_MS: '3000' },
  });
  api = await restClient(server.origin);
  user = await registerRestUser(api);
  botId = (await api.call('GET', '/bots', { token: user.token })).body[0].id;
});
afterAll(async () => {
  await server?.stop();
  await fake?.close();
});
beforeEach(() => fake.reset());

async function newSession(): Promise<string> {
  const sessionId = randomUUID();
  await api.call('POST', '/sessions', { token: user.token, json: { bot_id: botId, session_id: sessionId } });
  return sessionId;
}

const stream = (sessionId: string, body: Record<string, unknown>) =>
  api.call('POST', `/sessions/${sessionId}/messages`, { token: user.token, json: body, headers: { accept: 'text/event-stream' } });

describe('POST /sessions/{session_id}/messages with Accept: text/event-stream', () => {
  it('streams the reply as delta events, then done with the stored message', async () => {
    fake.enqueue({ reply: 'Streaming replies arrive piece by piece over SSE.', tokenDelayMs: 30 });
    const sessionId = await newSession();
    const response = await stream(sessionId, { message: 'Stream to me' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseSse(response.body);
    const deltas = events.filter((e) => e.event === 'delta');
    expect(deltas.length).toBeGreaterThan(2);
    expect(events.at(-1)!.event).toBe('done');
    expect(events.map((e) => e.event)).toEqual([...deltas.map(() => 'delta'), 'done']);
    for (const { data } of deltas) api.assertSchema('Delta', data);
    expect(deltas.map((d) => d.data.seq)).toEqual([...deltas.map((d) => d.data.seq)].sort((x, y) => x - y));

    const done = events.at(-1)!.data;
    api.assertSchema('Message', done);
    expect(done).toMatchObject({ role: 'bot', status: 'complete', text: 'Streaming replies arrive piece by piece over SSE.', latency_ms: expect.any(Number) });
    expect(deltas.map((d) => d.data.text).join('')).toBe(done.text);
    const history = await api.call('GET', `/sessions/${sessionId}/messages`, { token: user.token });
    expect(history.body.at(-1)).toEqual(done);
  });

  it('a reply that fails ends with done holding the failed message and its error code', async () => {
    fake.enqueue({ status: 500 });
    const events = parseSse((await stream(await newSession(), { message: 'This will fail' })).body);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(done.data).toMatchObject({ role: 'bot', status: 'failed', error_code: expect.any(String) });
  });

  it('the same client_message_id again streams the stored reply whole, without asking the model twice', async () => {
    fake.enqueue({ reply: 'Asked once.' });
    const sessionId = await newSession();
    const first = parseSse((await stream(sessionId, { message: 'Once', client_message_id: 'm-1' })).body);
    const again = parseSse((await stream(sessionId, { message: 'Once', client_message_id: 'm-1' })).body);
    expect(again.map((e) => e.event)).toEqual(['delta', 'done']);
    expect(again[0].data.text).toBe('Asked once.');
    expect(again[1].data).toEqual(first.at(-1)!.data);
    expect(fake.requests).toHaveLength(1);
  });

  it('a client that leaves mid-stream does not stop the reply: it is stored whole', async () => {
    fake.enqueue({ reply: 'one two three four five six seven eight', tokenDelayMs: 40 });
    const sessionId = await newSession();
    const controller = new AbortController();
    const response = await fetch(`${server.origin}/sessions/${sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'Leave early' }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read(); // the first delta
    controller.abort();
    let last: any;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      last = (await api.call('GET', `/sessions/${sessionId}/messages`, { token: user.token })).body.at(-1);
      if (last.status !== 'streaming') break;
    }
    expect(last).toMatchObject({ status: 'complete', text: 'one two three four five six seven eight' });
  });

  it('deleting the session mid-stream ends the stream with an error event', async () => {
    fake.enqueue({ reply: 'one two three four five six seven eight nine ten', tokenDelayMs: 100 });
    const sessionId = await newSession();
    const response = await fetch(`${server.origin}/sessions/${sessionId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'Delete me' }),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = (await reader.read()).value!;
    expect((await api.call('DELETE', `/sessions/${sessionId}`, { token: user.token })).status).toBe(204);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    const last = parseSse(text).at(-1)!;
    expect(last.event).toBe('error');
    api.assertSchema('Error', last.data);
  });

  it('without the Accept header the same request waits and answers the pair as JSON', async () => {
    fake.enqueue({ status: 500 });
    const sent = await api.call('POST', `/sessions/${await newSession()}/messages`, { token: user.token, json: { message: 'Wait for it' } });
    expect(sent.status).toBe(200);
    expect(sent.body[1]).toMatchObject({ role: 'bot', status: 'failed', error_code: expect.any(String) });
  });
});
