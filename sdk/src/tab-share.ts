// One tab holds the event connection for every tab of the browser and passes its events on over a
// BroadcastChannel; when that tab closes, another takes over and opens its own. (Tabs of one origin
// share the browser's 6 HTTP/1.1 connections per origin: one stream per tab still starves them.)
//
// Leadership: a Web Lock where the browser offers Web Locks (the browser hands it to a waiting tab
// as soon as the holder closes, even if it crashed); the new leader's connection then reopens every
// tab's streams, which catch up from the stored messages. Without Web Locks (pages over plain
// http), a tab that hears no leader leads, and of two leaders that hear each other the one with the
// higher id steps down.
import type { ViewerEventHandlers, ViewerEventLink } from './event-hub';
import { AuthError, type MbcError, NetworkError } from './errors';
import { randomId } from './ids';
import type { SessionEvent } from './types';

interface WireError {
  name: string;
  message: string;
  code: string;
}

type Wire =
  /** A tab with streams to feed asks for the connection, repeated every ALIVE_MS while it does; the leader answers `alive`. */
  | { type: 'want' }
  /** The leader, every ALIVE_MS and when its connection opens: `epoch` names the live connection, null while there is none. */
  | { type: 'alive'; from: string; epoch: string | null }
  | { type: 'event'; epoch: string; userId: string | null; sessionId: string; event: SessionEvent }
  /** The leader's connection, or its attempt to open one (epoch null), failed (error) or ended (null). */
  | { type: 'down'; epoch: string | null; error: WireError | null }
  /** The leader's page is going away (sent where Web Locks are missing: a released lock says it otherwise). */
  | { type: 'gone' };

/** How often the leader says it is alive, and followers that they still want the connection. */
const ALIVE_MS = 1_000;
/** A leader not heard from for this long is gone. */
const LEADER_TIMEOUT_MS = 3_500;
/** The leader keeps the connection this long after the last tab asked for it. */
const WANTED_MS = 5_000;
/** Without Web Locks, a tab that finds no leader listens up to this long for one before leading itself. */
const LISTEN_MS = 500;

export interface TabShareOptions {
  channelName: string;
  lockName: string;
  /** The signed-in user's id: events of another user's connection are not passed on. */
  userId(): string | null;
}

/**
 * The connection for this tab's hub: its own `direct` one while this tab leads, else the leader's
 * events relayed. (Closures rather than a class: the widget's size budget counts every property name.)
 */
