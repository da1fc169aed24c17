// The one interface every language-model provider implements.

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface StreamRequest {
  model: string;
  messages: ChatTurn[];
  temperature: number;
  /** Nucleus sampling; left to the provider when undefined. */
  topP?: number;
  maxTokens?: number;
  /** The bot's display name; the offline provider answers in its voice. Model providers ignore it. */
  botName?: string;
  /** Aborting stops the provider request: the model stops generating. */
  signal?: AbortSignal;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** What a provider stream yields: text chunks as they arrive, then usage once at the end. */
export type StreamChunk = { type: 'text'; text: string } | { type: 'usage'; usage: Usage };

export interface LlmProvider {
  /** 'groq' | 'openai-compatible' | 'offline' */
  readonly name: string;
  stream(request: StreamRequest): AsyncIterable<StreamChunk>;
  /** The ids of the models this provider offers (throws LlmError when it cannot say). */
  listModels(signal?: AbortSignal): Promise<string[]>;
}

/**
 * A provider failure with a stable code. `retryable` errors (429, 5xx, connection reset, timeout)
 * are retried with backoff while no token has arrived yet.
 */
export class LlmError extends Error {
  constructor(
    readonly code: 'RATE_LIMITED' | 'PROVIDER_ERROR' | 'TIMEOUT' | 'CONNECTION' | 'BAD_REQUEST' | 'AUTH' | 'ABORTED',
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}
