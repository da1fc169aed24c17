// GraphQL over HTTP (queries, mutations) and SSE (subscriptions) through @urql/core, with the
// SDK's error classes. Knows nothing of tokens beyond putting one in a header.
import {
  Client,
  createRequest,
  fetchExchange,
  type AnyVariables,
  type OperationResult,
  type OperationType,
  type TypedDocumentNode,
} from '@urql/core';
import { AbortError, fromCombinedError, type MbcError, NetworkError, ServerError } from './errors';

/** The `fetch` the SDK calls; the global one unless injected. (Typed to fit both the DOM's and Node's `fetch`.) */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** Bearer token for the Authorization header. */
  token?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** What a subscription reports. After `fail` or `end` nothing more is called. */
export interface SubscriptionHandlers<Data> {
  /** The server answered with an event stream. */
  open(): void;
  next(data: Data): void;
  fail(error: MbcError): void;
  /** The server closed the stream. */
  end(): void;
}

/** No byte (not even the server's 12-second keep-alive ping) for this long means the connection is dead. */
const STREAM_IDLE_TIMEOUT_MS = 45_000;

export class Transport {
  private readonly client: Client;
  private nextKey = 0;

  constructor(
    url: string,
    private readonly fetch: FetchLike,
    /** The site's public key, sent with every request (subscriptions too) as X-MBC-Site. */
    private readonly site: string | null = null,
  ) {
    this.client = new Client({
      url,
      exchanges: [fetchExchange],
      fetch,
      fetchSubscriptions: true,
      requestPolicy: 'network-only',
      preferGetMethod: false,
    });
  }

  /** Runs a query or mutation; resolves with its data or rejects with an MbcError. */
  run<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    options: RequestOptions = {},
  ): Promise<Data> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    const source = this.client.executeRequestOperation(this.operation(operationKind(document), document, variables, options.token));
    return new Promise<Data>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(new AbortError(signal?.reason));
        setTimeout(() => subscription.unsubscribe(), 0);
      };
      const subscription = source.subscribe((result) => {
        if (settled || result.stale) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        try {
          resolve(dataOf(result));
        } catch (error) {
          reject(error);
        }
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Opens a subscription over SSE; returns a function that closes it.
   *
   * urql ends a subscription's results only when a result says so, which a stream that breaks before
   * its first event never sends; so the response body is watched here as well, and its end (or
   * silence past STREAM_IDLE_TIMEOUT_MS) ends the subscription.
   */
  subscribe<Data, Variables extends AnyVariables>(
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    token: string | undefined,
    handlers: SubscriptionHandlers<Data>,
  ): () => void {
    let finished = false;
    let lastActivity = Date.now();
    const connection = new AbortController();

    const finish = (report?: () => void) => {
      if (finished) return;
      finished = true;
      clearInterval(idleTimer);
      // Unsubscribing synchronously inside urql's callback makes its fetch source throw an
      // unhandled AbortError, so leave the callback first.
      setTimeout(() => {
        subscription.unsubscribe();
        connection.abort();
      }, 0);
      report?.();
    };

    const idleTimer = setInterval(() => {
      if (Date.now() - lastActivity < STREAM_IDLE_TIMEOUT_MS) return;
      finish(() => handlers.fail(new NetworkError('The event stream went silent.')));
    }, Math.min(STREAM_IDLE_TIMEOUT_MS / 3, 5_000));

    const watchedFetch: FetchLike = async (input, init) => {
      init?.signal?.addEventListener('abort', () => connection.abort(), { once: true });
      const response = await this.fetch(input, { ...init, signal: connection.signal });
      lastActivity = Date.now();
      if (finished) return response;
      if (/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) handlers.open();
      return watchBody(response, {
        activity: () => {
          lastActivity = Date.now();
        },
        // Every result before the end has been delivered by now; give urql a turn to deliver its own
        // end marker before declaring the end ourselves.
        end: () => setTimeout(() => finish(() => handlers.end()), 0),
      });
    };

    const operation = this.operation('subscription', document, variables, token, watchedFetch);
    const subscription = this.client.executeRequestOperation(operation).subscribe((result) => {
      if (finished) return;
      lastActivity = Date.now();
      if (result.error) {
        const error = fromCombinedError(result.error);
        finish(() => handlers.fail(error));
      } else if (result.hasNext === false) {
        finish(() => handlers.end());
      } else if (result.data) {
        handlers.next(result.data);
      }
    });

    return () => finish();
  }

  private operation<Data, Variables extends AnyVariables>(
    kind: OperationType,
    document: TypedDocumentNode<Data, Variables>,
    variables: Variables,
    token: string | undefined,
    fetch?: FetchLike,
  ) {
    // A unique key per call: urql shares in-flight operations that have the same key, which would
    // let a retry with a fresh token receive the result of the attempt with the stale one.
    const request = { ...createRequest(document, variables), key: ++this.nextKey };
    return this.client.createRequestOperation(kind, request, {
      fetchOptions: {
        headers: { ...(this.site ? { 'x-mbc-site': this.site } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      ...(fetch ? { fetch } : {}),
    });
  }
}

function operationKind(document: { definitions: ReadonlyArray<{ kind: string; operation?: string }> }): OperationType {
  for (const definition of document.definitions) {
    if (definition.kind === 'OperationDefinition') return definition.operation as OperationType;
  }
  throw new TypeError('The document has no operation.');
}

function dataOf<Data>(result: OperationResult<Data>): Data {
  if (result.error) throw fromCombinedError(result.error);
  if (result.data == null) throw new ServerError('The API sent an empty response.', { code: 'EMPTY_RESPONSE' });
  return result.data;
}

/**
 * Passes the body through unchanged, reporting each chunk and the moment the reader asks past the
 * last one (a zero high-water mark means we read only when urql asks, so everything before has
 * been handled).
 */
function watchBody(response: Response, watch: { activity(): void; end(): void }): Response {
  const body = response.body;
  if (!body) {
    watch.end();
    return response;
  }
  const reader = body.getReader();
  const watched = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const chunk = await reader.read();
          if (chunk.done) {
            controller.close();
            watch.end();
            return;
          }
          watch.activity();
          controller.enqueue(chunk.value);
        } catch (error) {
          controller.error(error);
          watch.end();
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(watched, { status: response.status, statusText: response.statusText, headers: response.headers });
}