export function shareAcrossTabs(direct: ViewerEventLink, options: TabShareOptions): ViewerEventLink {
  const id = randomId();
  const channel = new BroadcastChannel(options.channelName);
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  let leader = false;
  /** The local hub's connection, while it wants one, and the connection it was told is open. */
  let local: ViewerEventHandlers | null = null;
  let localEpoch: string | null = null;
  // as the leader
  let closeDirect: (() => void) | null = null;
  let epoch: string | null = null;
  let attempts = 0;
  let wantedUntil = 0;
  // as a follower
  let leaderHeardAt = 0;
  let leaderEpoch: string | null = null;

  const post = (message: Wire) => channel.postMessage(message);
  const alive = () => post({ type: 'alive', from: id, epoch });
  const leaderAlive = () => Date.now() - leaderHeardAt < LEADER_TIMEOUT_MS;
  const gone = () => new NetworkError('The tab that held the event connection went away.');

  const tellLocalOpen = (live: string) => {
    const handlers = local;
    if (!handlers || localEpoch === live) return;
    localEpoch = live;
    // On a later turn: the hub may be inside the call that attached it.
    queueMicrotask(() => local === handlers && localEpoch === live && handlers.open());
  };

  const dropLocal = (error: MbcError | null) => {
    const handlers = local;
    local = localEpoch = null;
    if (error) handlers?.fail(error);
    else handlers?.end();
  };

  // the connection, as the leader

  const ensureConnection = () => {
    if (closeDirect) {
      if (epoch) tellLocalOpen(epoch);
      return;
    }
    const attempt = ++attempts;
    const current = () => leader && attempt === attempts && closeDirect !== null;
    const lost = (error: MbcError | null) => {
      if (!current()) return;
      post({ type: 'down', epoch, error: error && { name: error.name, message: error.message, code: error.code } });
      closeDirect = epoch = null;
      dropLocal(error);
    };
    closeDirect = direct({
      open: () => {
        if (!current()) return;
        epoch = `${id}:${attempt}`;
        alive();
        tellLocalOpen(epoch);
      },
      event: (sessionId, event) => {
        if (!current() || !epoch) return;
        local?.event(sessionId, event);
        post({ type: 'event', epoch, userId: options.userId(), sessionId, event });
      },
      fail: lost,
      end: () => lost(null),
    });
  };

  const closeConnection = () => {
    const close = closeDirect;
    closeDirect = epoch = null;
    close?.();
  };

  const closeIfUnwanted = () => {
    if (leader && closeDirect && !local && Date.now() > wantedUntil) closeConnection();
  };

  // leadership

  const becomeLeader = () => {
    leader = true;
    leaderEpoch = null;
    alive();
    // The local streams, fed by the old leader until now, are fed by this tab's own connection.
    if (local) {
      localEpoch = null;
      ensureConnection();
    }
  };

  /**
   * Without Web Locks: leads unless a leader makes itself heard within `ms`. Tabs that find no leader
   * wait a random part of LISTEN_MS, so one usually leads first; two that lead at once settle on the lower id.
   */
  const leadUnlessAnswered = (ms: number) => void setTimeout(() => leader || leaderAlive() || becomeLeader(), ms);

  const elect = () => {
    if (!locks) {
      post({ type: 'want' });
      return leadUnlessAnswered(LISTEN_MS);
    }
    void locks.request(options.lockName, () => {
      becomeLeader();
      return new Promise<void>(() => {});
    });
  };

  const stepDown = () => {
    leader = false;
    closeConnection();
    if (local) dropLocal(gone());
  };

  const receive = (message: Wire) => {
    switch (message.type) {
      case 'want':
        if (!leader) return;
        wantedUntil = Date.now() + WANTED_MS;
        ensureConnection();
        alive();
        return;
      case 'alive':
        if (leader) {
          // Two leaders (only without Web Locks): the one with the lower id stays.
          if (message.from < id) stepDown();
          else alive();
          return;
        }
        leaderHeardAt = Date.now();
        leaderEpoch = message.epoch;
        if (message.epoch) tellLocalOpen(message.epoch);
        return;
      case 'event':
        if (!leader && local && message.epoch === localEpoch && message.userId === options.userId()) local.event(message.sessionId, message.event);
        return;
      case 'gone':
        leaderHeardAt = 0;
        leaderEpoch = null;
        if (!leader) leadUnlessAnswered(Math.random() * LISTEN_MS);
        return;
      case 'down':
        if (leader || !local || message.epoch !== localEpoch) return;
        leaderEpoch = null;
        dropLocal(message.error ? errorFrom(message.error) : null);
        return;
    }
  };

  const tick = () => {
    if (leader) {
      alive();
      return closeIfUnwanted();
    }
    if (local) post({ type: 'want' });
    if (leaderAlive()) return;
    if (local) dropLocal(gone());
    if (!locks) leadUnlessAnswered(Math.random() * LISTEN_MS);
  };

  channel.addEventListener('message', (event: MessageEvent<Wire>) => receive(event.data));
  if (!locks) globalThis.addEventListener?.('pagehide', () => leader && post({ type: 'gone' }));
  setInterval(tick, ALIVE_MS);
  elect();

  return (handlers) => {
    local = handlers;
    localEpoch = null;
    if (leader) {
      ensureConnection();
    } else {
      post({ type: 'want' });
      if (leaderEpoch && leaderAlive()) tellLocalOpen(leaderEpoch);
    }
    return () => {
      if (local !== handlers) return;
      local = null;
      closeIfUnwanted();
    };
  };
}

/** A refused sign-in ends the streams; anything else they retry. */
function errorFrom({ name, message, code }: WireError): MbcError {
  return new (name === 'AuthError' ? AuthError : NetworkError)(message, { code });
}
