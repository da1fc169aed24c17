// /sessions/{session_id}/messages: send a message and get the bot's reply (whole, or streamed as
// Server-Sent Events), and read the history a page at a time.
import type { Message as MessageRow } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { SendInput } from '../chat/messages.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { SessionWithBot } from '../chat/session-store.ts';
import { assertBotAllowsOrigin } from '../origins.ts';
import { named, operation, type Reply, timestamp } from './operation.ts';
import type { RestRequest } from './request.ts';
import { sessionInPath } from './sessions.ts';

// A comment line now and then keeps proxies and load balancers from closing a quiet stream (a
// model can think for a while before its first token); every 12 s, as GraphQL subscriptions ping.
const KEEP_ALIVE_MS = 12_000;

const Message = named(
  'Message',
  z.strictObject({
    id: z.string(),
    role: z.enum(['user', 'bot']),
    text: z.string(),
    status: z.enum(['complete', 'streaming', 'failed', 'cancelled']),
    created_at: timestamp(),
    latency_ms: z.number().int().nullable().optional().describe("Bot messages: milliseconds from the question to the reply's last token."),
    error_code: z.string().nullable().optional().describe('Bot messages that failed: TIMEOUT, PROVIDER_ERROR, RATE_LIMITED, INTERRUPTED, …'),
  }),
);

const NewMessage = named(
  'NewMessage',
  z.strictObject({
    message: z.string().describe("The user's text."),
    client_message_id: z
      .string()
      .optional()
      .describe('Makes the send idempotent: the same id again returns the stored pair instead of asking twice.'),
  }),
);

// Described for the stream's `delta` events.
named(
  'Delta',
  z.strictObject({
    message_id: z.string(),
    seq: z.number().int().describe('1, 2, 3, … without gaps.'),
    text: z.string().describe('The next piece of the reply: the deltas joined are the final text.'),
  }),
);

const HistoryPage = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().max(100).optional().describe('A message id: the page ends just before it.'),
});

function message(row: MessageRow): z.output<typeof Message> {
  const common = {
    id: row.id,
    role: row.role === 'BOT' ? ('bot' as const) : ('user' as const),
    text: row.text,
    status: row.status.toLowerCase() as z.output<typeof Message>['status'],
    created_at: new Date(row.createdAt).toISOString(),
  };
  return row.role === 'BOT' ? { ...common, latency_ms: row.latencyMs, error_code: row.errorCode } : common;
}

const wantsStream = (rest: RestRequest) => /\btext\/event-stream\b/i.test(String(rest.req.headers.accept ?? ''));

/**
 * Streams the reply as SSE: `delta` events, then `done` with the stored message. The subscription
 * is opened before the send so no delta is missed; the stored reply decides when the stream ends,
 * and any text a delta did not carry (a client that joined an idempotent send late) is sent as a
 * last delta, so the deltas always add up to the final text.
 */
async function streamReply(rest: RestRequest, viewer: Viewer, input: SendInput, session: SessionWithBot): Promise<Reply> {
  const { app, res } = rest;
  const events = app.pubsub.subscribe('sessionEvents', session.id)[Symbol.asyncIterator]();
  let keepAlive: NodeJS.Timeout | undefined;
  try {
    const { botMessage } = await app.messages.send(viewer, { ...input, wait: false }, session);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const left = new Promise<'left'>((resolve) => res.once('close', () => resolve('left')));
    const ended = app.messages.waitForReply(botMessage);
    let sent = '';
    let seq = 0;
    for (let next = events.next(); ; next = events.next()) {
      const result = await Promise.race([next, ended.then(() => 'ended' as const), left]);
      if (result === 'left') return undefined;
      if (result === 'ended' || result.done) break;
      const event = result.value;
      if (event.kind === 'SessionDeleted') break;
      if (event.kind === 'MessageDelta' && event.messageId === botMessage.id && event.seq > seq) {
        send('delta', { message_id: botMessage.id, seq: event.seq, text: event.text });
        sent += event.text;
        seq = event.seq;
      }
    }
    const final = await ended;
    if (final.status === 'STREAMING') {
      // It never ended: the session was deleted meanwhile, and the reply with it.
      send('error', { detail: 'The session was deleted while the reply was streaming.' });
      res.end();
      return undefined;
    }
    if (final.text.length > sent.length) send('delta', { message_id: final.id, seq: Math.max(final.seq, seq + 1), text: final.text.slice(sent.length) });
    send('done', message(final));
    res.end();
    return undefined;
  } finally {
    clearInterval(keepAlive);
    await events.return?.();
  }
}

export const messageOperations = [
  operation({
    method: 'POST',
    path: '/sessions/{session_id}/messages',
    tag: 'Messages',
    summary: 'Send a message and get the reply',
    description:
      'Answers `[userMessage, botMessage]` once the reply has ended (its `status` says how). With `Accept: text/event-stream` ' +
      'the same request streams the reply instead: `delta` events (a Delta each), then one `done` event holding the stored bot Message.',
    auth: true,
    body: { schema: NewMessage },
    responses: {
      200: {
        description: 'The stored question and the finished reply.',
        schema: z.array(Message).length(2),
        stream:
          "event: delta, data: a Delta (repeated); then event: done, data: the bot's Message. " +
          'If the session is deleted meanwhile, the stream ends with event: error, data: an Error.',
      },
    },
    errors: {
      403: "The request comes from a site the bot's settings do not allow (Origin).",
      429: 'Sending faster than the per-user limit, or too many replies streaming at once.',
    },
    async handle(rest, { viewer, body }) {
      const session = await sessionInPath(rest, viewer);
      // Before the send limit, so a refused site does not use it up.
      assertBotAllowsOrigin(rest, session.bot);
      await rest.app.limits.guardSend(viewer);
      const input: SendInput = { sessionId: session.id, text: body.message, clientMessageId: body.client_message_id };
      if (wantsStream(rest)) return streamReply(rest, viewer, input, session);
      const pair = await rest.app.messages.send(viewer, { ...input, wait: true }, session);
      return { status: 200, body: [message(pair.userMessage), message(pair.botMessage)] };
    },
  }),
  operation({
    method: 'GET',
    path: '/sessions/{session_id}/messages',
    tag: 'Messages',
    summary: 'Read the history',
    description: 'The newest `limit` messages, oldest first. For older ones, pass the first message\'s id as `before`.',
    auth: true,
    query: HistoryPage,
    responses: { 200: { description: 'A page of messages, oldest first.', schema: z.array(Message) } },
    async handle(rest, { viewer, query }) {
      const session = await sessionInPath(rest, viewer);
      const rows = await rest.app.sessions.history(session.id, -query.limit, query.before);
      return { status: 200, body: rows.map(message) };
    },
  }),
];
