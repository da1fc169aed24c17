// fetch wrappers that observe or disturb what the SDK sends: the SDK takes any fetch, so tests can
// count operations or break a stream exactly where they want.

export type Fetch = typeof fetch;

function bodyOf(init: RequestInit | undefined): string {
  return typeof init?.body === 'string' ? init.body : '';
}

/** The GraphQL operation name of a request the SDK made. */
export function operationName(init: RequestInit | undefined): string | undefined {
  try {
    return (JSON.parse(bodyOf(init)) as { operationName?: string }).operationName;
  } catch {
    return undefined;
  }
}

export const isEventStream = (init: RequestInit | undefined) => operationName(init) === 'ViewerEvents';

/** Records the operation name of every request. */
export function recordingFetch(inner: Fetch = fetch) {
  const operations: string[] = [];
  const wrapped: Fetch = (input, init) => {
    operations.push(operationName(init) ?? '?');
    return inner(input, init);
  };
  return { fetch: wrapped, operations, count: (name: string) => operations.filter((op) => op === name).length };
}

/**
 * Lets the first `streams` event streams deliver `events` SSE events each, then breaks the
 * connection as a network failure would (the body errors and the real connection is closed).
 */
export function streamBreakingFetch({ events, streams = 1 }: { events: number; streams?: number }, inner: Fetch = fetch) {
  let broken = 0;
  const wrapped: Fetch = async (input, init) => {
    const response = await inner(input, init);
    if (!isEventStream(init) || broken >= streams || !response.body) return response;
    broken += 1;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let seen = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (seen >= events) {
          await reader.cancel();
          controller.error(new TypeError('terminated', { cause: new Error('other side closed') }));
          return;
        }
        const chunk = await reader.read();
        if (chunk.done) return controller.close();
        seen += decoder.decode(chunk.value, { stream: true }).split('event: next').length - 1;
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  return { fetch: wrapped, broken: () => broken };
}
