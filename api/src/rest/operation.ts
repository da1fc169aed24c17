// What one REST operation is: its method and path, the schemas of what it reads and answers, and
// its handler. The router serves operations and the OpenAPI document describes the same objects,
// so the document cannot list a path, a field or a status the code does not have.
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import type { RestRequest } from './request.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A status and a body; undefined when the handler wrote the response itself (a stream). */
export type Reply = { status: number; body?: unknown } | undefined;

export interface Operation<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: Method;
  /** An OpenAPI path template: /sessions/{session_id}/messages. */
  path: string;
  tag: 'Auth' | 'Bots' | 'Sessions' | 'Messages';
  summary: string;
  description?: string;
  /** Needs "Authorization: Bearer <access_token>". */
  auth: boolean;
  body?: { schema: B; form?: boolean };
  query?: Q;
  /** Success statuses. `stream`: the same status also answers `Accept: text/event-stream`. */
  responses: Record<number, { description: string; schema?: z.ZodType; stream?: string }>;
  /** Error statuses besides those that follow from the above (401, 400/413/415/422 for bodies, 404 for path ids), and why. */
  errors?: Record<number, string>;
  /** `viewer`: the signed-in user, checked before the body is read (set when `auth` is true). */
  handle(rest: RestRequest, input: { viewer: Viewer; body: z.output<B>; query: z.output<Q> }): Promise<Reply>;
}

/** Declares an operation; the type parameters tie the handler's input to the declared schemas. */
export function operation<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined>(
  spec: Operation<B, Q>,
): Operation {
  return spec as unknown as Operation;
}

/** Named schemas: they become components/schemas in the OpenAPI document and are referenced by name. */
export const components = z.registry<{ id: string; description?: string }>();

export function named<S extends z.ZodType>(id: string, schema: S, description?: string): S {
  components.add(schema, { id, description });
  return schema;
}

export const ErrorBody = named(
  'Error',
  z.strictObject({ detail: z.string().describe('What went wrong, for people: safe to show.') }),
  'Every error response: a 4xx or 5xx status with this body.',
);

/** Dates as the API writes them: ISO-8601 in UTC. */
export const timestamp = () => z.iso.datetime();
