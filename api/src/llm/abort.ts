import { setTimeout as delay } from 'node:timers/promises';
import { LlmError } from './types.ts';

export function abortedError(): LlmError {
  return new LlmError('ABORTED', 'the request was cancelled', false);
}

/** Waits `ms`, or rejects with ABORTED as soon as `signal` aborts. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return delay(ms, undefined, { signal }).catch(() => {
    throw abortedError();
  });
}
