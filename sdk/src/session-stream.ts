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

export class SessionStream {
  private readonly cursors = new Map<string, Cursor>();
  private readonly named = new Set<string>();
  private held: SessionEvent[] | null;
  private connection: (() => void) | null = null;
  private closed = false;
  private failures = 0;
  private openedAt = 0;
  private readonly fetching = new Set<string>();
  private readonly fetchAgain = new Set<string>();
  /** Aborted on close: ends the waits between reconnection attempts. */
  private readonly closing = new AbortController();
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private quietDelay = QUIET_CHECK_MS.first;

  constructor(
    private readonly connector: SessionConnector,
    private readonly options: SessionStreamOptions,
  ) {
    this.held = options.scope === 'named' ? [] : null;
  }

  /** Connects, retrying as the policy allows; resolves once the API accepted the stream. */
  start(): Promise<void> {
    return this.connect();
  }

  /**
   * Starts following these messages (scope 'named'): emits `added` for each, settles those already
   * finished, then replays the events held so far.
   */
  follow(messages: Message[]): void {
    for (const message of messages) {
      this.named.add(message.id);
      if (message.role === 'BOT' && isFinal(message.status)) {
        this.emit({ type: 'added', message });
        this.settle(message);
      } else {
        this.added(message);
      }
    }
    const held = this.held ?? [];
    this.held = null;
    for (const event of held) this.route(event);
    this.armQuietCheck();
  }

  /** Applies a message state learned elsewhere (e.g. the answer to cancelReply). */
  apply(message: Message): void {
    this.applyStored(message.id, message);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection?.();
    this.connection = null;
    this.closing.abort();
    for (const timer of this.gapTimers.values()) clearTimeout(timer);
    clearTimeout(this.quietTimer);
  }

  // connection

