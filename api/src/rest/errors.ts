// REST errors are `{ "detail": "…" }` with a status, translated from the services' coded errors,
// so REST and GraphQL refuse the same things for the same reasons.
import { GraphQLError } from 'graphql';
import type { ErrorCode } from '../errors.ts';

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

const STATUS_OF: Record<ErrorCode, number> = {
  BAD_USER_INPUT: 422,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  QUERY_TOO_COMPLEX: 400,
  UNAVAILABLE: 503,
};

/** The REST form of an error the services meant for clients, or null for anything unexpected. */
export function restErrorOf(error: unknown): RestError | null {
  if (error instanceof RestError) return error;
  if (!(error instanceof GraphQLError)) return null;
  const code = error.extensions?.code as ErrorCode | undefined;
  const status = code && STATUS_OF[code];
  if (!status) return null;
  const headers: Record<string, string> = {};
  // OAuth 2.0 bearer usage (RFC 6750): a refused token names the scheme to use.
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  if (status === 429) headers['retry-after'] = String(error.extensions.retryAfter ?? 1);
  return new RestError(status, error.message, headers);
}
