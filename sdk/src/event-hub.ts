// One event connection for every session a client follows. The API's viewerEvents carries the
// events of all the viewer's sessions, each naming its session; the hub opens it while at least
// one session stream is attached and hands each stream its session's events. Browsers allow 6
// HTTP/1.1 connections per origin: one stream per chat used to starve every other request.
import type { AuthState } from './auth';
import { toMessage, ViewerEventsSubscription } from './documents';
import type { MbcError } from './errors';
import type { ResultOf } from './graphql';
import type { ConnectionHandlers, SessionConnector } from './session-stream';
import type { Message, SessionEvent } from './types';

/** What a connection carrying the viewer's events reports. After `fail` or `end` nothing more is called. */
export interface ViewerEventHandlers {
  /** The connection is live; called again if it was replaced behind the scenes (events may have been missed meanwhile). */
  open(): void;
  event(sessionId: string, event: SessionEvent): void;
  fail(error: MbcError): void;
  end(): void;
}

/** Opens a connection carrying the viewer's events; returns a function that closes it. */
export type ViewerEventLink = (handlers: ViewerEventHandlers) => () => void;

interface Attachment {
  sessionId: string;
  handlers: ConnectionHandlers;
}

interface Connection {
  close(): void;
  open: boolean;
}

export class EventHub {
  private readonly attached = new Set<Attachment>();
  private connection: Connection | null = null;

  constructor(private readonly link: ViewerEventLink) {}

  /** A session's view of the shared connection, for its SessionStream. */
  connector(sessionId: string, fetchMessage: (id: string) => Promise<Message | null>): SessionConnector {
    return { connect: (handlers) => this.attach(sessionId, handlers), fetchMessage };
  }

  /**
   * Ends the connection as if it broke (e.g. another user signed in): every stream reconnects,
   * and catches up from the stored messages, on a connection opened with the current sign-in.
   */
  reset(error: MbcError): void {
    const connection = this.connection;
    if (!connection) return;
    this.connection = null;
    connection.close();
    this.broken((handlers) => handlers.fail(error));
  }

  private attach(sessionId: string, handlers: ConnectionHandlers): () => void {
    const attachment = { sessionId, handlers };
    this.attached.add(attachment);
    const connection = this.connection ?? this.connect();
    // Already live: tell the stream on a later turn, once it holds the function returned here.
    if (connection.open) queueMicrotask(() => this.attached.has(attachment) && this.connection === connection && handlers.open());
    return () => {
      this.attached.delete(attachment);
      if (this.attached.size || this.connection !== connection) return;
      this.connection = null;
      connection.close();
    };
  }

  private connect(): Connection {
    const connection: Connection = { open: false, close: () => {} };
    this.connection = connection;
    const current = () => this.connection === connection;
    connection.close = this.link({
      open: () => {
        if (!current()) return;
        connection.open = true;
        for (const { handlers } of [...this.attached]) handlers.open();
      },
      event: (sessionId, event) => {
        if (!current()) return;
        for (const attachment of [...this.attached]) if (attachment.sessionId === sessionId) attachment.handlers.event(event);
      },
      fail: (error) => {
        if (!current()) return;
        this.connection = null;
        this.broken((handlers) => handlers.fail(error));
      },
      end: () => {
        if (!current()) return;
        this.connection = null;
        this.broken((handlers) => handlers.end());
      },
    });
    return connection;
  }

  /** The connection is gone: every stream hears it and reconnects on its own schedule (attaching again). */
  private broken(report: (handlers: ConnectionHandlers) => void): void {
    const attachments = [...this.attached];
    this.attached.clear();
    for (const { handlers } of attachments) report(handlers);
  }
}

/** The API's viewerEvents, opened as the signed-in user. */
export function viewerEventsOf(auth: AuthState): ViewerEventLink {
  return (handlers) =>
    auth.subscribe(
      ViewerEventsSubscription,
      {},
      {
        open: () => handlers.open(),
        next: ({ viewerEvents }) => handlers.event(viewerEvents.sessionId, toSessionEvent(viewerEvents.event)),
        fail: (error) => handlers.fail(error),
        end: () => handlers.end(),
      },
    );
}

type SessionEventData = ResultOf<typeof ViewerEventsSubscription>['viewerEvents']['event'];

function toSessionEvent(data: SessionEventData): SessionEvent {
  switch (data.__typename) {
    case 'MessageAdded':
      return { type: 'added', message: toMessage(data.message) };
    case 'MessageDelta':
      return { type: 'delta', messageId: data.messageId, seq: data.seq, text: data.text };
    case 'MessageCompleted':
      return { type: 'completed', message: toMessage(data.message) };
    case 'MessageFailed':
      return { type: 'failed', messageId: data.messageId, code: data.code, message: data.errorMessage };
  }
}
