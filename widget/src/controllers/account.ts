// Who is signed in: confirmed with the server at start-up, changed by signing in or out here or in
// another tab, or by the SDK when the sign-in ends.
import { AuthError, NetworkError } from '@multi-bot-chat/sdk';
import type { User } from './api.js';
import { emptySnapshot } from './cache.js';
import type { Connection } from './connection.js';

/** How long to wait before asking "who am I" again after an answer that did not settle it. */
const RECHECK_MS = 3000;

export class Account {
  constructor(private readonly conn: Connection) {
    conn.client.auth.onChange(({ user, reason }) => {
      if (!user) {
        if (conn.phase === 'ready') this.signedOut();
      } else if (reason === 'storage' && user.id !== conn.data.user?.id) this.welcome(user);
    });
    void this.start();
  }

  private async start(): Promise<void> {
    const { conn } = this;
    // Show the cached state at once; the server confirms (or not) who is signed in.
    if (conn.data.user) conn.phase = 'ready';
    conn.changed(false);
    await this.confirm();
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
      if (!stored()) return this.signedOut();
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

  private welcome(user: User): void {
    const { conn } = this;
    if (conn.data.user?.id !== user.id) conn.data = { ...emptySnapshot(), user };
    conn.data.user = user;
    conn.phase = 'ready';
    conn.changed();
    void conn.bots.load();
    conn.outbox.flush();
  }

  private signedOut(origin?: object): void {
    const { conn } = this;
    const wasIn = conn.phase === 'ready';
    conn.phase = 'signed-out';
    conn.data = emptySnapshot();
    conn.clear();
    conn.changed(false);
    if (wasIn) conn.emit('logout', { origin });
  }
}
