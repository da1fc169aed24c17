// One session's events, kept whole across broken connections.
//
// The API numbers each message's deltas (seq 1, 2, 3, …) and stores the streamed text together with
// how many deltas it includes. So after any doubt — a reconnect, a delta that skips a number, a quiet
// stream — the stored message is fetched and the missing text is emitted as one delta; deltas the
// stored text already covers are dropped. Consumers see every character once, in order.
import { MbcError, NetworkError, NotFoundError } from './errors';
import { sleep } from './sleep';
import type { Message, SessionEvent } from './types';

/** How a stream reconnects after its connection breaks. */
export interface ReconnectOptions {
  /** Consecutive failed attempts before giving up with a NetworkError (default 5). */
  attempts?: number;
  /** Wait before the first attempt, doubled for each further one, at most 30 s (default 500 ms). */
  delayMs?: number;
}

export type ReconnectPolicy = Required<ReconnectOptions>;

export const DEFAULT_RECONNECT: ReconnectPolicy = { attempts: 5, delayMs: 500 };

/** What a stream needs from the API. */
export interface SessionConnector {
  /** Opens the session's subscription; returns a function that closes it. */
  connect(handlers: ConnectionHandlers): () => void;
  /** The stored message, or null when it no longer exists. */
  fetchMessage(id: string): Promise<Message | null>;
}

export interface ConnectionHandlers {
  /** The API accepted the stream; called again if the connector had to reopen it (e.g. after renewing the token). */
  open(): void;
  event(event: SessionEvent): void;
  fail(error: MbcError): void;
  end(): void;
}

export interface SessionStreamOptions {
  reconnect: ReconnectPolicy;
  /** 'all' messages of the session, or 'named' ones only: events are held until `follow` names them. */
  scope: 'all' | 'named';
  onEvent(event: SessionEvent): void;
  /** The stream gave up: reconnecting failed, or the API refused (e.g. the session was deleted). */
  onError(error: MbcError): void;
  /** The session was deleted: after its `deleted` event (scope 'all'), the stream ends. */
  onEnd?(): void;
}

/** The API saves streamed text every few hundred milliseconds; a gap is looked up again after this. */
const GAP_RETRY_MS = 250;
/** Silence from a reply in progress this long makes the stream check the stored message, then less often. */
const QUIET_CHECK_MS = { first: 3_000, max: 15_000 };
/** A connection that lasted this long counts as working, whatever happened before. */
const STABLE_CONNECTION_MS = 10_000;
const MAX_RECONNECT_DELAY_MS = 30_000;

interface Cursor {
  /** The text emitted so far and the number of deltas it includes. */
  text: string;
  seq: number;
  done: boolean;
  /** False while the message is known only from a delta and its stored state is being fetched. */
  announced: boolean;
  /** `updatedAt` of the latest state seen: tells a regenerated reply from a stale announcement. */
  updatedAt: string;
  /** Deltas that arrived ahead of a gap, by seq. */
  ahead: Map<number, string>;
}

const isFinal = (status: Message['status']) => status !== 'STREAMING';

/** A session's events, kept whole across broken connections. */
export interface SessionStream {
  /** Connects, retrying as the policy allows; resolves once the API accepted the stream. */
  start(): Promise<void>;
  /**
   * Starts following these messages (scope 'named'): emits `added` for each, settles those already
   * finished, then replays the events held so far.
   */
  follow(messages: Message[]): void;
  /** Applies a message state learned elsewhere (e.g. the answer to cancelReply). */
  apply(message: Message): void;
  close(): void;
}