  private async connect(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      try {
        await this.open();
        return;
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        if (++this.failures > this.options.reconnect.attempts) throw this.gaveUp(error);
        await sleep(this.backoff(), this.closing.signal);
      }
    }
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      let opened = false;
      const close = this.connector.connect({
        open: () => {
          if (this.closed || this.connection !== close) return;
          this.openedAt = Date.now();
          if (!opened) {
            opened = true;
            resolve();
          } else {
            this.catchUpAll(); // reopened behind our back: events may have been missed meanwhile
          }
        },
        event: (event) => {
          if (this.connection === close) this.receive(event);
        },
        fail: (error) => (opened ? this.broken(close, error) : reject(error)),
        end: () => {
          const error = new NetworkError('The API closed the event stream.');
          if (opened) this.broken(close, error);
          else reject(error);
        },
      });
      this.connection = close;
      if (this.closed) close();
    });
  }

  private broken(connection: () => void, error: MbcError): void {
    if (this.closed || this.connection !== connection) return;
    this.connection = null;
    if (!(error instanceof NetworkError)) return this.fail(error);
    if (Date.now() - this.openedAt >= STABLE_CONNECTION_MS) this.failures = 0;
    if (++this.failures > this.options.reconnect.attempts) return this.fail(this.gaveUp(error));
    void sleep(this.backoff(), this.closing.signal)
      .then(() => this.connect())
      .then(() => this.catchUpAll())
      .catch((reason: unknown) => this.fail(reason instanceof MbcError ? reason : this.gaveUp(reason)));
  }

  private gaveUp(cause: unknown): NetworkError {
    const { attempts } = this.options.reconnect;
    return new NetworkError(`Lost the event stream and could not reconnect (${attempts} attempts).`, { cause });
  }

  private backoff(): number {
    const { delayMs } = this.options.reconnect;
    return Math.min(delayMs * 2 ** Math.max(this.failures - 1, 0), MAX_RECONNECT_DELAY_MS);
  }

  private fail(error: MbcError): void {
    if (this.closed) return;
    this.close();
    this.options.onError(error);
  }

  // events

  private receive(event: SessionEvent): void {
    this.failures = 0;
    if (this.held) this.held.push(event);
    else this.route(event);
  }

  private route(event: SessionEvent): void {
    if (event.type === 'deleted') return this.sessionDeleted(event);
    const id = event.type === 'added' || event.type === 'completed' ? event.message.id : event.messageId;
    if (this.options.scope === 'named' && !this.named.has(id)) return;
    this.quietDelay = QUIET_CHECK_MS.first;
    switch (event.type) {
      case 'added':
        this.added(event.message);
        break;
      case 'delta':
        this.delta(id, event.seq, event.text);
        break;
      case 'completed':
        this.completed(event.message);
        break;
      case 'failed':
        this.failed(event);
        break;
    }
    this.armQuietCheck();
  }

  private added(message: Message): void {
    const cursor = this.cursors.get(message.id);
    // Announced already, unless it finished and now streams again (retryReply regenerates in place).
    const regenerated = cursor?.done && !isFinal(message.status) && message.updatedAt > cursor.updatedAt;
    if (cursor?.announced && !regenerated) return;
    const next = this.cursorFrom(message, cursor);
    this.emit({ type: 'added', message });
    this.drain(message.id, next);
  }

  private delta(id: string, seq: number, text: string): void {
    let cursor = this.cursors.get(id);
    if (!cursor) {
      cursor = { text: '', seq: 0, done: false, announced: false, updatedAt: '', ahead: new Map() };
      this.cursors.set(id, cursor);
    }
    if (cursor.done || seq <= cursor.seq) return;
    cursor.ahead.set(seq, text);
    if (!cursor.announced) return this.catchUp(id); // joined mid-reply: announce it with its stored text first
    this.drain(id, cursor);
  }

  private completed(message: Message): void {
    const cursor = this.cursors.get(message.id);
    if (cursor?.done) return;
    if (cursor?.announced && message.text.length > cursor.text.length && message.text.startsWith(cursor.text)) {
      this.emit({ type: 'delta', messageId: message.id, seq: message.seq, text: message.text.slice(cursor.text.length) });
    }
    this.cursors.set(message.id, {
      text: message.text,
      seq: message.seq,
      done: true,
      announced: true,
      updatedAt: message.updatedAt,
      ahead: new Map(),
    });
    this.emit({ type: 'completed', message });
  }

  private failed(event: Extract<SessionEvent, { type: 'failed' }>, updatedAt?: string): void {
    const cursor = this.cursors.get(event.messageId);
    if (cursor?.done) return;
    this.cursors.set(event.messageId, {
      text: cursor?.text ?? '',
      seq: cursor?.seq ?? 0,
      done: true,
      announced: true,
      updatedAt: updatedAt ?? cursor?.updatedAt ?? '',
      ahead: new Map(),
    });
    this.emit(event);
  }

  /** Emits the deltas that continue the text without a gap; looks the rest up if one remains. */
  private drain(id: string, cursor: Cursor): void {
    for (const seq of cursor.ahead.keys()) if (seq <= cursor.seq) cursor.ahead.delete(seq);
    for (let text = cursor.ahead.get(cursor.seq + 1); text !== undefined; text = cursor.ahead.get(cursor.seq + 1)) {
      cursor.ahead.delete(cursor.seq + 1);
      cursor.seq += 1;
      cursor.text += text;
      this.emit({ type: 'delta', messageId: id, seq: cursor.seq, text });
    }
    if (cursor.ahead.size) this.catchUpSoon(id);
  }

  private cursorFrom(message: Message, previous?: Cursor): Cursor {
    const cursor: Cursor = {
      text: message.text,
      seq: message.seq,
      done: isFinal(message.status),
      announced: true,
      updatedAt: message.updatedAt,
      // deltas that arrived before an unannounced message was looked up still count
      ahead: previous && !previous.announced ? previous.ahead : new Map(),
    };
    this.cursors.set(message.id, cursor);
    return cursor;
  }

  private settle(message: Message): void {
    if (message.status === 'FAILED') {
      this.failed(
        {
          type: 'failed',
          messageId: message.id,
          code: message.errorCode ?? 'FAILED',
          message: message.errorMessage ?? 'The reply failed.',
        },
        message.updatedAt,
      );
    } else {
      this.completed(message);
    }
  }

  // catching up from the stored message

  private catchUpAll(): void {
    for (const [id, cursor] of this.cursors) if (!cursor.done) this.catchUp(id);
  }

  private catchUpSoon(id: string): void {
    if (this.closed || this.gapTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.gapTimers.delete(id);
      this.catchUp(id);
    }, GAP_RETRY_MS);
    this.gapTimers.set(id, timer);
  }

  private catchUp(id: string): void {
    if (this.closed) return;
    if (this.fetching.has(id)) {
      this.fetchAgain.add(id);
      return;
    }
    this.fetching.add(id);
    this.connector
      .fetchMessage(id)
      .then(
        (message) => this.applyStored(id, message),
        (error: unknown) => {
          if (error instanceof NotFoundError) this.applyStored(id, null);
          else if (error instanceof NetworkError) this.catchUpSoon(id); // the connection's own recovery may be under way
          else this.fail(error instanceof MbcError ? error : new NetworkError('Could not load the message.', { cause: error }));
        },
      )
      .finally(() => {
        this.fetching.delete(id);
        if (this.fetchAgain.delete(id)) this.catchUp(id);
      });
  }

  private applyStored(id: string, message: Message | null): void {
    if (this.closed) return;
    const cursor = this.cursors.get(id);
    if (cursor?.done) return;
    if (!message) {
      this.failed({ type: 'failed', messageId: id, code: 'NOT_FOUND', message: 'The message no longer exists.' });
      return;
    }
    if (!cursor?.announced) {
      this.cursorFrom(message, cursor);
      this.emit({ type: 'added', message });
      if (isFinal(message.status)) this.settle(message);
      else this.drain(id, this.cursors.get(id)!);
    } else if (isFinal(message.status)) {
      this.settle(message);
    } else if (message.seq > cursor.seq) {
      if (message.text.startsWith(cursor.text)) {
        const text = message.text.slice(cursor.text.length);
        cursor.text = message.text;
        cursor.seq = message.seq;
        this.emit({ type: 'delta', messageId: id, seq: message.seq, text });
        this.drain(id, cursor);
      } else {
        // Not a continuation of what we emitted: the reply was regenerated meanwhile.
        this.cursorFrom(message);
        this.emit({ type: 'added', message });
      }
    } else if (cursor.ahead.size) {
      this.catchUpSoon(id); // the saved text has not reached the gap yet
    }
    this.armQuietCheck();
  }

  /** A reply in progress that goes quiet is checked against its stored state, less often the longer it lasts. */
  private armQuietCheck(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
    if (this.closed || this.held) return;
    let streaming = false;
    for (const cursor of this.cursors.values()) {
      if (!cursor.done) {
        streaming = true;
        break;
      }
    }
    if (!streaming) return;
    this.quietTimer = setTimeout(() => {
      this.quietDelay = Math.min(this.quietDelay * 2, QUIET_CHECK_MS.max);
      this.catchUpAll();
      this.armQuietCheck();
    }, this.quietDelay);
  }

  /** The last event: a stream of the whole session ends with it; a reply's stream fails, the reply is gone. */
  private sessionDeleted(event: Extract<SessionEvent, { type: 'deleted' }>): void {
    if (this.options.scope === 'named') return this.fail(new NotFoundError('The session was deleted.', { code: 'NOT_FOUND' }));
    this.emit(event);
    this.close();
    this.options.onEnd?.();
  }

  private emit(event: SessionEvent): void {
    if (!this.closed) this.options.onEvent(event);
  }
}
