import OpenAI from 'openai';
import { createChatCompletionsProvider } from './chat-completions.ts';
import type { LlmProvider } from './types.ts';

export interface OpenAiCompatibleProviderOptions {
  /** Including the version path, e.g. http://localhost:11434/v1 for Ollama. */
  baseUrl: string;
  /** Local servers (Ollama, vLLM, LM Studio) accept any key. */
  apiKey?: string;
  timeoutMs: number;
}

export function createOpenAiCompatibleProvider({
  baseUrl,
  apiKey,
  timeoutMs,
}: OpenAiCompatibleProviderOptions): LlmProvider {
  // maxRetries 0: streamWithRetry retries, and only until the first token.
  const client = new OpenAI({ baseURL: baseUrl, apiKey: apiKey || 'not-needed', timeout: timeoutMs, maxRetries: 0 });
  return createChatCompletionsProvider({
    name: 'openai-compatible',
    errors: OpenAI,
    timeoutMs,
    // max_tokens rather than max_completion_tokens: the one every compatible server knows.
    open: ({ model, messages, temperature, topP, maxTokens }, signal) =>
      client.chat.completions.create(
        { model, messages, temperature, top_p: topP, max_tokens: maxTokens, stream: true, stream_options: { include_usage: true } },
        { signal },
      ).asResponse(), // raw response: the body is parsed by completionChunks
    models: async (signal) => {
      const ids: string[] = [];
      for await (const model of client.models.list({ signal })) ids.push(model.id); // every page
      return ids;
    },
  });
}