/** (Closures rather than a class: minified, they cost the widget's size budget no property names.) */
export function createSessionStream(connector: SessionConnector, options: SessionStreamOptions): SessionStream {
  const cursors = new Map<string, Cursor>();
  const named = new Set<string>();
  let held: SessionEvent[] | null = options.scope === 'named' ? [] : null;
  let connection: (() => void) | null = null;
  let closed = false;
  let failures = 0;
  let openedAt = 0;
  const fetching = new Set<string>();
  const fetchAgain = new Set<string>();
  /** Aborted on close: ends the waits between reconnection attempts. */
  const closing = new AbortController();
  const gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let quietTimer: ReturnType<typeof setTimeout> | undefined;
  let quietDelay = QUIET_CHECK_MS.first;

  function start(): Promise<void> {
    return connect();
  }

  function follow(messages: Message[]): void {
    for (const message of messages) {
      named.add(message.id);
      if (message.role === 'BOT' && isFinal(message.status)) {
        emit({ type: 'added', message });
        settle(message);
      } else {
        added(message);
      }
    }
    const replay = held ?? [];
    held = null;
    for (const event of replay) route(event);
    armQuietCheck();
  }

  function apply(message: Message): void {
    applyStored(message.id, message);
  }

  function close(): void {
    if (closed) return;
    closed = true;
    connection?.();
    connection = null;
    closing.abort();
    for (const timer of gapTimers.values()) clearTimeout(timer);
    clearTimeout(quietTimer);
  }

  // connection

  async function connect(): Promise<void> {
    for (;;) {
      if (closed) return;
      try {
        await open();
        return;
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        if (++failures > options.reconnect.attempts) throw gaveUp(error);
        await sleep(backoff(), closing.signal);
      }
    }
  }

  function open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let opened = false;
      const close = connector.connect({
        open: () => {
          if (closed || connection !== close) return;
          openedAt = Date.now();
          if (!opened) {
            opened = true;
            resolve();
          } else {
            catchUpAll(); // reopened behind our back: events may have been missed meanwhile
          }
        },
        event: (event) => {
          if (connection === close) receive(event);
        },
        fail: (error) => (opened ? broken(close, error) : reject(error)),
        end: () => {
          const error = new NetworkError('The API closed the event stream.');
          if (opened) broken(close, error);
          else reject(error);
        },
      });
      connection = close;
      if (closed) close();
    });
  }

  function broken(lost: () => void, error: MbcError): void {
    if (closed || connection !== lost) return;
    connection = null;
    if (!(error instanceof NetworkError)) return fail(error);
    if (Date.now() - openedAt >= STABLE_CONNECTION_MS) failures = 0;
    if (++failures > options.reconnect.attempts) return fail(gaveUp(error));
    void sleep(backoff(), closing.signal)
      .then(() => connect())
      .then(() => catchUpAll())
      .catch((reason: unknown) => fail(reason instanceof MbcError ? reason : gaveUp(reason)));
  }

  function gaveUp(cause: unknown): NetworkError {
    const { attempts } = options.reconnect;
    return new NetworkError(`Lost the event stream and could not reconnect (${attempts} attempts).`, { cause });
  }

  function backoff(): number {
    const { delayMs } = options.reconnect;
    return Math.min(delayMs * 2 ** Math.max(failures - 1, 0), MAX_RECONNECT_DELAY_MS);
  }

  function fail(error: MbcError): void {
    if (closed) return;
    close();
    options.onError(error);
  }

  // events

  function receive(event: SessionEvent): void {
    failures = 0;
    if (held) held.push(event);
    else route(event);
  }

  function route(event: SessionEvent): void {
    if (event.type === 'deleted') return sessionDeleted(event);
    // Changes to the chat's shape, not to one message's text: only whole-session followers need them.
    if (event.type === 'pathChanged' || event.type === 'messageDeleted') {
      if (options.scope === 'all') emit(event);
      return;
    }
    const id = event.type === 'added' || event.type === 'completed' ? event.message.id : event.messageId;
    if (options.scope === 'named' && !named.has(id)) return;
    quietDelay = QUIET_CHECK_MS.first;
    switch (event.type) {
      case 'added':
        added(event.message);
        break;
      case 'delta':
        delta(id, event.seq, event.text);
        break;
      case 'completed':
        completed(event.message);
        break;
      case 'failed':
        failed(event);
        break;
    }
    armQuietCheck();
  }

  function added(message: Message): void {
    const cursor = cursors.get(message.id);
    // Announced already, unless it finished and now streams again (retryReply regenerates in place).
    const regenerated = cursor?.done && !isFinal(message.status) && message.updatedAt > cursor.updatedAt;
    if (cursor?.announced && !regenerated) return;
    const next = cursorFrom(message, cursor);
    emit({ type: 'added', message });
    drain(message.id, next);
  }

  function delta(id: string, seq: number, text: string): void {
    let cursor = cursors.get(id);
    if (!cursor) {
      cursor = { text: '', seq: 0, done: false, announced: false, updatedAt: '', ahead: new Map() };
      cursors.set(id, cursor);
    }
    if (cursor.done || seq <= cursor.seq) return;
    cursor.ahead.set(seq, text);
    if (!cursor.announced) return catchUp(id); // joined mid-reply: announce it with its stored text first
    drain(id, cursor);
  }

  function completed(message: Message): void {
    const cursor = cursors.get(message.id);
    if (cursor?.done) return;
    if (cursor?.announced && message.text.length > cursor.text.length && message.text.startsWith(cursor.text)) {
      emit({ type: 'delta', messageId: message.id, seq: message.seq, text: message.text.slice(cursor.text.length) });
    }
    cursors.set(message.id, {
      text: message.text,
      seq: message.seq,
      done: true,
      announced: true,
      updatedAt: message.updatedAt,
      ahead: new Map(),
    });
    emit({ type: 'completed', message });
  }

  function failed(event: Extract<SessionEvent, { type: 'failed' }>, updatedAt?: string): void {
    const cursor = cursors.get(event.messageId);
    if (cursor?.done) return;
    cursors.set(event.messageId, {
      text: cursor?.text ?? '',
      seq: cursor?.seq ?? 0,
      done: true,
      announced: true,
      updatedAt: updatedAt ?? cursor?.updatedAt ?? '',
      ahead: new Map(),
    });
    emit(event);
  }

  /** Emits the deltas that continue the text without a gap; looks the rest up if one remains. */
  function drain(id: string, cursor: Cursor): void {
    for (const seq of cursor.ahead.keys()) if (seq <= cursor.seq) cursor.ahead.delete(seq);
    for (let text = cursor.ahead.get(cursor.seq + 1); text !== undefined; text = cursor.ahead.get(cursor.seq + 1)) {
      cursor.ahead.delete(cursor.seq + 1);
      cursor.seq += 1;
      cursor.text += text;
      emit({ type: 'delta', messageId: id, seq: cursor.seq, text });
    }
    if (cursor.ahead.size) catchUpSoon(id);
  }

  function cursorFrom(message: Message, previous?: Cursor): Cursor {
    const cursor: Cursor = {
      text: message.text,
      seq: message.seq,
      done: isFinal(message.status),
      announced: true,
      updatedAt: message.updatedAt,
      // deltas that arrived before an unannounced message was looked up still count
      ahead: previous && !previous.announced ? previous.ahead : new Map(),
    };
    cursors.set(message.id, cursor);
    return cursor;
  }

  function settle(message: Message): void {
    if (message.status === 'FAILED') {
      failed(
        {
          type: 'failed',
          messageId: message.id,
          code: message.errorCode ?? 'FAILED',
          message: message.errorMessage ?? 'The reply failed.',
        },
        message.updatedAt,
      );
    } else {
      completed(message);
    }
  }

  // catching up from the stored message

  function catchUpAll(): void {
    for (const [id, cursor] of cursors) if (!cursor.done) catchUp(id);
  }

  function catchUpSoon(id: string): void {
    if (closed || gapTimers.has(id)) return;
    const timer = setTimeout(() => {
      gapTimers.delete(id);
      catchUp(id);
    }, GAP_RETRY_MS);
    gapTimers.set(id, timer);
  }

  function catchUp(id: string): void {
    if (closed) return;
    if (fetching.has(id)) {
      fetchAgain.add(id);
      return;
    }
    fetching.add(id);
    connector
      .fetchMessage(id)
      .then(
        (message) => applyStored(id, message),
        (error: unknown) => {
          if (error instanceof NotFoundError) applyStored(id, null);
          else if (error instanceof NetworkError) catchUpSoon(id); // the connection's own recovery may be under way
          else fail(error instanceof MbcError ? error : new NetworkError('Could not load the message.', { cause: error }));
        },
      )
      .finally(() => {
        fetching.delete(id);
        if (fetchAgain.delete(id)) catchUp(id);
      });
  }

  function applyStored(id: string, message: Message | null): void {
    if (closed) return;
    const cursor = cursors.get(id);
    if (cursor?.done) return;
    if (!message) {
      failed({ type: 'failed', messageId: id, code: 'NOT_FOUND', message: 'The message no longer exists.' });
      return;
    }
    if (!cursor?.announced) {
      cursorFrom(message, cursor);
      emit({ type: 'added', message });
      if (isFinal(message.status)) settle(message);
      else drain(id, cursors.get(id)!);
    } else if (isFinal(message.status)) {
      settle(message);
    } else if (message.seq > cursor.seq) {
      if (message.text.startsWith(cursor.text)) {
        const text = message.text.slice(cursor.text.length);
        cursor.text = message.text;
        cursor.seq = message.seq;
        emit({ type: 'delta', messageId: id, seq: message.seq, text });
        drain(id, cursor);
      } else {
        // Not a continuation of what we emitted: the reply was regenerated meanwhile.
        cursorFrom(message);
        emit({ type: 'added', message });
      }
    } else if (cursor.ahead.size) {
      catchUpSoon(id); // the saved text has not reached the gap yet
    }
    armQuietCheck();
  }

  /** A reply in progress that goes quiet is checked against its stored state, less often the longer it lasts. */
  function armQuietCheck(): void {
    clearTimeout(quietTimer);
    quietTimer = undefined;
    if (closed || held) return;
    let streaming = false;
    for (const cursor of cursors.values()) {
      if (!cursor.done) {
        streaming = true;
        break;
      }
    }
    if (!streaming) return;
    quietTimer = setTimeout(() => {
      quietDelay = Math.min(quietDelay * 2, QUIET_CHECK_MS.max);
      catchUpAll();
      armQuietCheck();
    }, quietDelay);
  }

  /** The last event: a stream of the whole session ends with it; a reply's stream fails, the reply is gone. */
  function sessionDeleted(event: Extract<SessionEvent, { type: 'deleted' }>): void {
    if (options.scope === 'named') return fail(new NotFoundError('The session was deleted.', { code: 'NOT_FOUND' }));
    emit(event);
    close();
    options.onEnd?.();
  }

  function emit(event: SessionEvent): void {
    if (!closed) options.onEvent(event);
  }

  return { start, follow, apply, close };
}
