import Groq from 'groq-sdk';
import { createChatCompletionsProvider } from './chat-completions.ts';
import type { LlmProvider } from './types.ts';

export interface GroqProviderOptions {
  apiKey: string;
  /** Another Groq endpoint, or the fake LLM server in tests. */
  baseUrl?: string;
  timeoutMs: number;
}

export function createGroqProvider({ apiKey, baseUrl, timeoutMs }: GroqProviderOptions): LlmProvider {
  // maxRetries 0: streamWithRetry retries, and only until the first token.
  const client = new Groq({ apiKey, baseURL: baseUrl, timeout: timeoutMs, maxRetries: 0 });
  return createChatCompletionsProvider({
    name: 'groq',
    errors: Groq,
    timeoutMs,
    // Groq reports usage in x_groq on the last chunk, without stream_options.
    open: ({ model, messages, temperature, topP, maxTokens }, signal) =>
      client.chat.completions.create(
        { model, messages, temperature, top_p: topP, max_completion_tokens: maxTokens, stream: true },
        { signal },
      ).asResponse(), // raw response: the body is parsed by completionChunks
    models: async (signal) => (await client.models.list({ signal })).data.map((model) => model.id),
  });
}
