import { createGroqProvider } from './groq.ts';
import { createOfflineProvider } from './offline.ts';
import { createOpenAiCompatibleProvider } from './openai-compatible.ts';
import type { LlmProvider } from './types.ts';

export * from './types.ts';
export { streamWithRetry, type RetryOptions } from './retry.ts';

export interface LlmConfig {
  provider: 'groq' | 'openai-compatible' | 'offline';
  groqApiKey?: string;
  groqBaseUrl?: string;
  openaiBaseUrl?: string;
  openaiApiKey?: string;
  requestTimeoutMs: number;
  offlineChunkDelayMs: number;
}

export function createLlmProvider(config: LlmConfig): LlmProvider {
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
