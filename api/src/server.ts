// The HTTP surface: GraphQL (+ offline GraphiQL) at /graphql, REST (+ /openapi.json, /docs), the widget bundle, the console at /admin, health and metrics.
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createYoga } from 'graphql-yoga';
import type { App } from './app.ts';
import { viewerFromRequest } from './auth/viewer.ts';
import { GraphiqlPage } from './graphiql.ts';
import { clientIp } from './http/client-ip.ts';
import { isForgeablePost } from './http/csrf.ts';
import { graphqlLimits } from './http/graphql-limits.ts';
import { logRequest, maskUnexpected, observe } from './http/observe.ts';
import { persistedOperations } from './http/persisted-operations.ts';
import { attachBody, readBodyWithin } from './http/request-body.ts';
import { refuseUnstorableStrings } from './http/string-arguments.ts';
import { serveSharePage, SHARE_PATH } from './http/share-page.ts';
import { answerUnreadableRequests } from './http/unreadable-requests.ts';
import { createRestApi } from './rest/router.ts';
import type { Context } from './schema/builder.ts';
import { schema } from './schema/index.ts';
import { SITE_HEADER, siteOfRequest } from './sites/request-site.ts';
import { WidgetAssets } from './widget-assets.ts';
import { AdminAssets } from './admin-assets.ts';

type ServerContext = { req: IncomingMessage; res: ServerResponse };

export function createServer(app: App): Server {
  const { config, logger } = app;
  const widget = new WidgetAssets(config.widgetDist);
  const graphiql = config.http.graphiql ? new GraphiqlPage() : null;
  const adminConsole = new AdminAssets(config.adminDist);
  const { persistedOperations: persisted } = config.http;

  const cors = {
    origin: config.http.corsOrigins.includes('*') ? '*' : config.http.corsOrigins,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id', SITE_HEADER],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  };
  /** What Yoga would answer a listed site, for the refusals made before Yoga runs (so a widget on another site can read them). */
  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin) return {};
    const allowed = cors.origin === '*' ? '*' : cors.origin.includes(origin) ? origin : null;
    if (!allowed) return {};
    return { 'access-control-allow-origin': allowed, 'access-control-expose-headers': cors.exposedHeaders.join(', '), vary: 'Origin' };
  };

  const viewerAndSite = async (request: Request) => {
    const { viewer, authError } = await viewerFromRequest(config.auth, app.directReader, request);
    const { site, error: siteError } = await siteOfRequest(app, request, viewer);
    return { viewer, authError, site, siteError };
  };
  const rest = createRestApi(app, { headersFor: corsHeaders, allowedHeaders: cors.allowedHeaders, maxAge: cors.maxAge });

  const yoga = createYoga<ServerContext, Omit<Context, 'request'>>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: false, // served before Yoga, compressed and cached: see GraphiqlPage
    cors,
    // GraphQL's multipart request spec exists for file uploads, which this API has none of.
    multipart: false,
    // serveGraphql has read the body within config.http.maxRequestBytes already. Yoga's own limit
    // re-wrapped that body in a stream pipeline per request (a TransformStream, an AbortController
    // and a DOMException at its end): ~9% of the server's CPU for an authenticated `me` (bench #4).
    maxRequestBodySize: false,
    // Unexpected errors reach clients as "Unexpected error." with a request id; see observe().
    maskedErrors: true,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: async ({ request, req }) => {
      const requestId = String(req.headers['x-request-id']);
      // The viewer and the site are read from the database: when that fails, the client gets the
      // request id to report, as for any unexpected error, rather than Yoga's bare masked error.
      const { viewer, authError, site, siteError } = await viewerAndSite(request).catch((error: unknown) => {
        throw maskUnexpected(logger, error, requestId);
      });
      return { app, viewer, authError, site, siteError, requestId, ip: clientIp(req, config.http.trustedProxies) };
    },
    plugins: [
      answerUnreadableRequests(app.metrics),
      ...(persisted ? [persistedOperations(persisted)] : []),
      ...graphqlLimits(config),
      refuseUnstorableStrings(),
      observe(app),
    ],
  });

  // Refusals made before GraphQL runs still answer in GraphQL's shape, with a code.
  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) => {
    app.metrics.errors.inc({ code });
    json(res, status, { errors: [{ message, extensions: { code } }] }, { ...corsHeaders(req), ...headers });
  };

  const serveGraphql = async (req: IncomingMessage, res: ServerResponse) => {
    if (app.closing) {
      // Draining for shutdown: send the client to another instance.
      return refuse(req, res, 503, 'UNAVAILABLE', 'This server is shutting down. Retry.', { connection: 'close', 'retry-after': '1' });
    }
    if (isForgeablePost(req)) {
      return refuse(req, res, 400, 'BAD_REQUEST', 'Send GraphQL requests as application/json (cross-site request protection).');
    }
    if (graphiql && GraphiqlPage.wanted(req)) return graphiql.serve(req, res);
    if (req.method === 'POST') {
      const body = await readBodyWithin(req, config.http.maxRequestBytes);
      if (!body) {
        return refuse(req, res, 413, 'PAYLOAD_TOO_LARGE', `The request is larger than ${config.http.maxRequestBytes} bytes.`, { connection: 'close' });
      }
      attachBody(req, body);
    }
    return yoga.handle(req, res);
  };

  return createHttpServer(async (req, res) => {
    const startedAt = performance.now();
    const requestId = requestIdOf(req);
    res.setHeader('x-request-id', requestId);
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    res.once('close', () => logRequest(app, req, res.statusCode, requestId, startedAt, pathname));
    try {
      if (pathname === '/graphql') return await serveGraphql(req, res);
      if (widget.matches(pathname)) return await widget.serve(req, res, pathname);
      if (adminConsole.matches(pathname)) return await adminConsole.serve(req, res, pathname);
      if (rest.matches(pathname)) return await rest.serve(req, res, pathname);
      if (pathname.startsWith(SHARE_PATH) && req.method === 'GET') return await serveSharePage(app, res, pathname);
      if (pathname === '/healthz') return json(res, 200, { status: 'ok' });
      if (pathname === '/readyz') {
        const ready = await app.ready();
        return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      }
      if (pathname === '/metrics') {
        if (config.http.metricsToken && req.headers.authorization !== `Bearer ${config.http.metricsToken}`) {
          return json(res, 401, { error: 'Unauthorized' });
        }
        res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
        return res.end(await app.metrics.registry.metrics());
      }
      if (pathname === '/') {
        res.writeHead(302, { location: '/graphql' });
        return res.end();
      }
      json(res, 404, { error: 'Not found' });
    } catch (error) {
      if (req.socket.destroyed) return; // the client left mid-request: nothing failed here
      logger.error({ err: error, requestId, path: pathname }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'Internal error' });
      else res.destroy();
    }
  });
}

/**
 * The id that ties a request's log lines to the error a client reports. A well-formed id from a
 * proxy or client is kept (one id across systems); anything else is replaced.
 */
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
  req.headers['x-request-id'] = id; // GraphQL's context reads it from here
  return id;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
