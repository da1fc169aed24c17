// One tab holds the event connection for every tab of the browser and passes its events on over a
// BroadcastChannel; when that tab closes, another takes over and opens its own. (Tabs of one origin
// share the browser's 6 HTTP/1.1 connections per origin: one stream per tab still starves them.)
//
// Leadership: a Web Lock where the browser offers Web Locks (the browser hands it to a waiting tab
// as soon as the holder closes, even if it crashed). Without them (pages over plain http), tabs
// elect over the channel: a tab that hears no leader claims leadership, the lowest id among
// claimants wins, and a leader that hears a leader with a lower id steps down.
import type { ViewerEventHandlers, ViewerEventLink } from './event-hub';
import { AuthError, type MbcError, NetworkError, ServerError } from './errors';
import { randomId } from './ids';
import type { SessionEvent } from './types';

interface WireError {
  name: string;
  message: string;
  code: string;
}

type Wire =
  /** A tab with streams to feed asks for the connection; repeated every ALIVE_MS while it does. */
  | { type: 'want' }
  /** The leader, every ALIVE_MS and when its connection opens: `epoch` names the live connection, null while there is none. */
  | { type: 'alive'; from: string; epoch: string | null }
  | { type: 'event'; epoch: string; userId: string | null; sessionId: string; event: SessionEvent }
  /** The leader's connection, or its attempt to open one (epoch null), failed (error) or ended (null). */
  | { type: 'down'; epoch: string | null; error: WireError | null }
  /** Without Web Locks: a tab offers to lead. */
  | { type: 'claim'; from: string }
  /** The leader's page is going away. */
  | { type: 'resign'; from: string };

/** How often the leader says it is alive, and followers that they still want the connection. */
const ALIVE_MS = 1_000;
/** A leader not heard from for this long is gone. */
const LEADER_TIMEOUT_MS = 3_500;
/** The leader keeps the connection this long after the last tab asked for it. */
const WANTED_MS = 5_000;
/** A claim stands if no leader and no claimant with a lower id is heard within this time. */
const CLAIM_MS = 250;

export interface TabShareOptions {
  channelName: string;
  lockName: string;
  /** The signed-in user's id: events of another user's connection are not passed on. */
  userId(): string | null;
}

