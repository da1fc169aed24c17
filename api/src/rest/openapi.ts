// The OpenAPI 3.1 document, generated from the operations the router serves and the zod schemas
// their handlers parse with and answer in: nothing here is written twice.
import { z } from 'zod';
import { components, type Operation } from './operation.ts';

type JsonSchema = Record<string, unknown>;

const uri = (id: string) => `#/components/schemas/${id}`;

/** What the statuses every operation of a kind can answer mean; operations describe their own others. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'The body is not JSON.',
  401: 'No valid bearer token (missing, expired, or its sign-in ended).',
  404: "Not found. Another user's object is answered exactly like a missing one.",
  413: 'The body is larger than the server accepts.',
  415: 'The body is not sent in the content type this operation takes.',
  422: 'A field is missing, unknown, of the wrong type or outside its rules; `detail` names it.',
};
const RETRY_AFTER = ' Retry after the seconds in the Retry-After header.';

const DESCRIPTION = `The REST contract of multi-bot-chat: a thin layer over the same services as the GraphQL API at /graphql.

**Sign-in.** \`POST /auth/register\` or \`POST /auth/login\` answer an \`access_token\`; send it as \`Authorization: Bearer <access_token>\`. It is the same token GraphQL takes.

**Ids** are the server's database ids (e.g. \`cm4x0k2ab0000qz8h3f1c2d3e\`): URL-safe strings. GraphQL's global ids are these ids wrapped: \`base64("Bot:" + id)\`, \`base64("ChatSession:" + id)\`, \`base64("Message:" + id)\`.

**Sessions** are addressed by the \`session_id\` the client chose when creating them (a UUID); \`{session_id}\` in a path is that id. A session created without one (through GraphQL) is addressed by its server \`id\`, which \`session_id\` then repeats.

**Errors** are \`{ "detail": "…" }\` with a 4xx status (see each operation); 429 carries Retry-After. Field names are snake_case; times are ISO-8601 in UTC.`;

/** A named schema as a reference; anything else inline, with the named schemas inside it referenced. */
function schemaOf(schema: z.ZodType): JsonSchema {
  const id = components.get(schema)?.id;
  if (id) return { $ref: uri(id) };
  const json = z.toJSONSchema(schema, {
    io: 'input',
    override: ({ zodSchema, jsonSchema }) => {
      const inner = (zodSchema as unknown) === schema ? undefined : components.get(zodSchema as unknown as z.ZodType)?.id;
      if (!inner) return;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as JsonSchema)[key];
      (jsonSchema as JsonSchema).$ref = uri(inner);
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}

function errorsOf(op: Operation): Array<[number, string]> {
  const statuses = new Set<number>();
  if (op.auth) statuses.add(401);
  if (op.body) for (const status of [400, 413, 415, 422]) statuses.add(status);
  if (op.query) statuses.add(422);
  if (op.path.includes('{')) statuses.add(404);
  const own = Object.fromEntries(Object.entries(op.errors ?? {}).map(([status, text]) => [Number(status), text]));
  return [...new Set([...statuses, ...Object.keys(own).map(Number)])]
    .sort((a, b) => a - b)
    .map((status) => [status, (own[status] ?? ERROR_DESCRIPTIONS[status]) + (status === 429 ? RETRY_AFTER : '')]);
}

function parametersOf(op: Operation): JsonSchema[] {
  const inPath = [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: name === 'session_id' ? 'The session_id given at creation.' : 'The id.',
  }));
  const shape = op.query instanceof z.ZodObject ? (op.query.shape as Record<string, z.ZodType>) : {};
  const inQuery = Object.entries(shape).map(([name, field]) => {
    const { description, ...schema } = schemaOf(field);
    return { name, in: 'query', required: !field.safeParse(undefined).success, schema, ...(description ? { description } : {}) };
  });
  return [...inPath, ...inQuery];
}

function operationObject(op: Operation): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    const content: JsonSchema = {};
    if (response.schema) content['application/json'] = { schema: schemaOf(response.schema) };
    if (response.stream) content['text/event-stream'] = { schema: { type: 'string', description: response.stream } };
    responses[status] = { description: response.description, ...(Object.keys(content).length ? { content } : {}) };
  }
  for (const [status, description] of errorsOf(op)) {
    responses[status] = { description, content: { 'application/json': { schema: { $ref: uri('Error') } } } };
  }
  const parameters = parametersOf(op);
  return {
    operationId: `${op.method.toLowerCase()}${op.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^a-zA-Z0-9]+(\w)/g, (_, c: string) => c.toUpperCase())}`,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    security: op.auth ? [{ bearer: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { [op.body.form ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: schemaOf(op.body.schema) } },
          },
        }
      : {}),
    responses,
  };
}

export function openApiDocument(operations: Operation[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  const { schemas } = z.toJSONSchema(components, { io: 'input', uri }) as { schemas: Record<string, JsonSchema> };
  for (const schema of Object.values(schemas)) {
    delete schema.$schema;
    delete schema.$id;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'multi-bot-chat REST API', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: '/' }],
    tags: [
      { name: 'Auth', description: 'Accounts and bearer tokens.' },
      { name: 'Bots', description: 'The shared system bots and your own.' },
      { name: 'Sessions', description: 'Conversations with a bot.' },
      { name: 'Messages', description: 'Sending, streaming replies, history.' },
    ],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
  };
}
