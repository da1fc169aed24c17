import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLlmProvider } from '../src/llm/index.ts';
import { createGroqProvider } from '../src/llm/groq.ts';
import { createOfflineProvider } from '../src/llm/offline.ts';
import { createOpenAiCompatibleProvider } from '../src/llm/openai-compatible.ts';
import { streamWithRetry } from '../src/llm/retry.ts';
import { LlmError, type StreamChunk, type StreamRequest, type Usage } from '../src/llm/types.ts';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.ts';

let fake: FakeLlmServer;
beforeAll(async () => {
  fake = await startFakeLlmServer();
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const quickRetries = { retries: 2, baseDelayMs: 1, maxDelayMs: 5 };

function groq(timeoutMs = 2000) {
  return createGroqProvider({ apiKey: 'test-key', baseUrl: fake.url, timeoutMs });
}

function ask(text: string, extra: Partial<StreamRequest> = {}): StreamRequest {
  return {
    model: 'llama-test',
    messages: [
      { role: 'system', content: 'You are a test bot.' },
      { role: 'user', content: text },
    ],
    temperature: 0.5,
    ...extra,
  };
}

/** Reads a stream to its end, keeping what arrived before any error. */
async function collect(stream: AsyncIterable<StreamChunk>) {
  const result: { text: string; textChunks: number; usage?: Usage; error?: LlmError } = { text: '', textChunks: 0 };
  try {
    for await (const chunk of stream) {
      if (chunk.type === 'usage') result.usage = chunk.usage;
      else {
        result.text += chunk.text;
        result.textChunks++;
      }
    }
  } catch (error) {
    if (!(error instanceof LlmError)) throw error;
    result.error = error;
  }
  return result;
}

describe('groq provider', () => {
  it('streams the reply token by token, then the usage Groq reports', async () => {
    fake.enqueue({ reply: 'Hello there, friend.', usage: { promptTokens: 12, completionTokens: 5 } });

    const result = await collect(groq().stream(ask('Hi', { maxTokens: 64 })));

    expect(result).toEqual({
      text: 'Hello there, friend.',
      textChunks: 3,
      usage: { promptTokens: 12, completionTokens: 5 },
    });
    const [request] = fake.requests;
    expect(request.path).toBe('/openai/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer test-key');
    expect(request.body).toMatchObject({
      model: 'llama-test',
      stream: true,
      temperature: 0.5,
      max_completion_tokens: 64,
      messages: ask('Hi').messages,
    });
  });

  it('estimates usage when the server reports none', async () => {
    fake.enqueue({ reply: 'Twelve chars', usage: null });

    const { usage } = await collect(groq().stream(ask('Hi')));

    expect(usage).toEqual({ promptTokens: Math.ceil('You are a test bot.Hi'.length / 4), completionTokens: 3 });
  });

  it('retries a rate limit and then delivers the whole reply', async () => {
    fake.enqueue({ status: 429, retryAfterSeconds: 0 }, { reply: 'Worth the wait.' });
    const retried: string[] = [];

    const result = await collect(
      streamWithRetry(groq(), ask('Hi'), { ...quickRetries, onRetry: (error) => retried.push(error.code) }),
    );

    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Worth the wait.');
    expect(retried).toEqual(['RATE_LIMITED']);
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up on a failing server after the retries, with PROVIDER_ERROR', async () => {
    fake.script({ status: 500 });

    const { error } = await collect(streamWithRetry(groq(), ask('Hi'), quickRetries));

    expect(error).toMatchObject({ code: 'PROVIDER_ERROR', retryable: true, status: 500 });
    expect(fake.requests).toHaveLength(3);
  });

  it.each([
    [401, 'AUTH'],
    [403, 'AUTH'],
    [400, 'BAD_REQUEST'],
  ] as const)('does not retry a %i: it fails at once with %s', async (status, code) => {
    fake.script({ status });

    const { error } = await collect(streamWithRetry(groq(), ask('Hi'), quickRetries));

    expect(error).toMatchObject({ code, retryable: false, status });
    expect(fake.requests).toHaveLength(1);
  });

  it('fails with CONNECTION when the connection drops mid-reply, without retrying after tokens were seen', async () => {
    fake.enqueue({ reply: 'one two three four five', disconnectAfterTokens: 2 });

    const result = await collect(streamWithRetry(groq(), ask('Hi'), quickRetries));

    expect(result.text).toBe('one two ');
    expect(result.error).toMatchObject({ code: 'CONNECTION', retryable: true });
    expect(fake.requests).toHaveLength(1);
  });

  it('treats a stream that ends without a finish_reason as cut off', async () => {
    fake.enqueue({ reply: 'half a', finishReason: null });

    const result = await collect(groq().stream(ask('Hi')));

    expect(result.text).toBe('half a');
    expect(result.error).toMatchObject({ code: 'CONNECTION' });
  });

  it('waits for a slow first token', async () => {
    fake.enqueue({ reply: 'Late but fine.', firstTokenDelayMs: 300, tokenDelayMs: 5 });

    const result = await collect(groq(1000).stream(ask('Hi')));

    expect(result.text).toBe('Late but fine.');
    expect(result.error).toBeUndefined();
  });

  it('times out a model that goes silent, and retries it', async () => {
    fake.enqueue({ hangAfterTokens: 0 }, { reply: 'Back again.' });

    const result = await collect(streamWithRetry(groq(150), ask('Hi'), quickRetries));

    expect(result.text).toBe('Back again.');
    expect(fake.requests[0].aborted).toBe(true);
    expect(fake.requests).toHaveLength(2);
  });

  it('reports TIMEOUT when the model stays silent', async () => {
    fake.enqueue({ hangAfterTokens: 0 });

    const { error } = await collect(groq(100).stream(ask('Hi')));

    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it("lists the models from Groq's models endpoint", async () => {
    expect(await groq().listModels()).toEqual(['fake-large', 'fake-small']);
  });

  it('reports a failed model listing as an LlmError', async () => {
    const provider = createGroqProvider({ apiKey: 'test-key', baseUrl: 'http://127.0.0.1:9', timeoutMs: 1000 });
    await expect(provider.listModels()).rejects.toMatchObject({ name: 'LlmError', code: 'CONNECTION' });
  });

  it('stops the HTTP request when the caller aborts', async () => {
    fake.enqueue({ reply: 'word '.repeat(200), tokenDelayMs: 20 });
    const controller = new AbortController();
    const startedAt = Date.now();
    let text = '';

    const reading = (async () => {
      for await (const chunk of groq().stream(ask('Hi', { signal: controller.signal }))) {
        if (chunk.type === 'text') text += chunk.text;
        if (text.length > 0) controller.abort();
      }
    })();

    await expect(reading).rejects.toMatchObject({ code: 'ABORTED', retryable: false });
    await fake.requests[0].done;
    expect(fake.requests[0].aborted).toBe(true);
    expect(text).toBe('word ');
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it('stops waiting between retries when the caller aborts', async () => {
    fake.script({ status: 503 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const startedAt = Date.now();

    const { error } = await collect(
      streamWithRetry(groq(), ask('Hi', { signal: controller.signal }), { baseDelayMs: 10_000 }),
    );

    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });
});

describe('openai-compatible provider', () => {
  it('streams from /v1 with include_usage, and a placeholder key when none is configured', async () => {
    fake.enqueue({ reply: 'From a local model.', usage: { promptTokens: 7, completionTokens: 4 } });
    const provider = createOpenAiCompatibleProvider({ baseUrl: fake.openaiBaseUrl, timeoutMs: 2000 });

    const result = await collect(provider.stream(ask('Hi', { maxTokens: 32 })));

    expect(result).toEqual({
      text: 'From a local model.',
      textChunks: 4,
      usage: { promptTokens: 7, completionTokens: 4 },
    });
    const [request] = fake.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer not-needed');
    expect(request.body).toMatchObject({ stream_options: { include_usage: true }, max_tokens: 32 });
  });

  it('lists the models the server offers, sorted, and sends top_p when the bot sets it', async () => {
    fake.models.splice(0, fake.models.length, 'qwen3', 'llama3.2');
    const provider = createOpenAiCompatibleProvider({ baseUrl: fake.openaiBaseUrl, timeoutMs: 2000 });
    expect(await provider.listModels()).toEqual(['llama3.2', 'qwen3']);
    await collect(provider.stream(ask('Hi', { topP: 0.9 })));
    expect(fake.requests[0].body.top_p).toBe(0.9);
  });

  it('maps errors the same way as groq', async () => {
    fake.enqueue({ status: 429 });
    const provider = createOpenAiCompatibleProvider({ baseUrl: fake.openaiBaseUrl, apiKey: 'k', timeoutMs: 2000 });

    const { error } = await collect(provider.stream(ask('Hi')));

    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryable: true, status: 429 });
  });
});

describe('offline provider', () => {
  const offline = createOfflineProvider({ chunkDelayMs: 0 });
  const reply = async (botName: string | undefined, text = 'How do I reset my password?') =>
    (await collect(offline.stream(ask(text, { botName })))).text;

  it('offers one model: itself', async () => {
    expect(await offline.listModels()).toEqual(['offline']);
  });

  it('gives the same reply to the same message', async () => {
    expect(await reply('Support')).toBe(await reply('Support'));
  });

  it('says plainly that no model is configured and how to configure one', async () => {
    const text = await reply('Support');

    expect(text.startsWith('(offline mode)')).toBe(true);
    expect(text).toContain('no language model is configured');
    expect(text).toContain('GROQ_API_KEY');
    expect(text).toContain('OPENAI_BASE_URL');
    expect(text).toContain('“How do I reset my password?”');
  });

  it("answers in each bot's own voice", async () => {
    const replies = await Promise.all(['Support', 'Tutor', 'Fun', 'Someone else', undefined].map((bot) => reply(bot)));

    expect(new Set(replies).size).toBe(4);
    expect(replies[3]).toBe(replies[4]);
  });

  it('shortens a long message it refers to', async () => {
    const text = await reply(undefined, 'a '.repeat(200));

    expect(text).toContain('…”');
    expect(text.length).toBeLessThan(400);
  });

  it('streams word-sized chunks with estimated usage', async () => {
    const result = await collect(offline.stream(ask('Hi', { botName: 'Tutor' })));

    expect(result.textChunks).toBe(result.text.split(' ').length);
    expect(result.usage).toEqual({
      promptTokens: Math.ceil('You are a test bot.Hi'.length / 4),
      completionTokens: Math.ceil(result.text.length / 4),
    });
  });

  it('stops promptly when aborted', async () => {
    const slow = createOfflineProvider({ chunkDelayMs: 1000 });
    const controller = new AbortController();
    const startedAt = Date.now();
    setTimeout(() => controller.abort(), 20);

    const result = await collect(slow.stream(ask('Hi', { signal: controller.signal })));

    expect(result.text).toBe('(offline ');
    expect(result.error).toMatchObject({ code: 'ABORTED' });
    expect(Date.now() - startedAt).toBeLessThan(500);
  });
});

describe('createLlmProvider', () => {
  const common = { requestTimeoutMs: 1000, offlineChunkDelayMs: 0 };

  it('builds the configured provider', () => {
    expect(createLlmProvider({ ...common, provider: 'offline' }).name).toBe('offline');
    expect(createLlmProvider({ ...common, provider: 'groq', groqApiKey: 'k' }).name).toBe('groq');
    expect(
      createLlmProvider({ ...common, provider: 'openai-compatible', openaiBaseUrl: fake.openaiBaseUrl }).name,
    ).toBe('openai-compatible');
  });

  it('refuses groq without a key', () => {
    expect(() => createLlmProvider({ ...common, provider: 'groq' })).toThrow(/GROQ_API_KEY/);
  });
});
