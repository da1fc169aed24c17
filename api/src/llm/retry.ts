import { sleepUnlessAborted } from './abort.ts';
import { LlmError, type LlmProvider, type StreamChunk, type StreamRequest } from './types.ts';

export interface RetryOptions {
  /** Further attempts after the first. */
  retries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each backoff, e.g. for logs and metrics. */
  onRetry?: (error: LlmError, attempt: number, delayMs: number) => void;
}

/**
 * Streams from the provider, retrying retryable failures with exponential backoff and jitter.
 * Only while no text has been yielded: once the user has seen tokens, a retry would repeat or
 * contradict them, so later errors propagate.
 */
export async function* streamWithRetry(
  provider: LlmProvider,
  request: StreamRequest,
  { retries = 3, baseDelayMs = 250, maxDelayMs = 4000, onRetry }: RetryOptions = {},
): AsyncGenerator<StreamChunk> {
  let textYielded = false;
  for (let attempt = 1; ; attempt++) {
    try {
      for await (const chunk of provider.stream(request)) {
        if (chunk.type === 'text') textYielded = true;
        yield chunk;
      }
      return;
    } catch (error) {
      if (!(error instanceof LlmError) || !error.retryable || textYielded || attempt > retries) throw error;
      const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      // Half fixed, half random: keeps a minimum pause while spreading out clients that failed together.
      const delayMs = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
      onRetry?.(error, attempt, delayMs);
      await sleepUnlessAborted(delayMs, request.signal);
    }
  }
}
