// A real HTTP server speaking the chat-completions protocol of Groq and OpenAI-compatible servers,
// so tests and benchmarks drive the real SDKs over real sockets, with scripted latency and failures.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers one request. Every field is optional; `{}` streams a short reply. */
export interface FakeLlmScript {
  reply?: string;
  /** Chunks the reply is split into, in roughly equal slices; by default one per word. */
  tokens?: number;
  /** Wait before the first token (headers are sent at once), or before an error or JSON response. */
  firstTokenDelayMs?: number;
  /** Wait between tokens; 0 writes them all in one go. */
  tokenDelayMs?: number;
  /** Answer with this HTTP error status (e.g. 429, 500, 503) instead of a reply. */
  status?: number;
  /** The retry-after header sent with a 429; default 1. */
  retryAfterSeconds?: number;
  /** Destroy the socket once this many tokens are sent. */
  disconnectAfterTokens?: number;
  /** Go silent once this many tokens are sent (0: right after the headers) until the client leaves. */
  hangAfterTokens?: number;
  /** Reported usage; by default prompt ≈ chars/4 and one completion token per chunk; null reports none. */
  usage?: { promptTokens: number; completionTokens: number } | null;
  /** Default 'stop'; null ends the stream with [DONE] but no finish_reason, as a truncating proxy would. */
  finishReason?: 'stop' | 'length' | null;
}

