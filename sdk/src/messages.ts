// Messages: history pages, sending with a streamed reply, cancel, retry, regenerate, edit and
// branches, delete, and watching a session.
import type { AuthState } from './auth';
import { AsyncQueue } from './async-queue';
import {
  CancelReplyMutation,
  HistoryQuery,
  MessageQuery,
  RetryReplyMutation,
  SendMessageMutation,
  toMessage,
  toPage,
} from './documents';
import type { EventHub } from './event-hub';
import { AbortError, asMbcError, NetworkError, NotFoundError, ReplyFailedError, ValidationError } from './errors';
import { randomId } from './ids';
import { createSessionStream, type ReconnectPolicy, type SessionConnector, type SessionStream } from './session-stream';
import { sleep } from './sleep';
import type { Message, Page, ReplyEvent, SessionEvent } from './types';

export interface SendMessageInput {
  sessionId: string;
  text: string;
  /**
   * Idempotency key. Sending again with the same key returns the stored messages instead of
   * creating new ones; one is generated (a UUID) when omitted. Keep it to retry a send safely.
   */
  clientMessageId?: string;
  /** Stops following the reply: the iterator throws an AbortError and `done` rejects with it. The server keeps generating; use `reply.cancel()` to stop it. */
  signal?: AbortSignal;
}

export interface HistoryInput {
  sessionId: string;
  /** Page size (the API caps it at 100; default 50). */
  last?: number;
  /** `pageInfo.startCursor` of the newer page, to load older messages. */
  before?: string;
}

export interface StreamOptions {
  /** Stops the stream: `subscribe` iterators end; `follow` replies throw an AbortError. */
  signal?: AbortSignal;
}

/**
 * A bot reply in progress: iterate it for events, or await `done` for the final message.
 * It runs whether or not it is iterated, and can be iterated once.
 */
export interface Reply extends AsyncIterable<ReplyEvent> {
  /**
   * The bot's final message (status COMPLETE, or CANCELLED after `cancel()`).
   * Rejects with {@link ReplyFailedError} when the reply fails, {@link NetworkError} when the
   * stream is lost for good, {@link AbortError} when aborted, or the error of the send itself.
   */
  readonly done: Promise<Message>;
  /** Asks the API to stop generating; the reply then completes with status CANCELLED and the text so far. */
  cancel(): Promise<Message>;
}

/** The reply to a sent message. */
export interface SendReply extends Reply {
  /** The idempotency key the message was sent with (given or generated): send again with it to retry safely. */
  readonly clientMessageId: string;
}

/** `chat.messages` without the conversation tools: history, sending and streaming (`createCoreClient`). */
export interface MessagesCoreApi {
  /**
   * One page of a session's messages, oldest first (the newest page when `before` is omitted). On a
   * branched chat this is its active path: the variant shown of each turn, without deleted messages.
   *
   * @example
   * ```ts
   * const latest = await chat.messages.history({ sessionId, last: 30 });
   * if (latest.pageInfo.hasPreviousPage) {
   *   const older = await chat.messages.history({ sessionId, last: 30, before: latest.pageInfo.startCursor! });
   * }
   * ```
   */
  history(input: HistoryInput): Promise<Page<Message>>;
  /**
   * Sends the user's message and streams the bot's reply. The stream is opened before the message is
   * sent, so no delta is missed; if the connection breaks it reconnects and resumes from the stored
   * text without gaps or repeats. Yields `added` for the user's and the bot's message, then the
   * bot message's `delta`s and its `completed` or `failed`.
   *
   * @example
   * ```ts
   * const reply = chat.messages.send({ sessionId, text: 'Hello' });
   * for await (const event of reply) if (event.type === 'delta') process.stdout.write(event.text);
   * const message = await reply.done;
   * ```
   */
  send(input: SendMessageInput): SendReply;
  /** Follows a bot reply that is already under way (e.g. after a page reload, or after `retry`). */
  follow(messageId: string, options?: StreamOptions): Reply;
  /** Stops a bot reply in progress; resolves with the message, status CANCELLED (or its final state if it had ended). */
  cancel(messageId: string): Promise<Message>;
  /** Generates a FAILED or CANCELLED bot reply again in place; resolves with the message, status STREAMING. Watch it with `follow` or `subscribe`. */
  retry(messageId: string): Promise<Message>;
  /**
   * Everything that happens in a session (other tabs and devices included), until aborted or the loop
   * breaks. Reconnects and resumes like `send`; throws a NetworkError when reconnecting fails.
   */
  subscribe(sessionId: string, options?: StreamOptions): AsyncIterable<SessionEvent>;
}

