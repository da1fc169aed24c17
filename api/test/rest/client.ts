// A plain-HTTP REST client for tests that checks every answer against the server's own
// /openapi.json: the status must be one the document lists for the operation, and the body must
// match its schema (validated with Ajv, JSON Schema 2020-12). Code and document cannot drift.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import Database from 'better-sqlite3';
import pg from 'pg';
import { uniqueEmail } from '../support/graphql-client.ts';

// ajv-formats is CommonJS with a default export.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface RestResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, or undefined when empty. */
  body: T;
  /** The OpenAPI path template the request matched, if any ("/bots/{id}"). */
  template?: string;
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent form-encoded. */
  form?: Record<string, string>;
  /** Sent as is (with the content type given in headers). */
  raw?: string;
  headers?: Record<string, string>;
}

type Json = Record<string, any>;

export interface RestClient {
  origin: string;
  document: Json;
  call<T = any>(method: string, path: string, options?: RequestOptions): Promise<RestResponse<T>>;
  /** Throws unless the value matches components/schemas/<name>. */
  assertSchema(name: string, value: unknown): void;
}

export async function restClient(origin: string): Promise<RestClient> {
  const document = (await (await fetch(`${origin}/openapi.json`)).json()) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(document, 'openapi');
  const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
  const validate = (ref: string, value: unknown, what: string) => {
    const check = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
    if (!check(value)) throw new Error(`${what} does not match the OpenAPI document: ${ajv.errorsText(check.errors)}\n${JSON.stringify(value).slice(0, 1000)}`);
  };
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
  }));

  return {
    origin,
    document,
    assertSchema: (name, value) => validate(`openapi#/components/schemas/${name}`, value, name),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        headers['content-type'] ??= 'application/json';
      }
      if (options.form) {
        body = new URLSearchParams(options.form).toString();
        headers['content-type'] ??= 'application/x-www-form-urlencoded';
      }
      const response = await fetch(`${origin}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text || undefined;
      if (text && response.headers.get('content-type')?.startsWith('application/json')) parsed = JSON.parse(text);
      const { pathname } = new URL(path, origin);
      const template = templates.find(({ pattern }) => pattern.test(pathname))?.template;
      const operation = template ? document.paths[template][method.toLowerCase()] : undefined;
      const what = `${method} ${path} → ${response.status}`;
      if (operation) {
        const declared = operation.responses[String(response.status)];
        if (!declared) throw new Error(`${what}, a status the OpenAPI document does not list: ${text.slice(0, 500)}`);
        const type = response.headers.get('content-type')?.split(';')[0];
        if (type === 'application/json') {
          validate(`openapi#/${pointer('paths', template!, method.toLowerCase(), 'responses', String(response.status), 'content', 'application/json', 'schema')}`, parsed, what);
        } else if (type !== 'text/event-stream' && text) {
          throw new Error(`${what} answered ${type}: ${text.slice(0, 200)}`);
        }
      }
      return { status: response.status, headers: response.headers, body: parsed as any, template };
    },
  };
}

export interface RestUser {
  email: string;
  password: string;
  token: string;
}

export async function registerRestUser(client: RestClient, email = uniqueEmail('rest')): Promise<RestUser> {
  const password = 'correct horse battery';
  const response = await client.call('POST', '/auth/register', { json: { email, password } });
  if (response.status !== 200) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { email, password, token: response.body.access_token };
}

/** Makes the user an admin in the database itself: the API has no way to (admins are made by operators). */
export async function promoteToAdmin(databaseUrl: string, email: string): Promise<void> {
  if (/^postgres(ql)?:/.test(databaseUrl)) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`UPDATE "User" SET "role" = 'ADMIN' WHERE "email" = $1`, [email]);
    } finally {
      await client.end();
    }
    return;
  }
  const db = new Database(databaseUrl.replace(/^file:/, ''));
  try {
    db.prepare(`UPDATE "User" SET "role" = 'ADMIN' WHERE "email" = ?`).run(email);
  } finally {
    db.close();
  }
}

/** The events of an SSE response body, parsed by hand: `event:` and the JSON of `data:`. */
export function parseSse(text: string): Array<{ event: string; data: any }> {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').filter((line) => !line.startsWith(':')))
    .filter((lines) => lines.some((line) => line.startsWith('data:')))
    .map((lines) => ({
      event: lines.find((l) => l.startsWith('event:'))?.slice(6).trim() ?? 'message',
      data: JSON.parse(lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n')),
    }));
}