export class TabShare {
  private readonly id = randomId();
  private readonly channel: BroadcastChannel;
  private readonly locks = (globalThis.navigator as Navigator | undefined)?.locks;
  private leader = false;
  /** The local hub's connection, while it wants one. */
  private local: ViewerEventHandlers | null = null;
  /** The connection `local` was told is open. */
  private localEpoch: string | null = null;
  // as the leader
  private closeDirect: (() => void) | null = null;
  private epoch: string | null = null;
  private attempts = 0;
  private wantedUntil = 0;
  private releaseLock: (() => void) | null = null;
  /** Left as its page was hidden; elects again if the page comes back from the back/forward cache. */
  private resigned = false;
  // as a follower
  private leaderHeardAt = 0;
  private leaderEpoch: string | null = null;
  private claiming: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly direct: ViewerEventLink,
    private readonly options: TabShareOptions,
  ) {
    this.channel = new BroadcastChannel(options.channelName);
    this.channel.addEventListener('message', (event: MessageEvent<Wire>) => this.receive(event.data));
    setInterval(() => this.tick(), ALIVE_MS);
    globalThis.addEventListener?.('pagehide', () => this.resign());
    globalThis.addEventListener?.('pageshow', () => {
      if (!this.resigned) return;
      this.resigned = false;
      this.elect();
    });
    this.elect();
  }

  /** The connection for the local hub: the leader's own, or the leader's events relayed. */
  readonly link: ViewerEventLink = (handlers) => {
    this.local = handlers;
    this.localEpoch = null;
    if (this.leader) {
      this.ensureConnection();
    } else {
      this.post({ type: 'want' });
      if (this.leaderEpoch && this.leaderAlive()) this.tellLocalOpen(this.leaderEpoch);
    }
    return () => {
      if (this.local !== handlers) return;
      this.local = null;
      this.closeIfUnwanted();
    };
  };

  private elect(): void {
    if (this.locks) {
      void this.locks.request(this.options.lockName, () => {
        this.becomeLeader();
        return new Promise<void>((resolve) => (this.releaseLock = resolve));
      });
    } else {
      this.claim();
    }
  }

  private receive(message: Wire): void {
    switch (message.type) {
      case 'want':
        if (!this.leader) return;
        this.wantedUntil = Date.now() + WANTED_MS;
        this.ensureConnection();
        if (this.epoch) this.post({ type: 'alive', from: this.id, epoch: this.epoch });
        return;
      case 'alive':
        if (this.leader) {
          // Two leaders (only without Web Locks): the one with the lower id stays.
          if (message.from < this.id) this.stepDown();
          else this.post({ type: 'alive', from: this.id, epoch: this.epoch });
          return;
        }
        this.leaderHeardAt = Date.now();
        this.leaderEpoch = message.epoch;
        this.cancelClaim();
        if (message.epoch && this.localEpoch !== message.epoch) this.tellLocalOpen(message.epoch);
        return;
      case 'event':
        if (this.leader || !this.local || message.epoch !== this.localEpoch) return;
        if (message.userId !== this.options.userId()) return;
        this.local.event(message.sessionId, message.event);
        return;
      case 'down':
        if (this.leader || !this.local || message.epoch !== this.localEpoch) return;
        this.leaderEpoch = null;
        this.dropLocal(message.error ? errorFrom(message.error) : null);
        return;
      case 'claim':
        if (this.leader) this.post({ type: 'alive', from: this.id, epoch: this.epoch });
        else if (this.claiming && message.from < this.id) this.cancelClaim();
        return;
      case 'resign':
        if (this.leader) return;
        this.leaderHeardAt = 0;
        this.leaderEpoch = null;
        if (this.local) this.dropLocal(new NetworkError('The tab that held the event connection closed.'));
        if (!this.locks) this.claim();
        return;
    }
  }

  private tick(): void {
    if (this.leader) {
      this.post({ type: 'alive', from: this.id, epoch: this.epoch });
      this.closeIfUnwanted();
      return;
    }
    if (this.local) this.post({ type: 'want' });
    if (this.leaderAlive()) return;
    if (this.local) this.dropLocal(new NetworkError('The tab that held the event connection stopped answering.'));
    if (!this.locks) this.claim();
  }

  private leaderAlive(): boolean {
    return Date.now() - this.leaderHeardAt < LEADER_TIMEOUT_MS;
  }

  // leadership

  private claim(): void {
    if (this.leader || this.claiming) return;
    this.post({ type: 'claim', from: this.id });
    // Hearing a leader, or a claimant with a lower id, cancels the claim before it stands.
    this.claiming = setTimeout(() => this.becomeLeader(), CLAIM_MS);
  }

  private cancelClaim(): void {
    clearTimeout(this.claiming);
    this.claiming = undefined;
  }

  private becomeLeader(): void {
    this.cancelClaim();
    this.leader = true;
    this.leaderEpoch = null;
    this.post({ type: 'alive', from: this.id, epoch: null });
    // The local streams, fed by the old leader until now, are fed by this tab's own connection.
    if (this.local) {
      this.localEpoch = null;
      this.ensureConnection();
    }
  }

  private stepDown(): void {
    this.leader = false;
    this.closeConnection();
    if (this.local) this.dropLocal(new NetworkError('Another tab holds the event connection now.'));
  }

  private resign(): void {
    if (!this.leader) return;
    this.post({ type: 'resign', from: this.id });
    this.leader = false;
    this.resigned = true;
    this.closeConnection();
    this.releaseLock?.();
    this.releaseLock = null;
  }

  // the connection, as the leader

  private ensureConnection(): void {
    if (this.closeDirect) {
      if (this.epoch) this.tellLocalOpen(this.epoch);
      return;
    }
    const attempt = ++this.attempts;
    const current = () => this.leader && attempt === this.attempts && this.closeDirect !== null;
    this.closeDirect = this.direct({
      open: () => {
        if (!current()) return;
        this.epoch = `${this.id}:${attempt}`;
        this.post({ type: 'alive', from: this.id, epoch: this.epoch });
        this.tellLocalOpen(this.epoch);
      },
      event: (sessionId, event) => {
        if (!current() || !this.epoch) return;
        this.local?.event(sessionId, event);
        this.post({ type: 'event', epoch: this.epoch, userId: this.options.userId(), sessionId, event });
      },
      fail: (error) => current() && this.lost(error),
      end: () => current() && this.lost(null),
    });
  }

  private lost(error: MbcError | null): void {
    const epoch = this.epoch;
    this.closeDirect = null;
    this.epoch = null;
    this.post({ type: 'down', epoch, error: error && { name: error.name, message: error.message, code: error.code } });
    if (this.local) this.dropLocal(error);
  }

  private closeIfUnwanted(): void {
    if (this.leader && this.closeDirect && !this.local && Date.now() > this.wantedUntil) this.closeConnection();
  }

  private closeConnection(): void {
    const close = this.closeDirect;
    this.closeDirect = null;
    this.epoch = null;
    close?.();
  }

  // the local hub

  private tellLocalOpen(epoch: string): void {
    const local = this.local;
    if (!local || this.localEpoch === epoch) return;
    this.localEpoch = epoch;
    // On a later turn: the hub may be inside the call that attached it.
    queueMicrotask(() => {
      if (this.local === local && this.localEpoch === epoch) local.open();
    });
  }

  private dropLocal(error: MbcError | null): void {
    const local = this.local;
    this.local = null;
    this.localEpoch = null;
    if (!local) return;
    if (error) local.fail(error);
    else local.end();
  }

  private post(message: Wire): void {
    this.channel.postMessage(message);
  }
}

function errorFrom({ name, message, code }: WireError): MbcError {
  if (name === 'AuthError') return new AuthError(message, { code });
  if (name === 'NetworkError') return new NetworkError(message, { code });
  return new ServerError(message, { code });
}