export function createMessagesApi(auth: AuthState, hub: EventHub, reconnect: ReconnectPolicy): MessagesCoreApi {
  const fetchMessage = async (id: string): Promise<Message | null> => {
    const { node } = await auth.request(MessageQuery, { id });
    return node?.__typename === 'Message' ? toMessage(node) : null;
  };
  const connector = (sessionId: string): SessionConnector => hub.connector(sessionId, fetchMessage);
  const cancel = async (messageId: string) => toMessage((await auth.request(CancelReplyMutation, { messageId })).cancelReply);

  return {
    async history({ sessionId, last = 50, before }) {
      const { session } = await auth.request(HistoryQuery, { sessionId, last, before });
      if (!session) throw new NotFoundError('Session not found.', { code: 'NOT_FOUND' });
      return toPage(session.messages, toMessage);
    },

    send({ sessionId, text, clientMessageId = randomId(), signal }) {
      const reply = startReply({
        sessionId: async () => sessionId,
        connector,
        reconnect,
        signal,
        cancel,
        async begin() {
          const variables = { sessionId, text, clientMessageId };
          // The clientMessageId makes a repeated send harmless, so a send lost to the network is retried.
          for (let failures = 0; ; failures++) {
            try {
              const { sendMessage } = await auth.request(SendMessageMutation, variables, signal);
              return [toMessage(sendMessage.userMessage), toMessage(sendMessage.botMessage)];
            } catch (error) {
              if (!(error instanceof NetworkError) || failures >= reconnect.attempts) throw error;
              await sleep(reconnect.delayMs * 2 ** failures, signal);
            }
          }
        },
      });
      return Object.assign(reply, { clientMessageId });
    },

    follow(messageId, { signal } = {}) {
      const first = (async () => {
        const message = await fetchMessage(messageId);
        if (!message) throw new NotFoundError('Message not found.', { code: 'NOT_FOUND' });
        if (message.role !== 'BOT') throw new ValidationError('Only a bot reply can be followed.', { field: 'messageId' });
        return message;
      })();
      first.catch(() => undefined); // reported through the reply
      return startReply({
        sessionId: async () => (await first).sessionId,
        connector,
        reconnect,
        signal,
        cancel,
        // Read again once the stream is open, so nothing between the read and the first event is lost.
        begin: async () => [(await fetchMessage(messageId)) ?? (await first)],
      });
    },

    cancel,

    async retry(messageId) {
      return toMessage((await auth.request(RetryReplyMutation, { messageId })).retryReply);
    },

    subscribe(sessionId, { signal } = {}) {
      return {
        [Symbol.asyncIterator]() {
          const stream = createSessionStream(connector(sessionId), {
            reconnect,
            scope: 'all',
            onEvent: (event) => queue.push(event),
            onError: (error) => queue.fail(error),
            onEnd: () => queue.end(),
          });
          const stop = () => {
            stream.close();
            queue.end();
          };
          const queue = new AsyncQueue<SessionEvent>(() => {
            stream.close();
            signal?.removeEventListener('abort', stop);
          });
          if (signal?.aborted) {
            queue.end();
            return queue;
          }
          signal?.addEventListener('abort', stop, { once: true });
          stream.start().catch((error: unknown) => queue.fail(asMbcError(error)));
          return queue;
        },
      };
    },
  };
}

interface ReplyOptions {
  sessionId(): Promise<string>;
  connector(sessionId: string): SessionConnector;
  reconnect: ReconnectPolicy;
  signal: AbortSignal | undefined;
  cancel(messageId: string): Promise<Message>;
  /** Runs once the stream is open: the messages to follow, the bot's reply last. */
  begin(): Promise<Message[]>;
}

function startReply(options: ReplyOptions): Reply {
  const { signal } = options;
  const events = new AsyncQueue<ReplyEvent>();
  let resolveDone!: (message: Message) => void;
  let rejectDone!: (error: unknown) => void;
  const done = new Promise<Message>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // a caller who only iterates must not see an unhandled rejection
  let botMessageId: string | undefined;
  let learnBotMessageId!: (id: string) => void;
  let neverKnown!: (error: unknown) => void;
  const botMessageKnown = new Promise<string>((resolve, reject) => {
    learnBotMessageId = resolve;
    neverKnown = reject;
  });
  botMessageKnown.catch(() => undefined);
  let finished = false;
  let iterated = false;
  let stream: SessionStream | undefined;

  const finish = (outcome: () => void) => {
    if (finished) return;
    finished = true;
    stream?.close();
    signal?.removeEventListener('abort', onAbort);
    outcome();
  };
  const fail = (error: unknown) =>
    finish(() => {
      const reason = asMbcError(error);
      events.fail(reason);
      rejectDone(reason);
      neverKnown(reason);
    });
  const onAbort = () => fail(new AbortError(signal?.reason));
  const onEvent = (event: ReplyEvent) => {
    if (finished) return;
    events.push(event);
    if (event.type === 'completed' && event.message.id === botMessageId) {
      finish(() => {
        events.end();
        resolveDone(event.message);
      });
    } else if (event.type === 'failed' && event.messageId === botMessageId) {
      finish(() => {
        events.end();
        rejectDone(new ReplyFailedError(event.message, { code: event.code, messageId: event.messageId }));
      });
    }
  };

  if (signal?.aborted) {
    onAbort();
  } else {
    signal?.addEventListener('abort', onAbort, { once: true });
    (async () => {
      const sessionId = await options.sessionId();
      if (finished) return;
      stream = createSessionStream(options.connector(sessionId), { reconnect: options.reconnect, scope: 'named', onEvent, onError: fail });
      await stream.start();
      if (finished) return;
      const messages = await options.begin();
      if (finished) return;
      const bot = messages[messages.length - 1]!;
      botMessageId = bot.id;
      learnBotMessageId(bot.id);
      stream.follow(messages);
    })().catch(fail);
  }

  return {
    done,
    async cancel() {
      const message = await options.cancel(await botMessageKnown);
      stream?.apply(message);
      return message;
    },
    [Symbol.asyncIterator]() {
      if (iterated) throw new TypeError('A reply can be iterated only once; await reply.done for its result.');
      iterated = true;
      return events;
    },
  };
}
