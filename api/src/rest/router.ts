// The REST API: routes requests to operations, answers errors as { detail }, and serves the
// OpenAPI document (/openapi.json) and its reference page (/docs).
//
// Cross-site request forgery: a page on another site can make a visitor's browser send a form or a
// "simple" request (form-encoded, multipart or text/plain, no custom headers), but never with an
// Authorization header: setting one needs a CORS preflight, which CORS_ORIGINS governs, and
// browsers attach no bearer token by themselves (this API sets no cookies). So every operation
// that acts for a user, all of which need a bearer token, cannot be forged. What is left needs no
// token: POST /auth/register takes only JSON (a forged form gets 415), and POST /auth/login is
// form-encoded as OAuth 2.0 prescribes but carries only the credentials the sender itself typed,
// which sign in nobody the sender could not sign in directly.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { App } from '../app.ts';
import type { Viewer } from '../auth/viewer.ts';
import { clientIp } from '../http/client-ip.ts';
import { compress, sendCompressed } from '../http/compressed.ts';
import { authOperations } from './auth.ts';
import { botOperations } from './bots.ts';
import { docsPage } from './docs-page.ts';
import { RestError, restErrorOf } from './errors.ts';
import { messageOperations } from './messages.ts';
import { openApiDocument } from './openapi.ts';
import type { Operation } from './operation.ts';
import { isStorable, readForm, readJson, readQuery, requireViewer, type RestRequest } from './request.ts';
import { sessionOperations } from './sessions.ts';

export interface RestCors {
  /** The CORS headers GraphQL would send this request's origin. */
  headersFor(req: IncomingMessage): Record<string, string>;
  allowedHeaders: string[];
  maxAge: number;
}

const RESOURCES = /^\/(auth|bots|sessions)(\/|$)/;
// Longer than any id or session_id: looked up nowhere.
const MAX_PARAM_LENGTH = 200;
// Like /widget.js: revalidated after five minutes, served stale meanwhile.
const DOCUMENT_CACHE = 'public, max-age=300, stale-while-revalidate=86400';

interface Route {
  op: Operation;
  pattern: RegExp;
  params: string[];
}

export function createRestApi(app: App, cors: RestCors) {
  const operations = [...authOperations, ...botOperations, ...sessionOperations, ...messageOperations];
  const routes: Route[] = operations.map((op) => ({
    op,
    pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
    params: [...op.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name),
  }));
  const document = openApiDocument(operations);
  const openapi = compress(Buffer.from(JSON.stringify(document)));
  const docs = compress(Buffer.from(docsPage(document)));

  const reply = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const refuse = (res: ServerResponse, error: RestError) => reply(res, error.status, { detail: error.detail }, error.headers);

  const serveDocument = (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, new RestError(405, 'Use GET.', { allow: 'GET, HEAD' }));
    if (pathname === '/openapi.json') {
      return sendCompressed(req, res, openapi, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': DOCUMENT_CACHE });
    }
    sendCompressed(req, res, docs, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': DOCUMENT_CACHE,
      // The page has no script and loads nothing: say so, so nothing injected could run either.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    });
  };

  const serveOperation = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    for (const [name, value] of Object.entries(cors.headersFor(req))) res.setHeader(name, value);
    const matching = routes.flatMap((route) => {
      const match = route.pattern.exec(pathname);
      return match ? [{ route, values: match.slice(1) }] : [];
    });
    if (!matching.length) return refuse(res, new RestError(404, 'No such endpoint: see /docs.'));
    const methods = matching.map(({ route }) => route.op.method);
    if (req.method === 'OPTIONS') {
      return reply(res, 204, undefined, {
        'access-control-allow-methods': [...methods, 'OPTIONS'].join(', '),
        'access-control-allow-headers': cors.allowedHeaders.join(', '),
        'access-control-max-age': String(cors.maxAge),
      });
    }
    const found = matching.find(({ route }) => route.op.method === req.method);
    if (!found) return refuse(res, new RestError(405, `Use ${methods.join(' or ')}.`, { allow: methods.join(', ') }));
    if (app.closing) {
      // Draining for shutdown: send the client to another instance.
      return refuse(res, new RestError(503, 'This server is shutting down. Retry.', { connection: 'close', 'retry-after': '1' }));
    }
    const { op, params } = found.route;
    const rest: RestRequest = {
      app,
      req,
      res,
      params: Object.fromEntries(params.map((name, i) => [name, pathParam(found.values[i])])),
      query: new URL(req.url ?? '/', 'http://localhost').searchParams,
      request: whatwgRequest(req),
      ip: clientIp(req, app.config.http.trustedProxies),
    };
    // Who asks comes first: an anonymous request is refused before its body is read.
    const viewer = op.auth ? await requireViewer(rest) : (undefined as unknown as Viewer);
    const body = op.body ? await (op.body.form ? readForm : readJson)(rest, op.body.schema) : undefined;
    const query = op.query ? readQuery(rest, op.query) : undefined;
    const result = await op.handle(rest, { viewer, body, query });
    if (result) reply(res, result.status, result.body);
  };

  return {
    matches: (pathname: string) => pathname === '/openapi.json' || pathname === '/docs' || RESOURCES.test(pathname),
    async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
      if (pathname === '/openapi.json' || pathname === '/docs') return serveDocument(req, res, pathname);
      try {
        await serveOperation(req, res, pathname);
      } catch (error) {
        const known = restErrorOf(error);
        if (res.headersSent) return void res.destroy(); // a stream that broke after it began
        if (known) return refuse(res, known);
        if (req.socket.destroyed) return; // the client left mid-request: nothing failed here
        const requestId = String(req.headers['x-request-id']);
        app.logger.error({ err: error, requestId, path: pathname }, 'request failed');
        refuse(res, new RestError(500, `Unexpected error; quote request id ${requestId}.`));
      }
    },
  };
}

/** A decoded path segment; one that can name nothing (malformed, too long, unstorable) is a 404 before any lookup. */
function pathParam(raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw new RestError(404, 'Not found.');
  }
  if (value.length > MAX_PARAM_LENGTH || !isStorable(value)) throw new RestError(404, 'Not found.');
  return value;
}

/** The headers and URL as a WHATWG Request, the form auth/viewer.ts and origins.ts read (as Yoga hands them). */
function whatwgRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
  }
  let url: URL;
  try {
    url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  } catch {
    url = new URL(req.url ?? '/', 'http://localhost');
  }
  return new Request(url, { headers });
}
