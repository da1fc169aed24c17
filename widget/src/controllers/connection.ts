// One connection per API URL, site and page, shared by every <multi-bot-chat> pointing at them:
// one SDK client (so token refreshes never race each other), one cache, one outbox with a single
// sender. Elements read its state and call its actions; it announces every change with `change`.
import { AbortError, createCoreClient, localStorageTokenStore, NetworkError, RateLimitError, randomId } from '@multi-bot-chat/sdk';
import type { Bot, BotInput, Client, Message, PageInfo, Session, SessionEvent, SiteConfig, User, ViewMessage } from './api.js';
import { Cache, emptySnapshot, type OutboxItem, type Snapshot } from './cache.js';

export type Phase = 'loading' | 'signed-out' | 'ready';

/** Events for the elements: `change` (re-render), and the ones they forward to the host page. */
export interface ConnectionEvents {
  change: void;
  login: { user: User; origin?: object };
  logout: { origin?: object };
  sent: { message: Message; origin?: object };
  reply: { message: Message; origin?: object };
  error: { error: unknown; origin?: object };
  /** A chat started offline reached the server and has its real id now. */
  adopt: { from: string; to: string };
}

const LOCAL = 'local:';
/**
 * A new chat's title, from its first message (the server would derive the same a moment after the
 * first reply; naming it now shows it at once, offline too).
 */
const titleFrom = (text: string) => {
  const line = text.trim().split('\n')[0].replace(/\s+/g, ' ');
  return line.length > 60 ? `${line.slice(0, 59).trimEnd()}…` : line;
};

export class Connection extends EventTarget {
  readonly client: Client;
  phase: Phase = 'loading';
  online = navigator.onLine;
  /** Epoch ms until which the server asked us to wait (rate limit). */
  rateLimitUntil = 0;
  data: Snapshot;
  /** The elements showing this connection, in the order they appeared. */
  readonly hosts = new Set<HTMLElement>();
  /** Which element queued an outbox item, so that element announces its delivery. */
  private readonly origins = new Map<string, object>();
  private readonly cache: Cache;
  private readonly loading = new Map<string, Promise<unknown>>();
  /** Where the next older page of each chat's history starts, while there is one. */
  private readonly earlier = new Map<string, string>();
  /** Bot replies whose stream we are reading. */
  private readonly following = new Set<string>();
  /** Aborted on sign-out: stops every stream of the signed-in user. */
  private life = new AbortController();
  private sending: string | null = null;
  private flushing = false;
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;

  /** Settles once the server said who is signed in (or could not be reached). */
  readonly started: Promise<void>;
  /** The site's public settings, once read (null before, or when they could not be read). */
  site: SiteConfig | null = null;
  /** The host page's way to say who its user is (identify or identity-token); set by the elements. */
  private identity?: Identify;
  /** Set while the host page is asked again because our sign-in ended: the outbox waits for it. */
  private identifying?: Promise<void>;

  constructor(
    readonly url: string,
    readonly siteKey = '',
  ) {
    super();
    const namespace = `mbc:${url}${siteKey && `#${siteKey}`}`;
    this.cache = new Cache(`${namespace}:cache`);
    this.data = this.cache.read();
    // The core client: the conversation tools are not offered by the widget yet, and would weigh on its first load.
    this.client = createCoreClient({ url, site: siteKey, storage: localStorageTokenStore(`${namespace}:auth`) });
    // Another tab signed in or out, or the sign-in expired: a host site is asked again who it is.
    this.client.auth.onChange(({ user, reason }) => {
      if (!user) {
        if (reason === 'expired' && this.identity && this.site?.hostSignIn) {
          this.identifying = this.identified().finally(() => (this.identifying = undefined));
        } else if (this.phase === 'ready') this.signedOut();
      } else if (reason === 'storage' && user.id !== this.data.user?.id) this.welcome(user);
    });
    addEventListener('online', () => this.setOnline(true));
    addEventListener('offline', () => this.setOnline(false));
    this.started = this.start();
  }