export interface ChatCompletionRequestBody {
  model: string;
  messages: Array<{ role: string; content: string }>;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [field: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: ChatCompletionRequestBody;
  /** Set when the client closed the connection before the response ended (not when a script cut it). */
  aborted: boolean;
  /** Resolves when the response has ended or the connection has closed. */
  done: Promise<void>;
}

export type FakeLlmScriptSource = FakeLlmScript | ((request: RecordedRequest) => FakeLlmScript);

export interface FakeLlmServer {
  /** The origin, e.g. http://127.0.0.1:41234: groq-sdk's baseURL (it adds /openai/v1). */
  url: string;
  /** `${url}/v1`: the baseURL for the openai package and other OpenAI-compatible clients. */
  openaiBaseUrl: string;
  /** Every chat-completions request received, in order. */
  requests: RecordedRequest[];
  /** What GET /models lists (change it in place); reset() restores FAKE_MODELS. */
  models: string[];
  /** Answer GET /models with this HTTP error status instead (null: list them again). */
  failModels(status: number | null): void;
  /** Scripts for the next requests, one each, before the default applies. */
  enqueue(...scripts: FakeLlmScript[]): void;
  /** The default for requests when the queue is empty: a script, or a function of the request. */
  script(source: FakeLlmScriptSource): void;
  /** Forgets requests, queue and default, between tests. */
  reset(): void;
  close(): Promise<void>;
}

const COMPLETIONS_PATHS = new Set(['/openai/v1/chat/completions', '/v1/chat/completions']);
const MODELS_PATHS = new Set(['/openai/v1/models', '/v1/models']);
export const FAKE_MODELS = ['fake-large', 'fake-small'];
const DEFAULT_REPLY = 'Hello from the fake model.';

export async function startFakeLlmServer(): Promise<FakeLlmServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeLlmScript[] = [];
  let fallback: FakeLlmScriptSource = {};
  const models = [...FAKE_MODELS];
  let modelsFailure: number | null = null;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && MODELS_PATHS.has(path)) {
      if (modelsFailure) return sendError(res, modelsFailure, `scripted ${modelsFailure}`);
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) });
    }
    if (req.method !== 'POST' || !COMPLETIONS_PATHS.has(path)) {
      return sendError(res, 404, `no route for ${req.method} ${path}`);
    }
    let body: ChatCompletionRequestBody;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return sendError(res, 400, 'the body is not JSON');
    }
    const record = recordRequest(path, req, res, body);
    requests.push(record);
    const script = queue.shift() ?? (typeof fallback === 'function' ? fallback(record) : fallback);
    await answer(res, record, script, requests.length);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    requests,
    models,
    failModels: (status) => {
      modelsFailure = status;
    },
    enqueue: (...scripts) => queue.push(...scripts),
    script: (source) => {
      fallback = source;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      fallback = {};
      models.splice(0, models.length, ...FAKE_MODELS);
      modelsFailure = null;
    },
    close: () => {
      // Hanging responses would otherwise keep close() waiting forever.
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function recordRequest(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: ChatCompletionRequestBody,
): RecordedRequest {
  let markDone!: () => void;
  const record: RecordedRequest = {
    path,
    headers: req.headers,
    body,
    aborted: false,
    done: new Promise((resolve) => (markDone = resolve)),
  };
  res.once('close', () => {
    record.aborted = !res.writableFinished && !cutByScript.has(res);
    markDone();
  });
  return record;
}

/** Responses whose socket the script destroyed on purpose, so they don't count as client aborts. */
const cutByScript = new WeakSet<ServerResponse>();

async function answer(res: ServerResponse, record: RecordedRequest, script: FakeLlmScript, sequence: number) {
  const { body } = record;
  let closed = false;
  res.once('close', () => (closed = true));
  const whenClosed = new Promise<void>((resolve) => res.once('close', resolve));
  // Ends early if the client leaves, so no timer outlives its response.
  const pause = (ms = 0) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || closed) return resolve();
      const wake = () => {
        clearTimeout(timer);
        res.off('close', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      res.once('close', wake);
    });
  const cut = (data: string) => {
    cutByScript.add(res);
    if (data) res.write(data, () => res.destroy());
    else res.destroy();
  };

  const reply = script.reply ?? DEFAULT_REPLY;
  const tokens = splitIntoTokens(reply, script.tokens);
  const usage = reportedUsage(script, body, tokens.length);
  const finishReason = script.finishReason === undefined ? 'stop' : script.finishReason;
  const id = `chatcmpl-fake-${sequence}`;
  const created = Math.floor(Date.now() / 1000);

  if (script.status) {
    await pause(script.firstTokenDelayMs);
    if (closed) return;
    const retryAfter: Record<string, string> =
      script.status === 429 ? { 'retry-after': String(script.retryAfterSeconds ?? 1) } : {};
    return sendError(res, script.status, `scripted ${script.status}`, retryAfter);
  }

  if (!body.stream) {
    await pause((script.firstTokenDelayMs ?? 0) + (script.tokenDelayMs ?? 0) * tokens.length);
    if (script.hangAfterTokens !== undefined) return whenClosed;
    if (script.disconnectAfterTokens !== undefined) return cut('');
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: finishReason }],
      usage,
    });
  }

  const chunk = (fields: Record<string, unknown>) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, ...fields })}\n\n`;
  const delta = (content: Record<string, string>, finish_reason: string | null) =>
    chunk({ choices: [{ index: 0, delta: content, finish_reason }] });

  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(delta({ role: 'assistant', content: '' }, null));
  await pause(script.firstTokenDelayMs);

  // With no delay, tokens are batched into one write: 20,000 of them stream in milliseconds.
  const pending: string[] = [];
  const flush = () => res.write(pending.splice(0).join(''));
  for (let sent = 0; ; sent++) {
    if (closed) return;
    if (sent === script.disconnectAfterTokens) return cut(pending.join(''));
    if (sent === script.hangAfterTokens) {
      flush();
      return whenClosed;
    }
    if (sent === tokens.length) break;
    if (sent > 0 && script.tokenDelayMs) {
      flush();
      await pause(script.tokenDelayMs);
      if (closed) return;
    }
    pending.push(delta({ content: tokens[sent] }, null));
  }
  const groqUsage = record.path.startsWith('/openai/') && usage ? { x_groq: { id: `req_${id}`, usage } } : {};
  pending.push(chunk({ choices: [{ index: 0, delta: {}, finish_reason: finishReason }], ...groqUsage }));
  if (body.stream_options?.include_usage && usage) pending.push(chunk({ choices: [], usage }));
  pending.push('data: [DONE]\n\n');
  res.end(pending.join(''));
}

function reportedUsage(script: FakeLlmScript, body: ChatCompletionRequestBody, tokenCount: number) {
  if (script.usage === null) return undefined;
  const promptChars = body.messages.reduce((sum, message) => sum + message.content.length, 0);
  const prompt_tokens = script.usage?.promptTokens ?? Math.ceil(promptChars / 4);
  const completion_tokens = script.usage?.completionTokens ?? tokenCount;
  return { prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens };
}

function splitIntoTokens(reply: string, count: number | undefined): string[] {
  if (count === undefined) return reply.split(/(?<=\s)(?=\S)/).filter(Boolean);
  const size = Math.ceil(reply.length / count);
  return Array.from({ length: count }, (_, index) => reply.slice(index * size, (index + 1) * size));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, code: String(status) } }, headers);
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}
