// The HTTP surface: GraphQL (+ offline GraphiQL) at /graphql, the widget bundle, health and metrics.
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionResult } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { App } from './app.ts';
import { viewerFromRequest } from './auth/viewer.ts';
import { GRAPHIQL_DEFAULT_DOCUMENT } from './graphiql.ts';
import type { Context } from './schema/builder.ts';
import { schema } from './schema/index.ts';
import { WidgetAssets } from './widget-assets.ts';

type ServerContext = { req: IncomingMessage; res: ServerResponse };

export const MAX_REQUEST_BYTES = 100_000;

export function createServer(app: App): Server {
  const { config, logger } = app;
  const widget = new WidgetAssets(config.widgetDist);

  const yoga = createYoga<ServerContext, Omit<Context, 'request'>>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: config.http.graphiql ? { title: 'multi-bot-chat API', defaultQuery: GRAPHIQL_DEFAULT_DOCUMENT } : false,
    renderGraphiQL,
    cors: {
      origin: config.http.corsOrigins.includes('*') ? '*' : config.http.corsOrigins,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id'],
      maxAge: 600,
    },
    // Unexpected errors reach clients as "Unexpected error." with a request id; see observe().
    maskedErrors: true,
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    context: async ({ request, req }) => {
      const { viewer, authError } = await viewerFromRequest(config.auth, request);
      return {
        app,
        viewer,
        authError,
        requestId: request.headers.get('x-request-id')?.slice(0, 100) || randomUUID(),
        ip: clientIp(req, config.http.trustProxy),
      };
    },
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: 12 },
        maxAliases: { n: 20 },
        maxTokens: { n: 2000 },
        maxDirectives: { n: 20 },
        costLimit: { maxCost: 5000 },
        blockFieldSuggestion: { enabled: !config.http.introspection },
      }),
      ...(config.http.introspection ? [] : [disableIntrospection()]),
      observe(app),
    ],
  });

  return createHttpServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    try {
      if (pathname === '/graphql') {
        if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) return tooLarge(res);
        return await yoga.handle(req, res);
      }
      if (widget.matches(pathname)) return await widget.serve(req, res, pathname);
      if (pathname === '/healthz') return json(res, 200, { status: 'ok' });
      if (pathname === '/readyz') {
        const ready = await app.ready();
        return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
      }
      if (pathname === '/metrics') {
        res.writeHead(200, { 'content-type': app.metrics.registry.contentType });
        return res.end(await app.metrics.registry.metrics());
      }
      if (pathname === '/') {
        res.writeHead(302, { location: '/graphql' });
        return res.end();
      }
      json(res, 404, { error: 'Not found' });
    } catch (error) {
      logger.error({ err: error, path: pathname }, 'request failed');
      if (!res.headersSent) json(res, 500, { error: 'Internal error' });
      else res.destroy();
    }
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function tooLarge(res: ServerResponse) {
  json(res, 413, { errors: [{ message: 'The request is too large.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
  return forwarded || req.socket.remoteAddress || 'unknown';
}

function disableIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * Counts operations and errors by code, and turns unexpected errors into a masked error that
 * carries the request id, after logging the original with the same id.
 */
function observe(app: App): Plugin<Context> {
  const mask = (result: ExecutionResult, context: Context) => {
    if (!result.errors) return;
    result.errors = result.errors.map((error) => {
      const code = error.extensions?.code as string | undefined;
      if (code) {
        app.metrics.errors.inc({ code });
        return error;
      }
      app.metrics.errors.inc({ code: 'INTERNAL_SERVER_ERROR' });
      app.logger.error({ err: error.originalError ?? error, requestId: context.requestId, path: error.path }, 'unexpected error');
      return new GraphQLError('Unexpected error.', {
        path: error.path,
        extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: context.requestId },
      });
    });
  };
  return {
    onExecute({ args }) {
      app.metrics.operations.inc({ operation: args.operationName ?? 'anonymous', type: operationType(args.document, args.operationName) });
      return {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result)) mask(result, args.contextValue as Context);
        },
      };
    },
    onSubscribe({ args }) {
      app.metrics.operations.inc({ operation: args.operationName ?? 'anonymous', type: 'subscription' });
      app.metrics.subscriptions.inc();
      return {
        onSubscribeResult() {
          return {
            onNext({ result }) {
              mask(result, args.contextValue as Context);
            },
            onEnd() {
              app.metrics.subscriptions.dec();
            },
          };
        },
        onSubscribeError() {
          app.metrics.subscriptions.dec();
        },
      };
    },
  };
}

function operationType(document: { definitions: readonly { kind: string; operation?: string; name?: { value: string } }[] }, name?: string | null) {
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition' && (!name || d.name?.value === name));
  return operation?.operation ?? 'unknown';
}
