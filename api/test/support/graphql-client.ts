// Plain HTTP GraphQL and SSE clients for tests: what any client would send, no SDK in between.

export interface GraphQLResponse<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
}

export async function gql<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** The data, or a thrown error naming the GraphQL errors: for steps that must succeed. */
export async function gqlOk<T = any>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await gql<T>(url, query, variables, token);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

export function errorCode(result: GraphQLResponse): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

export interface SseSubscription<T = any> {
  /** Every `next` payload received so far. */
  events: GraphQLResponse<T>[];
  /** Resolves when `predicate` holds for a received payload (checked on arrival and now). */
  until(predicate: (event: GraphQLResponse<T>) => boolean, timeoutMs?: number): Promise<GraphQLResponse<T>>;
  /** The response status and headers once connected. */
  opened: Promise<Response>;
  /** Resolves when the server ends the stream (or it breaks). */
  ended: Promise<void>;
  close(): void;
}

/** A subscription over Server-Sent Events, parsed by hand from the raw HTTP body; `headers` e.g. a browser's Origin. */
export function sseSubscribe<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
  headers: Record<string, string> = {},
): SseSubscription<T> {
  const controller = new AbortController();
  const events: GraphQLResponse<T>[] = [];
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  const opened = fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const ended = opened
    .then(async (response) => {
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('\n');
          if (data && (event === undefined || event === 'next')) {
            events.push(JSON.parse(data));
            notify();
          }
        }
      }
    })
    .catch(() => {});
  return {
    events,
    opened,
    ended,
    close: () => controller.abort(),
    until(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(predicate);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting; received ${JSON.stringify(events).slice(0, 2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export const SESSION_EVENTS = /* GraphQL */ `
  subscription Events($sessionId: ID!) {
    sessionEvents(sessionId: $sessionId) {
      __typename
      ... on MessageAdded { message { id role status text } }
      ... on MessageDelta { messageId seq text }
      ... on MessageCompleted { message { id role status text seq model latencyMs firstTokenMs promptTokens completionTokens } }
      ... on MessageFailed { messageId code errorMessage }
      ... on SessionDeleted { sessionId }
    }
  }
`;

export const VIEWER_EVENTS = /* GraphQL */ `
  subscription ViewerEvents($sessionIds: [ID!]) {
    viewerEvents(sessionIds: $sessionIds) {
      sessionId
      event {
        __typename
        ... on MessageAdded { message { id role status text sessionId } }
        ... on MessageDelta { messageId seq text }
        ... on MessageCompleted { message { id role status text seq sessionId } }
        ... on MessageFailed { messageId code errorMessage }
        ... on SessionDeleted { sessionId }
      }
    }
  }
`;

export const MESSAGE_FIELDS = 'id role text status seq model latencyMs firstTokenMs promptTokens completionTokens errorCode errorMessage clientMessageId parentId sessionId';

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}-${Date.now()}-${counter++}@example.com`;

/** Registers a new user; returns its tokens and id. */
export async function registerUser(url: string, email = uniqueEmail(), password = 'correct horse battery') {
  const data = await gqlOk(url, `mutation($e: String!, $p: String!) { register(email: $e, password: $p) { accessToken refreshToken user { id email } } }`, { e: email, p: password });
  return { ...data.register, email, password } as { accessToken: string; refreshToken: string; user: { id: string; email: string }; email: string; password: string };
}
