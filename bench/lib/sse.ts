// A deliberately light Server-Sent Events client on node:http: no fetch streams, no JSON parsing
// unless asked, so one process can hold thousands of streams and time every event.
import http from 'node:http';

export interface SseOptions {
  url: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  /** Called for every event block (the text between blank lines) with its arrival time. */
  onEvent: (block: string, at: number) => void;
  /** Called once the response headers arrived. */
  onOpen?: (status: number) => void;
  onClose?: () => void;
  /** Default: a fresh connection per stream (no agent). */
  agent?: http.Agent | false;
}

export interface SseStream {
  close(): void;
  /** Resolves with the status when the headers arrived. */
  opened: Promise<number>;
  closed: Promise<void>;
}

export function openSse(options: SseOptions): SseStream {
  const url = new URL(options.url);
  let resolveOpened!: (status: number) => void;
  let rejectOpened!: (error: unknown) => void;
  const opened = new Promise<number>((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const body = options.body ?? '';
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    method: options.method ?? (body ? 'POST' : 'GET'),
    agent: options.agent ?? false,
    headers: {
      accept: 'text/event-stream',
      ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
      ...options.headers,
    },
  });
  req.on('response', (res) => {
    resolveOpened(res.statusCode ?? 0);
    options.onOpen?.(res.statusCode ?? 0);
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      const at = performance.now();
      buffer += chunk;
      let start = 0;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n', start)) {
        options.onEvent(buffer.slice(start, end), at);
        start = end + 2;
      }
      buffer = start ? buffer.slice(start) : buffer;
    });
    res.on('close', () => {
      options.onClose?.();
      resolveClosed();
    });
  });
  req.on('error', (error) => {
    rejectOpened(error);
    resolveClosed();
  });
  req.end(body);
  return {
    opened,
    closed,
    close: () => req.destroy(),
  };
}

/** The JSON after `data:` in an SSE event block (one data line, as Yoga sends them). */
export function eventData<T = any>(block: string): T | undefined {
  const at = block.indexOf('data:');
  if (at < 0) return undefined;
  const end = block.indexOf('\n', at);
  const text = block.slice(at + 5, end < 0 ? undefined : end).trim();
  return text ? (JSON.parse(text) as T) : undefined;
}
