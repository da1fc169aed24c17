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

export interface EventHub {
  /** A session's view of the shared connection, for its SessionStream. */
  connector(sessionId: string, fetchMessage: (id: string) => Promise<Message | null>): SessionConnector;
}

/** (Closures rather than a class: the widget's size budget counts every property name.) */
export function createEventHub(link: ViewerEventLink): EventHub {
  const attached = new Set<Attachment>();
  let connection: Connection | null = null;

  /** The connection is gone: every stream hears it and reconnects on its own schedule (attaching again). */
  const broken = (report: (handlers: ConnectionHandlers) => void) => {
    connection = null;
    const attachments = [...attached];
    attached.clear();
    for (const { handlers } of attachments) report(handlers);
  };

  const connect = (): Connection => {
    const opened: Connection = { open: false, close: () => {} };
    connection = opened;
    const current = () => connection === opened;
    opened.close = link({
      open: () => {
        if (!current()) return;
        opened.open = true;
        for (const { handlers } of [...attached]) handlers.open();
      },
      event: (sessionId, event) => {
        if (!current()) return;
        for (const attachment of [...attached]) if (attachment.sessionId === sessionId) attachment.handlers.event(event);
      },
      fail: (error) => current() && broken((handlers) => handlers.fail(error)),
      end: () => current() && broken((handlers) => handlers.end()),
    });
    return opened;
  };

  const attach = (sessionId: string, handlers: ConnectionHandlers): (() => void) => {
    const attachment = { sessionId, handlers };
    attached.add(attachment);
    const shared = connection ?? connect();
    // Already live: tell the stream on a later turn, once it holds the function returned here.
    if (shared.open) queueMicrotask(() => attached.has(attachment) && connection === shared && handlers.open());
    return () => {
      attached.delete(attachment);
      if (attached.size || connection !== shared) return;
      connection = null;
      shared.close();
    };
  };

  return {
    connector: (sessionId, fetchMessage) => ({ connect: (handlers) => attach(sessionId, handlers), fetchMessage }),
  };
}

/** The API's viewerEvents, opened as the signed-in user. */
export function viewerEventsOf(auth: AuthState): ViewerEventLink {
  return (handlers) =>
    auth.subscribe(ViewerEventsSubscription, {}, {
      ...handlers,
      next: ({ viewerEvents }) => handlers.event(viewerEvents.sessionId, toSessionEvent(viewerEvents.event)),
    });
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
    case 'PathChanged':
      return { type: 'pathChanged', sessionId: data.sessionId, parentId: data.parentId };
    case 'MessageDeleted':
      return { type: 'messageDeleted', messageId: data.messageId };
    case 'SessionDeleted':
      return { type: 'deleted', sessionId: data.sessionId };
  }
}
