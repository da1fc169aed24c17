// Errors clients are meant to see: a stable code in extensions.code. Anything else is masked.
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'QUERY_TOO_COMPLEX'
  /** A service we depend on (the language-model provider) cannot answer now; trying later may work. */
  | 'UNAVAILABLE';

export function clientError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (field: string, message: string) => clientError('BAD_USER_INPUT', message, { field });
export const unauthenticated = (message = 'Sign in to do this.') => clientError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You are not allowed to do this.') => clientError('FORBIDDEN', message);
/** The same answer whether the object is missing or belongs to someone else. */
export const notFound = (what: string) => clientError('NOT_FOUND', `${what} not found.`);
export const conflict = (field: string, message: string) => clientError('CONFLICT', message, { field });
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests. Try again later.') =>
  clientError('RATE_LIMITED', message, { retryAfter: retryAfterSeconds });
/** A daily quota used up: unlike RATE_LIMITED, waiting a moment does not help; it resets at `resetsAt`. */
export const quotaExceeded = (quota: 'messages' | 'tokens', resetsAt: Date) =>
  clientError(
    'QUOTA_EXCEEDED',
    `You have reached today's ${quota === 'messages' ? 'message' : 'token'} limit. It resets at ${resetsAt.toISOString().slice(11, 16)} UTC.`,
    { quota, resetsAt: resetsAt.toISOString() },
  );
