// Every failure the SDK reports is an MbcError; the subclass is chosen by the API's extensions.code,
// so callers branch with `instanceof` instead of parsing messages.
import type { CombinedError } from '@urql/core';

/** Options every SDK error accepts. */
export interface MbcErrorOptions {
  /** The API's `extensions.code`, or the SDK's own code (NETWORK_ERROR, ABORTED, …). */
  code?: string;
  /** The underlying error (a failed fetch, the GraphQL error, the abort reason). */
  cause?: unknown;
  /** The server's request id for an unexpected error: quote it when reporting a problem. */
  requestId?: string;
  /** The HTTP status, when the failure came with one. */
  status?: number;
}

/**
 * Base class of every error the SDK throws or yields.
 *
 * @example
 * ```ts
 * try { await chat.bots.get(id); }
 * catch (error) {
 *   if (error instanceof NotFoundError) showGone();
 *   else if (error instanceof MbcError) showToast(error.message);
 *   else throw error;
 * }
 * ```
 */
export class MbcError extends Error {
  override name = 'MbcError';
  /** The API's `extensions.code` (e.g. NOT_FOUND) or the SDK's own (NETWORK_ERROR, ABORTED, …). */
  readonly code: string;
  /** The server's request id, present on unexpected server errors. */
  readonly requestId: string | undefined;
  /** The HTTP status, when the failure came with one. */
  readonly status: number | undefined;

  constructor(message: string, options: MbcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code ?? 'UNKNOWN';
    this.requestId = options.requestId;
    this.status = options.status;
  }
}

/**
 * The input was rejected (`BAD_USER_INPUT`): an empty message, a short password, a temperature out
 * of range… `field` names the offending argument so a form can mark it.
 */
export class ValidationError extends MbcError {
  override name = 'ValidationError';
  /** The argument or input field at fault (e.g. `email`, `text`, `temperature`), when the API named one. */
  readonly field: string | undefined;

  constructor(message: string, options: MbcErrorOptions & { field?: string } = {}) {
    super(message, { code: 'BAD_USER_INPUT', ...options });
    this.field = options.field;
  }
}

/**
 * Not signed in, the session expired (`UNAUTHENTICATED`; the SDK has already tried one refresh), wrong
 * credentials, or not allowed (`FORBIDDEN`, e.g. editing a system bot). Check `code` to tell them apart.
 */
export class AuthError extends MbcError {
  override name = 'AuthError';
}

/** The object does not exist, or belongs to someone else (`NOT_FOUND`). */
export class NotFoundError extends MbcError {
  override name = 'NotFoundError';
}

/** The request conflicts with existing data (`CONFLICT`), e.g. an email that is already registered. */
export class ConflictError extends MbcError {
  override name = 'ConflictError';
  /** The conflicting field (e.g. `email`), when the API named one. */
  readonly field: string | undefined;

  constructor(message: string, options: MbcErrorOptions & { field?: string } = {}) {
    super(message, { code: 'CONFLICT', ...options });
    this.field = options.field;
  }
}

/** Too many requests (`RATE_LIMITED`); try again after `retryAfter` seconds. */
export class RateLimitError extends MbcError {
  override name = 'RateLimitError';
  /** Seconds to wait before trying again, when the API said. */
  readonly retryAfter: number | undefined;

  constructor(message: string, options: MbcErrorOptions & { retryAfter?: number } = {}) {
    super(message, { code: 'RATE_LIMITED', ...options });
    this.retryAfter = options.retryAfter;
  }
}

/**
 * The API could not be reached, or the connection broke (and, for streams, reconnecting failed as
 * many times as `reconnect.attempts` allows). Safe to retry: sends are idempotent.
 */
export class NetworkError extends MbcError {
  override name = 'NetworkError';

  constructor(message: string, options: MbcErrorOptions = {}) {
    super(message, { code: 'NETWORK_ERROR', ...options });
  }
}

/**
 * The API failed unexpectedly (`INTERNAL_SERVER_ERROR`; `requestId` identifies it in the server's
 * logs), answered with an HTTP error, or sent something this SDK version does not understand.
 */
export class ServerError extends MbcError {
  override name = 'ServerError';
}

/** The operation was stopped through its `AbortSignal`; `cause` is the signal's reason. */
export class AbortError extends MbcError {
  override name = 'AbortError';

  constructor(reason?: unknown) {
    super('The operation was aborted.', { code: 'ABORTED', cause: reason });
  }
}

/**
 * A bot reply ended with status FAILED (what `reply.done` rejects with after a `failed` event).
 * `code` is the reply's stable error code (PROVIDER_ERROR, RATE_LIMITED, TIMEOUT, INTERRUPTED, …).
 */
export class ReplyFailedError extends MbcError {
  override name = 'ReplyFailedError';
  /** The id of the failed bot message; `messages.retry(messageId)` generates it again. */
  readonly messageId: string;

  constructor(message: string, options: MbcErrorOptions & { messageId: string }) {
    super(message, options);
    this.messageId = options.messageId;
  }
}

/** The shape of a GraphQL error as it arrives over the wire. */
export interface GraphQLErrorLike {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}

/** Chooses the error class by `extensions.code`. */
export function fromGraphQLError(error: GraphQLErrorLike, status?: number): MbcError {
  const extensions = error.extensions ?? {};
  const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
  const field = typeof extensions.field === 'string' ? extensions.field : undefined;
  const requestId = typeof extensions.requestId === 'string' ? extensions.requestId : undefined;
  const options = { code, cause: error, requestId, status };
  switch (code) {
    case 'BAD_USER_INPUT':
      return new ValidationError(error.message, { ...options, field });
    case 'UNAUTHENTICATED':
    case 'FORBIDDEN':
      return new AuthError(error.message, options);
    case 'NOT_FOUND':
      return new NotFoundError(error.message, options);
    case 'CONFLICT':
      return new ConflictError(error.message, { ...options, field });
    case 'RATE_LIMITED':
      return new RateLimitError(error.message, { ...options, retryAfter: finiteOrUndefined(extensions.retryAfter) });
    default:
      return new ServerError(error.message, options);
  }
}

/** Turns urql's CombinedError into the SDK's hierarchy: GraphQL errors by code, then HTTP and network failures. */
export function fromCombinedError(error: CombinedError): MbcError {
  const response = error.response as Response | undefined;
  const status = typeof response?.status === 'number' ? response.status : undefined;
  const first = error.graphQLErrors[0];
  if (first) return fromGraphQLError(first, status);
  if (status === 429) {
    return new RateLimitError('Too many requests.', { status, retryAfter: finiteOrUndefined(response?.headers?.get?.('retry-after')) });
  }
  if (status !== undefined && status >= 400) {
    return new ServerError(`The API answered HTTP ${status}.`, { code: 'HTTP_ERROR', status, cause: error.networkError });
  }
  const cause = error.networkError ?? error;
  const detail = cause instanceof Error && cause.message ? `: ${cause.message}` : '';
  return new NetworkError(`Could not reach the API${detail}`, { cause });
}

/** Seconds to wait, from an extension or a header; undefined when it is not a number. */
function finiteOrUndefined(value: unknown): number | undefined {
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Anything thrown, as an MbcError: an unexpected failure counts as a network problem (the caller may retry). */
export function asMbcError(error: unknown): MbcError {
  return error instanceof MbcError ? error : new NetworkError(error instanceof Error ? error.message : String(error), { cause: error });
}
