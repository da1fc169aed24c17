import { createGroqProvider } from './groq.ts';
import { createOfflineProvider } from './offline.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible.ts';
import type { Config } from '../config.ts';
import type { LlmProvider } from './types.ts';

export * from './types.ts';
export { streamWithRetry, type RetryOptions } from './retry.ts';


/** The part of the LLM configuration that chooses and connects the provider. */
type ProviderConfig = Pick<
  Config['llm'],
  'provider' | 'groqApiKey' | 'groqBaseUrl' | 'openaiBaseUrl' | 'openaiApiKey' | 'requestTimeoutMs' | 'offlineChunkDelayMs'
>;

export function createLlmProvider(config: ProviderConfig): LlmProvider {
  switch (config.provider) {
    case 'groq':
      if (!config.groqApiKey) throw new Error('the groq provider needs GROQ_API_KEY');
      return createGroqProvider({
        apiKey: config.groqApiKey,
        baseUrl: config.groqBaseUrl,
        timeoutMs: config.requestTimeoutMs,
      });
    case 'openai-compatible':
      if (!config.openaiBaseUrl) throw new Error('the openai-compatible provider needs OPENAI_BASE_URL');
      return createOpenAiCompatibleProvider({
        baseUrl: config.openaiBaseUrl,
        apiKey: config.openaiApiKey,
        timeoutMs: config.requestTimeoutMs,
      });
    case 'offline':
      return createOfflineProvider({ chunkDelayMs: config.offlineChunkDelayMs });
  }
}