  emit<K extends keyof ConnectionEvents>(type: K, detail?: ConnectionEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  private changed(save = true): void {
    if (save && this.phase === 'ready') this.cache.write(this.data);
    this.emit('change');
  }

  // ---- auth ----

  private async start(): Promise<void> {
    // Show the cached state at once; the server confirms (or not) who is signed in.
    if (this.data.user) this.phase = 'ready';
    this.changed(false);
    try {
      const [site, user] = await Promise.all([this.readSite(), this.client.auth.me()]);
      // The host page's word wins over a stored sign-in: its user may have changed since.
      if (site?.hostSignIn && this.identity) return void (await this.identified());
      if (user) this.welcome(user);
      else if (site?.allowGuests) this.asGuest(site);
      else this.signedOut();
    } catch (error) {
      // Unreachable: keep showing the cache of a user whose tokens are still stored.
      if (!this.data.user || this.client.auth.user?.id !== this.data.user.id) this.signedOut();
      else if (error instanceof NetworkError) this.setOnline(false);
    }
  }

  private async readSite(): Promise<SiteConfig | null> {
    try {
      this.site = await this.client.site.config();
    } catch (error) {
      if (error instanceof NetworkError) throw error;
      this.emit('error', { error }); // a revoked or unknown site key: the page's owner must fix it
    }
    return this.site;
  }

  /** A site that lets guests chat: the chat opens at once; the guest is made when the first message goes out. */
  private asGuest(site: SiteConfig): void {
    this.data.bots = site.bots;
    this.phase = 'ready';
    this.changed();
  }

  /** Sets how the host page names its user, and asks it now (once the site is known). */
  identifyWith(identity: Identify | undefined): void {
    this.identity = identity;
    if (identity && this.site?.hostSignIn) void this.identified();
  }

  /** Signs in whoever the host page says is its user; nobody (an empty answer) signs out. */
  private async identified(): Promise<void> {
    try {
      const token = await this.identity?.();
      if (token) return this.welcome(await this.client.auth.signInWithIdentity(token), true);
      await this.client.auth.logout();
    } catch (error) {
      this.emit('error', { error });
    }
    this.signedOut();
  }

  async signIn(mode: 'login' | 'register', email: string, password: string, origin?: object): Promise<void> {
    const user = await this.client.auth[mode]({ email, password });
    this.welcome(user);
    this.emit('login', { user, origin });
  }

  async signOut(origin?: object): Promise<void> {
    try {
      await this.client.auth.logout();
    } finally {
      this.signedOut(origin);
    }
  }

  private welcome(user: User, announce = false): void {
    // Another user starts afresh; a guest keeps what is on screen: a guest made for the first
    // message keeps that message, a guest who signs in keeps the chats (the server moved them).
    if (this.data.user && this.data.user.id !== user.id && this.data.user.role !== 'GUEST') this.data = { ...emptySnapshot(), user };
    this.data.user = user;
    this.phase = 'ready';
    this.changed();
    if (announce) this.emit('login', { user });
    this.reconnect();
  }

  private signedOut(origin?: object): void {
    const wasIn = this.phase === 'ready';
    this.phase = 'signed-out';
    this.data = emptySnapshot();
    this.cache.clear();
    this.life.abort();
    this.life = new AbortController();
    this.following.clear();
    this.changed(false);
    if (wasIn) this.emit('logout', { origin });
    if (this.site?.allowGuests) this.asGuest(this.site);
  }

  // ---- connectivity ----

  private setOnline(online: boolean): void {
    if (this.online === online) return;
    this.online = online;
    this.changed(false);
    clearTimeout(this.probeTimer);
    if (online) this.reconnect();
    else this.probe(2000);
  }

  /** While offline, asks the server now and then whether it is back (the browser may think it never left). */
  private probe(delay: number): void {
    this.probeTimer = setTimeout(() => {
      if (this.phase === 'ready' && navigator.onLine) void this.loadBots();
      if (!this.online) this.probe(Math.min(delay * 2, 30000));
    }, delay);
  }

  private reconnect(): void {
    void this.flush();
    // Server wins: refresh what is on screen.
    void this.loadBots();
    if (this.data.botId) void this.loadSessions(this.data.botId);
    if (this.data.sessionId) void this.loadHistory(this.data.sessionId);
  }

  /** Runs a request once at a time per key; a NetworkError marks us offline. */
  private once<T>(key: string, run: () => Promise<T>): Promise<T | undefined> {
    let pending = this.loading.get(key) as Promise<T | undefined> | undefined;
    if (!pending) {
      pending = run()
        .then((result) => {
          this.setOnline(true);
          return result;
        })
        .catch((error) => {
          if (error instanceof NetworkError) this.setOnline(false);
          else this.emit('error', { error });
          return undefined;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  // ---- bots ----

  loadBots(): Promise<Bot[] | undefined> {
    return this.once('bots', async () => {
      this.data.bots = await this.client.bots.list();
      this.changed();
      return this.data.bots;
    });
  }

  async saveBot(id: string | null, input: BotInput): Promise<Bot> {
    const bot = id ? await this.client.bots.update(id, input) : await this.client.bots.create(input as Required<BotInput>);
    this.data.bots = id ? this.data.bots.map((b) => (b.id === id ? bot : b)) : [...this.data.bots, bot];
    this.changed();
    return bot;
  }

  async deleteBot(id: string): Promise<void> {
    await this.client.bots.delete(id);
    this.data.bots = this.data.bots.filter((b) => b.id !== id);
    delete this.data.sessions[id];
    this.data.outbox = this.data.outbox.filter((item) => item.botId !== id);
    this.changed();
  }

  // ---- sessions ----

  /** The bot's chats, newest activity first, including chats started offline. */
  sessionsOf(botId: string): Session[] {
    const local = new Map<string, Session>();
    for (const item of this.data.outbox) {
      if (item.botId !== botId || !item.sessionId.startsWith(LOCAL) || local.has(item.sessionId)) continue;
      local.set(item.sessionId, {
        id: item.sessionId,
        title: item.title ?? titleFrom(item.text),
        clientId: item.sessionId.slice(LOCAL.length),
        createdAt: item.createdAt,
        updatedAt: item.createdAt,
        lastMessageAt: item.createdAt,
        model: null,
        botId,
      });
    }
    return [...local.values(), ...(this.data.sessions[botId] ?? [])].sort((a, b) =>
      b.lastMessageAt < a.lastMessageAt ? -1 : b.lastMessageAt > a.lastMessageAt ? 1 : 0,
    );
  }

  loadSessions(botId: string): Promise<unknown> {
    if (!this.data.user) return Promise.resolve(); // a guest not made yet has no chats
    return this.once(`sessions:${botId}`, async () => {
      const page = await this.client.sessions.list({ botId, first: 50 });
      this.data.sessions[botId] = page.items;
      this.changed();
    });
  }

  /** A key for a chat that exists only once its first message is sent. */
  draftSession(): string {
    return LOCAL + randomId();
  }

  isLocal(sessionId: string): boolean {
    return sessionId.startsWith(LOCAL);
  }

  async renameSession(sessionId: string, title: string): Promise<void> {
    if (this.isLocal(sessionId)) {
      for (const item of this.data.outbox) if (item.sessionId === sessionId) item.title = title;
    } else {
      const session = await this.client.sessions.rename(sessionId, title);
      this.replaceSession(session);
    }
    this.changed();
  }

  async deleteSession(sessionId: string): Promise<void> {
    if (!this.isLocal(sessionId)) await this.client.sessions.delete(sessionId);
    for (const botId of Object.keys(this.data.sessions)) {
      this.data.sessions[botId] = this.data.sessions[botId].filter((s) => s.id !== sessionId);
    }
    delete this.data.messages[sessionId];
    this.data.outbox = this.data.outbox.filter((item) => item.sessionId !== sessionId);
    this.changed();
  }

  private replaceSession(session: Session): void {
    const { botId } = session;
    const list = (this.data.sessions[botId] ?? []).filter((s) => s.id !== session.id);
    this.data.sessions[botId] = [session, ...list];
  }

  /** Remembers the open chat, so a reload (also offline) comes back to it. */
  remember(botId: string, sessionId: string | undefined): void {
    this.data.botId = botId;
    this.data.sessionId = sessionId && !this.isLocal(sessionId) ? sessionId : undefined;
    this.changed();
  }

  // ---- messages ----

  /** Server messages then the outbox's pending ones, oldest first. */
  messagesOf(sessionId: string): ViewMessage[] {
    const pending = this.data.outbox
      .filter((item) => item.sessionId === sessionId)
      .map(
        (item) =>
          ({
            id: LOCAL + item.clientMessageId,
            sessionId,
            role: 'USER',
            text: item.text,
            status: 'PENDING',
            clientMessageId: item.clientMessageId,
            createdAt: item.createdAt,
          }) as unknown as ViewMessage,
      );
    return [...(this.data.messages[sessionId] ?? []), ...pending];
  }

  /** The outbox item being delivered right now; the others wait for the network. */
  get sendingId(): string | null {
    return this.sending;
  }

  /** Chats with messages still in the outbox. */
  get pendingSessions(): Set<string> {
    return new Set(this.data.outbox.map((item) => item.sessionId));
  }

  loadHistory(sessionId: string): Promise<unknown> {
    if (this.isLocal(sessionId)) return Promise.resolve();
    return this.once(`history:${sessionId}`, async () => {
      const page = await this.client.messages.history({ sessionId, last: 50 });
      // Server wins, except for replies we are streaming: the SDK's deltas continue our copy.
      const streamed = new Map(this.data.messages[sessionId]?.filter((m) => this.following.has(m.id)).map((m) => [m.id, m]));
      this.data.messages[sessionId] = page.items.map((m) => streamed.get(m.id) ?? m);
      this.pageStart(sessionId, page.pageInfo);
      this.changed();
      this.followStreaming(sessionId);
    });
  }

  /** Whether older messages of the chat can be loaded. */
  hasEarlier(sessionId: string): boolean {
    return this.earlier.has(sessionId);
  }

  loadEarlier(sessionId: string): Promise<unknown> {
    return this.once(`earlier:${sessionId}`, async () => {
      const page = await this.client.messages.history({ sessionId, last: 50, before: this.earlier.get(sessionId) });
      this.data.messages[sessionId] = [...page.items, ...(this.data.messages[sessionId] ?? [])];
      this.pageStart(sessionId, page.pageInfo);
      this.changed(false);
    });
  }

  private pageStart(sessionId: string, { hasPreviousPage, startCursor }: PageInfo): void {
    if (hasPreviousPage && startCursor) this.earlier.set(sessionId, startCursor);
    else this.earlier.delete(sessionId);
  }

  /** Queues a message and starts delivering the outbox. */
  send(botId: string, sessionId: string, text: string, origin?: object): void {
    const item: OutboxItem = { clientMessageId: randomId(), botId, sessionId, text, createdAt: new Date().toISOString() };
    if (origin) this.origins.set(item.clientMessageId, origin);
    this.data.outbox.push(item);
    this.changed();
    void this.flush();
  }

  async cancel(messageId: string): Promise<void> {
    this.upsert(await this.client.messages.cancel(messageId));
  }

  async retry(message: Message): Promise<void> {
    this.upsert(await this.client.messages.retry(message.id));
    this.followStreaming(message.sessionId);
  }

  /** Delivers the outbox in order, one message (and its reply) at a time. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    clearTimeout(this.waitTimer);
    try {
      while (this.data.outbox.length && this.online && this.phase === 'ready') {
        const wait = this.rateLimitUntil - Date.now();
        if (wait > 0) {
          this.waitTimer = setTimeout(() => this.flush(), wait);
          break;
        }
        const item = this.data.outbox[0];
        try {
          await this.deliver(item);
        } catch (error) {
          if (error instanceof AbortError || this.identifying) break; // signed out meanwhile, or being signed in again
          if (error instanceof RateLimitError) {
            this.rateLimitUntil = Date.now() + (error.retryAfter || 1) * 1000;
            this.changed(false);
            continue;
          }
          if (error instanceof NetworkError) {
            // The SDK already retried: wait for the connection (the probe resumes the outbox).
            this.setOnline(false);
            break;
          }
          // The server refused this message for good (e.g. too long): drop it, say why.
          this.data.outbox = this.data.outbox.filter((i) => i !== item);
          this.changed();
          this.emit('error', { error, origin: this.origins.get(item.clientMessageId) });
        }
      }
    } finally {
      this.flushing = false;
      this.sending = null;
      this.changed(false);
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    this.sending = item.clientMessageId;
    this.changed(false);
    const origin = this.origins.get(item.clientMessageId);
    if (!this.data.user) this.welcome(await this.client.auth.startGuest());
    let sessionId = item.sessionId;
    if (this.isLocal(sessionId)) {
      // createSession is idempotent per clientId: a retry after a lost response finds the same chat.
      const session = await this.client.sessions.create({
        botId: item.botId,
        clientId: sessionId.slice(LOCAL.length),
        title: item.title ?? titleFrom(item.text),
      });
      this.adopt(sessionId, session);
      sessionId = session.id;
    }
    const reply = this.client.messages.send({
      sessionId,
      text: item.text,
      clientMessageId: item.clientMessageId,
      signal: this.life.signal,
    });
    let acknowledged = false;
    try {
      await this.consume(reply, sessionId, origin, (message) => {
        if (acknowledged) return;
        acknowledged = true;
        this.data.outbox = this.data.outbox.filter((i) => i !== item);
        this.origins.delete(item.clientMessageId);
        this.sending = null;
        this.changed();
        this.emit('sent', { message, origin });
      });
    } catch (error) {
      // Once the server has the message, a broken stream is not a failed send: catch up later.
      if (!acknowledged) throw error;
      this.lost(error);
    }
    void this.loadSessions(item.botId);
  }

  /** Applies a stream's events as they come; resolves when it ends. */
  private async consume(
    events: AsyncIterable<SessionEvent>,
    sessionId: string,
    origin?: object,
    onUserMessage?: (message: Message) => void,
  ): Promise<void> {
    const mine = new Set<string>();
    try {
      for await (const event of events) {
        if (event.type === 'delta') {
          this.appendDelta(sessionId, event);
          continue;
        }
        const message = this.apply(sessionId, event);
        if (message?.role === 'USER') onUserMessage?.(message);
        else if (message?.status === 'STREAMING') {
          mine.add(message.id);
          this.following.add(message.id);
        } else if (message) this.emit('reply', { message, origin });
      }
    } finally {
      for (const id of mine) this.following.delete(id);
    }
  }

  /** A stream broke after the server had our message: the reply goes on there; catch up when back. */
  private lost(error: unknown): void {
    if (error instanceof NetworkError) this.setOnline(false);
  }

  /** A chat started offline now exists on the server: move everything to its real id. */
  private adopt(localId: string, session: Session): void {
    for (const item of this.data.outbox) if (item.sessionId === localId) item.sessionId = session.id;
    this.replaceSession(session);
    this.emit('adopt', { from: localId, to: session.id });
    this.changed();
  }

  private upsert(message: Message): Message {
    const list = this.data.messages[message.sessionId] ?? [];
    const index = list.findIndex((m) => m.id === message.id);
    this.data.messages[message.sessionId] =
      index < 0 ? [...list, message] : list.map((m, i) => (i === index ? message : m));
    this.changed(message.status !== 'STREAMING');
    return message;
  }

  /** Applies an added, completed or failed event; returns the message as it is now. */
  private apply(sessionId: string, event: Exclude<SessionEvent, { type: 'delta' }>): Message | undefined {
    if (event.type === 'deleted') return undefined;
    if (event.type !== 'failed') return this.upsert(event.message);
    const message = this.data.messages[sessionId]?.find((m) => m.id === event.messageId);
    return message && this.upsert({ ...message, status: 'FAILED', errorCode: event.code, errorMessage: event.message });
  }

  /** The SDK delivers each reply's text once and in order (it fills gaps itself): append. */
  private appendDelta(sessionId: string, delta: { messageId: string; seq: number; text: string }): void {
    const list = this.data.messages[sessionId] ?? [];
    this.data.messages[sessionId] = list.map((m) =>
      m.id === delta.messageId ? { ...m, text: m.text + delta.text, seq: delta.seq } : m,
    );
    this.changed(false);
  }

  /** Follows the replies of a chat still streaming (after a reload, a reconnect or a retry). */
  private followStreaming(sessionId: string): void {
    for (const message of this.data.messages[sessionId] ?? []) {
      if (message.status !== 'STREAMING' || message.role !== 'BOT' || this.following.has(message.id)) continue;
      this.following.add(message.id);
      const reply = this.client.messages.follow(message.id, { signal: this.life.signal });
      this.consume(reply, sessionId)
        .catch((error) => this.lost(error))
        .finally(() => this.following.delete(message.id));
    }
  }
}

/** The host page's answer to "who is your user?": an identity token, or nothing for nobody. */
export type Identify = () => Promise<string | null | undefined> | string | null | undefined;

const connections = new Map<string, Connection>();

/** The page's connection to an API for a site, created on first use. */
export function connect(url: string, site = ''): Connection {
  const key = `${url}#${site}`;
  let connection = connections.get(key);
  if (!connection) connections.set(key, (connection = new Connection(url, site)));
  return connection;
}
