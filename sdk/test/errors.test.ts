// How API and transport failures become the SDK's error classes (pure mapping; the same classes
// produced by a real server are checked in api-errors.test.ts).
import { CombinedError } from '@urql/core';
import { describe, expect, test } from 'vitest';
import {
  AuthError,
  ConflictError,
  MbcError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../src';
import { fromCombinedError, fromGraphQLError } from '../src/errors';

describe('an API error becomes the class its code names', () => {
  test.each([
    ['BAD_USER_INPUT', ValidationError],
    ['UNAUTHENTICATED', AuthError],
    ['FORBIDDEN', AuthError],
    ['NOT_FOUND', NotFoundError],
    ['CONFLICT', ConflictError],
    ['RATE_LIMITED', RateLimitError],
    ['INTERNAL_SERVER_ERROR', ServerError],
    ['SOMETHING_NEW', ServerError],
  ])('%s → %o', (code, Class) => {
    const error = fromGraphQLError({ message: 'nope', extensions: { code } });
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(MbcError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.message).toBe('nope');
    expect(error.name).toBe(Class.name);
  });

  test('a validation error names the field', () => {
    const error = fromGraphQLError({ message: 'Too short.', extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('password');
  });

  test('a rate limit says when to retry', () => {
    const error = fromGraphQLError({ message: 'Slow down.', extensions: { code: 'RATE_LIMITED', retryAfter: 42 } });
    expect((error as RateLimitError).retryAfter).toBe(42);
  });

  test('a masked server error keeps the request id', () => {
    const error = fromGraphQLError({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-1' } });
    expect(error.requestId).toBe('req-1');
  });

  test('an error without a code is a server error', () => {
    expect(fromGraphQLError({ message: 'odd' })).toBeInstanceOf(ServerError);
  });
});

describe('transport failures', () => {
  test('an unreachable API is a network error, with the cause kept', () => {
    const cause = new TypeError('fetch failed');
    const error = fromCombinedError(new CombinedError({ networkError: cause }));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.cause).toBe(cause);
  });

  test('an HTTP 5xx without GraphQL errors is a server error with the status', () => {
    const response = new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' });
    const error = fromCombinedError(new CombinedError({ networkError: new Error('Bad Gateway'), response }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(502);
  });

  test('an HTTP 429 is a rate limit with Retry-After', () => {
    const response = new Response('', { status: 429, headers: { 'retry-after': '7' } });
    const error = fromCombinedError(new CombinedError({ networkError: new Error('Too Many Requests'), response }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfter).toBe(7);
  });

  test('GraphQL errors win over the HTTP status', () => {
    const response = new Response('', { status: 400 });
    const error = fromCombinedError(
      new CombinedError({ graphQLErrors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT', field: 'text' } }], response }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(400);
  });
});
