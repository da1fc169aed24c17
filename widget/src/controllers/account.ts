// Who is signed in: confirmed with the server at start-up, changed by signing in or out here or in
// another tab, or by the SDK when the sign-in ends. On a site, the site's settings decide how a
// visitor starts: as a guest at once, as the host page's user (identify), or with the account form.
import { AuthError, NetworkError } from '@multi-bot-chat/sdk';
import type { SiteConfig, User } from './api.js';
import { emptySnapshot } from './cache.js';
import type { Connection } from './connection.js';

/** How long to wait before asking "who am I" again after an answer that did not settle it. */
const RECHECK_MS = 3000;

/** The host page's answer to "who is your user?": an identity token, or nothing for nobody. */
export type Identify = () => Promise<string | null | undefined> | string | null | undefined;

export class Account {
  /** Settles once the server said who is signed in (or could not be reached). */
  readonly started: Promise<void>;
  /** Set while the host page is asked again because our sign-in ended: the outbox waits for it. */
  identifying?: Promise<void>;
  /** The host page's way to say who its user is (identify or identity-token); set by the elements. */
  private identity?: Identify;

  constructor(private readonly conn: Connection) {
    conn.client.auth.onChange(({ user, reason }) => {
      if (!user) {
        if (reason === 'expired' && this.identity && conn.site?.hostSignIn) {
          this.identifying = this.identified().finally(() => {
            this.identifying = undefined;
            conn.outbox.flush(); // what waited while the host page was asked
          });
        } else if (conn.phase === 'ready') this.signedOut();
      } else if (reason === 'storage' && user.id !== conn.data.user?.id) this.welcome(user);
    });
    this.started = this.start();
  }

  private async start(): Promise<void> {
    const { conn } = this;
    // Show the cached state at once; the server confirms (or not) who is signed in.
    if (conn.data.user) conn.phase = 'ready';
    conn.changed(false);
    const site = await this.readSite().catch((error: unknown) => {
      if (error instanceof NetworkError) conn.reachability.lost();
      return null;
    });
    // The host page's word wins over a stored sign-in: its user may have changed since.
    if (site?.hostSignIn && this.identity) return this.identified();
    await this.confirm();
  }

  private async readSite(): Promise<SiteConfig | null> {
    const { conn } = this;
    try {
      conn.site = await conn.client.site.config();
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      conn.emit('error', { error }); // a revoked or unknown site key: the page's owner must fix it
    }
    return conn.site;
  }

  /** A site that lets guests chat: the chat opens at once; the guest is made when the first message goes out. */
  private asGuest(site: SiteConfig): void {
    const { conn } = this;
    conn.data.bots = site.bots;
    conn.phase = 'ready';
    conn.changed();
  }

  /** Sets how the host page names its user, and asks it now (once the site is known). */
  identifyWith(identity: Identify | undefined): void {
    this.identity = identity;
    if (identity && this.conn.site?.hostSignIn) void this.identified();
  }

  /** Signs in whoever the host page says is its user; nobody (an empty answer) signs out. */
  private async identified(): Promise<void> {
    const { conn } = this;
    try {
      const token = await this.identity?.();
      if (token) return this.welcome(await conn.client.auth.signInWithIdentity(token), true);
      await conn.client.auth.logout();
    } catch (error) {
      conn.emit('error', { error });
    }
    this.signedOut();
  }

  /** The first message of a visitor on a guest site: the guest is made now, keeping what is on screen. */
  async guest(): Promise<void> {
    if (!this.conn.data.user) this.welcome(await this.conn.client.auth.startGuest());
  }

  /**
   * Asks the server who is signed in. Only the SDK knows whether the sign-in ended (it clears the
   * tokens and tells `onChange`): an error, or an answer of "nobody" while tokens are still stored
   * (e.g. another tab was refreshing them at that moment), is no reason to show a signed-out visitor.
   */
  private async confirm(): Promise<void> {
    const { conn } = this;
    const stored = () => conn.client.auth.user;
    try {
      const user = await conn.client.auth.me();
      if (user) return this.welcome(user);
      if (!stored()) return conn.site?.allowGuests ? this.asGuest(conn.site) : this.signedOut();
    } catch (error) {
      if (!stored()) return this.signedOut();
      if (error instanceof NetworkError) conn.reachability.lost();
      else if (!(error instanceof AuthError)) conn.emit('error', { error });
    }
    // Tokens still stored: show the cache (or wait on the spinner) and ask again.
    if (conn.data.user?.id === stored()?.id) conn.phase = 'ready';
    conn.changed(false);
    setTimeout(() => conn.phase !== 'signed-out' && void this.confirm(), RECHECK_MS);
  }

  async signIn(mode: 'login' | 'register', email: string, password: string, origin?: object): Promise<void> {
    const user = await this.conn.client.auth[mode]({ email, password });
    this.welcome(user);
    this.conn.emit('login', { user, origin });
  }

  async signOut(origin?: object): Promise<void> {
    try {
      await this.conn.client.auth.logout();
    } finally {
      this.signedOut(origin);
    }
  }

  private welcome(user: User, announce = false): void {
    const { conn } = this;
    // Another user starts afresh; a guest keeps what is on screen: a guest made for the first
    // message keeps that message, a guest who signs in keeps the chats (the server moved them).
    if (conn.data.user && conn.data.user.id !== user.id && conn.data.user.role !== 'GUEST') conn.data = { ...emptySnapshot(), user };
    conn.data.user = user;
    conn.phase = 'ready';
    conn.changed();
    if (announce) conn.emit('login', { user });
    conn.reconnect();
  }

  private signedOut(origin?: object): void {
    const { conn } = this;
    const wasIn = conn.phase === 'ready';
    conn.phase = 'signed-out';
    conn.data = emptySnapshot();
    conn.clear();
    conn.changed(false);
    if (wasIn) conn.emit('logout', { origin });
    if (conn.site?.allowGuests) this.asGuest(conn.site);
  }
}
