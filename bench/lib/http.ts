// A light HTTP load generator on node:http keep-alive sockets (no dependency): closed loops of N
// workers, each sending its next request when the previous one answered, and a fixed-rate probe.
import http from 'node:http';

export interface RequestSpec {
  path: string;
  body: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  body: string;
}

export function send(agent: http.Agent, origin: URL, spec: RequestSpec): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: origin.hostname,
        port: origin.port,
        method: 'POST',
        path: spec.path,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(spec.body), ...spec.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(spec.body);
  });
}

export interface ClosedLoopOptions {
  url: string;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** The request worker `worker` sends as its `n`th. */
  request: (worker: number, n: number) => RequestSpec;
  /** A reply that counts as a success (default: 200 without GraphQL errors). */
  ok?: (reply: Reply) => boolean;
}

export interface ClosedLoopResult {
  /** Successful requests per second in the measured window. */
  rps: number;
  completed: number;
  errors: number;
  firstError?: string;
  latenciesMs: Float64Array;
  windowMs: number;
}

const graphqlOk = (reply: Reply) => reply.status === 200 && !reply.body.includes('"errors"');

export async function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const origin = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const ok = options.ok ?? graphqlOk;
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;

  const worker = async (index: number) => {
    for (let n = 0; performance.now() < end; n++) {
      const sentAt = performance.now();
      let reply: Reply;
      try {
        reply = await send(agent, origin, options.request(index, n));
      } catch (error) {
        reply = { status: 0, body: String(error) };
      }
      const doneAt = performance.now();
      if (doneAt < measureFrom || doneAt > end) continue; // requests completed inside the window
      if (ok(reply)) {
        completed++;
        latencies.push(doneAt - sentAt);
      } else {
        errors++;
        firstError ??= `${reply.status} ${reply.body.slice(0, 300)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => worker(i)));
  agent.destroy();
  return { rps: completed / (options.durationMs / 1000), completed, errors, firstError, latenciesMs: Float64Array.from(latencies), windowMs: options.durationMs };
}

export interface ProbeOptions {
  url: string;
  intervalMs: number;
  durationMs: number;
  request: () => RequestSpec;
  ok?: (reply: Reply) => boolean;
}

/**
 * Sends one request every `intervalMs` whether or not earlier ones have answered (open loop), so a
 * blocked server shows up as latency instead of fewer samples (no coordinated omission).
 */
export async function probe(options: ProbeOptions): Promise<{ latenciesMs: Float64Array; errors: number; firstError?: string }> {
  const origin = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const ok = options.ok ?? graphqlOk;
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = start + i * options.intervalMs;
    if (due > start + options.durationMs) break;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sentAt = performance.now();
    inFlight.push(
      send(agent, origin, options.request()).then(
        (reply) => {
          if (ok(reply)) latencies.push(performance.now() - sentAt);
          else {
            errors++;
            firstError ??= `${reply.status} ${reply.body.slice(0, 300)}`;
          }
        },
        (error) => {
          errors++;
          firstError ??= String(error);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return { latenciesMs: Float64Array.from(latencies), errors, firstError };
}
