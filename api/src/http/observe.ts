// What operators see of GraphQL traffic: operations and errors counted by bounded labels, unexpected
// errors logged with the request id and masked for clients, and a one-line log per request.
import type { IncomingMessage } from 'node:http';
import { type DocumentNode, type ExecutionResult, getOperationAST, GraphQLError, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { App } from '../app.ts';
import type { Context } from '../schema/builder.ts';
import { asClientMistake } from './client-mistakes.ts';

/** What each HTTP request asked for ("mutation sendMessage"), for its log line. */
const requestOperations = new WeakMap<IncomingMessage, string>();

type ServerContext = { req?: IncomingMessage };

export function observe(app: App): Plugin<Context & ServerContext> {
  const { metrics, logger } = app;
  const countErrors = (result: ExecutionResult) => {
    for (const error of result.errors ?? []) metrics.errors.inc({ code: String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
  };
  // Errors with a code are meant for clients, and so are client mistakes that libraries report without
  // one; anything else is logged and replaced by a masked error.
  const mask = (result: ExecutionResult, context: Context) => {
    if (!result.errors?.some((error) => !error.extensions?.code)) return;
    result.errors = result.errors.map((error) => {
      if (error.extensions?.code) return error;
      return asClientMistake(error) ?? maskUnexpected(logger, error.originalError ?? error, context.requestId, error.path);
    });
  };
  const count = (document: DocumentNode, operationName: string | null | undefined) => {
    const { type, fields } = rootFields(document, operationName);
    for (const field of fields) metrics.operations.inc({ operation: field, type });
  };

  return {
    // Named as soon as the document is parsed, so that the log line says what was asked even when the
    // request ends before execution (a refused argument, a failed viewer lookup).
    onParse({ context }) {
      return ({ result }) => {
        const { req, params } = context as ServerContext & { params?: { operationName?: string | null } };
        if (!req || !result || result instanceof Error) return;
        const { type, fields } = rootFields(result, params?.operationName);
        requestOperations.set(req, `${type} ${fields.join(',')}`);
      };
    },
    onExecute({ args }) {
      count(args.document, args.operationName);
      return {
        onExecuteDone({ result }) {
          if (!(Symbol.asyncIterator in result)) mask(result, args.contextValue);
        },
      };
    },
    onSubscribe({ args }) {
      count(args.document, args.operationName);
      return {
        onSubscribeResult({ result }) {
          // A refused subscription (e.g. NOT_FOUND) is one result, not a stream.
          if (!(Symbol.asyncIterator in result)) return mask(result, args.contextValue);
          metrics.subscriptions.inc();
          return {
            onNext({ result: event }) {
              mask(event, args.contextValue);
              countErrors(event);
            },
            onEnd() {
              metrics.subscriptions.dec();
            },
          };
        },
      };
    },
    // Every response passes here, including parse, validation and limit errors that never execute;
    // events of a stream are counted one by one in onNext.
    onResultProcess({ result }) {
      if (Symbol.asyncIterator in result) return;
      for (const single of [result].flat()) countErrors(single);
    },
  };
}

/** Logs an error no client should see under the request id, and returns what the client sees instead. */
export function maskUnexpected(logger: Logger, error: unknown, requestId: string, path?: readonly (string | number)[]): GraphQLError {
  logger.error({ err: error, requestId, path }, 'unexpected error');
  return new GraphQLError('Unexpected error.', { path, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
}

/**
 * The root fields an operation selects ("sendMessage", "me"). Metrics are labelled with these rather
 * than the client's operationName, which is free text: labels must stay a small, known set.
 */
function rootFields(document: DocumentNode, operationName?: string | null): { type: string; fields: string[] } {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { type: 'unknown', fields: [] };
  const names = operation.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '(fragment)'));
  return { type: operation.operation, fields: [...new Set(names)] };
}

/** The request's log line: what was asked and how it ended, never what was said. */
export function logRequest(app: App, req: IncomingMessage, status: number, requestId: string, startedAt: number, path: string) {
  const entry = {
    requestId,
    method: req.method,
    path,
    status,
    ms: Math.round(performance.now() - startedAt),
    operation: requestOperations.get(req),
  };
  // Probes and scrapes arrive every few seconds: keep them out of the info log.
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') app.logger.debug(entry, 'request');
  else app.logger.info(entry, 'request');
}
