// One REST request as the handlers see it: path parameters, the query, body readers and the viewer.
// Everything a client can get wrong here is a RestError with a 4xx status, never an exception the
// router would have to report as a 500.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { App } from '../app.ts';
import { viewerFromRequest, type Viewer } from '../auth/viewer.ts';
import { unauthenticated } from '../errors.ts';
import { readBodyWithin } from '../http/request-body.ts';
import { isUnstorable } from '../http/unstorable.ts';
import { RestError } from './errors.ts';

export interface RestRequest {
  app: App;
  req: IncomingMessage;
  res: ServerResponse;
  /** Path parameters, decoded ("/bots/{id}" gives `id`). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The headers and URL as a WHATWG Request: what auth/viewer.ts and origins.ts read, as for GraphQL. */
  request: Request;
  /** The client's address, which the per-IP rate limits key on. */
  ip: string;
}

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The signed-in user; 401 without a valid bearer token. */
export async function requireViewer(rest: RestRequest): Promise<Viewer> {
  const { viewer, authError } = await viewerFromRequest(rest.app.config.auth, rest.app.directReader, rest.request);
  if (authError) throw authError;
  if (!viewer) throw unauthenticated('Send "Authorization: Bearer <access_token>" (from /auth/login or /auth/register).');
  return viewer;
}

/** The JSON body, checked against the operation's schema (unknown fields are refused, not ignored). */
export async function readJson<S extends z.ZodType>(rest: RestRequest, schema: S): Promise<z.output<S>> {
  const body = await readBody(rest, JSON_TYPE);
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RestError(400, body.length ? 'The body is not valid JSON.' : 'The body is empty: send a JSON object.');
  }
  const unstorable = unstorableField(value, '');
  if (unstorable !== null) throw new RestError(422, `${unstorable || 'The body'} holds a NUL character or a lone UTF-16 surrogate, which cannot be stored.`);
  return parseWith(schema, value);
}

/** A form-encoded body (the OAuth 2.0 password grant). Malformed UTF-8 decodes to U+FFFD, which is storable. */
export async function readForm<S extends z.ZodType>(rest: RestRequest, schema: S): Promise<z.output<S>> {
  const body = await readBody(rest, FORM_TYPE);
  const fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  if (unstorableField(fields, '') !== null) throw new RestError(422, 'The form holds a NUL character, which cannot be stored.');
  return parseWith(schema, fields);
}

/** The query string, checked against the operation's schema. */
export function readQuery<S extends z.ZodType>(rest: RestRequest, schema: S): z.output<S> {
  const fields = Object.fromEntries(rest.query);
  const unstorable = unstorableField(fields, '');
  if (unstorable !== null) throw new RestError(422, `${unstorable || 'The query'} holds a NUL character, which cannot be stored.`);
  return parseWith(schema, fields);
}

export const isStorable = (value: string) => !isUnstorable(value);

/** The first failed rule as "field: message", 422 (the status FastAPI-style clients expect for it). */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.join('.');
  throw new RestError(422, field ? `${field}: ${issue.message}` : issue.message);
}

async function readBody(rest: RestRequest, expectedType: string): Promise<Buffer> {
  const { req, app } = rest;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== expectedType) {
    throw new RestError(415, `Send the body as ${expectedType}${mediaType ? `, not ${mediaType}` : ''}.`);
  }
  const body = await readBodyWithin(req, app.config.http.maxRequestBytes);
  if (!body) throw new RestError(413, `The request is larger than ${app.config.http.maxRequestBytes} bytes.`, { connection: 'close' });
  return body;
}

/** The path ("settings.x", "" for the whole body) of an unstorable string or key in a parsed body, or null. */
function unstorableField(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isUnstorable(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = isUnstorable(key) ? path : unstorableField(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}
