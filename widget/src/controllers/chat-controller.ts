// What one <multi-bot-chat> shows: its chosen bot and chat, read from the shared connection, and
// the actions its parts trigger. Forwards the connection's news to the host page as DOM events.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { randomId } from '@multi-bot-chat/sdk';
import type { Bot, BotInput, Message, ViewMessage } from './api.js';
import { connect, type Connection, type ConnectionEvents } from './connection.js';
import { errorDetail, type MultiBotChatEventMap } from '../events.js';

export interface ChatHost extends ReactiveControllerHost, HTMLElement {
  /** The bot to open first, by slug or id. */
  bot: string;
  apiUrl: string;
  /** The site's public key ('' for the default site). */
  site: string;
  /** A failure, as the user should read it. */
  describe(error: unknown): string;
  /** Shows a notice about a failure. */
  report(text: string): void;
}

export class ChatController implements ReactiveController {
  conn!: Connection;
  botId = '';
  /** The open chat; '' is a new chat not yet written to (a draft). */
  sessionId = '';
  /** Until the user chooses, open the newest chat of the bot when the list arrives. */
  private auto = true;
  private readonly off: Array<() => void> = [];

  constructor(private readonly host: ChatHost) {
    host.addController(this);
  }

  hostConnected() {
    const conn = connect(this.host.apiUrl, this.host.site);
    if (conn !== this.conn) {
      // Another API or site (the `api` or `site` attribute changed): nothing chosen there yet.
      this.botId = this.sessionId = '';
      this.auto = true;
      this.conn = conn;
    }
    const on = <K extends keyof ConnectionEvents>(type: K, listener: (detail: ConnectionEvents[K]) => void) => {
      const handler = (event: Event) => listener((event as CustomEvent<ConnectionEvents[K]>).detail);
      this.conn.addEventListener(type, handler);
      this.off.push(() => this.conn.removeEventListener(type, handler));
    };
    on('change', () => {
      this.sync();
      this.host.requestUpdate();
    });
    on('adopt', ({ from, to }) => {
      if (this.sessionId === from) this.selectSession(to);
    });
    on('login', ({ user, origin }) => {
      if (this.isMine(origin)) this.emit('mbc-login', { user });
    });
    on('logout', ({ origin }) => {
      this.botId = this.sessionId = '';
      this.auto = true;
      if (this.isMine(origin)) this.emit('mbc-logout', null);
    });
    on('sent', ({ message, origin }) => {
      if (this.isMine(origin)) this.emit('mbc-message-sent', { message });
    });
    on('reply', ({ message, origin }) => {
      if (this.isMine(origin)) this.emit('mbc-reply', { message });
    });
    on('error', ({ error, origin }) => {
      if (this.isMine(origin)) this.fail(error);
    });
    this.conn.hosts.add(this.host);
    this.sync();
  }

  hostDisconnected() {
    this.off.splice(0).forEach((off) => off());
    this.conn.hosts.delete(this.host);
  }

  /** Events without an origin (e.g. a reply that resumed after a reload) go to the first element. */
  private isMine(origin?: object) {
    return origin ? origin === this.host : this.conn.hosts.values().next().value === this.host;
  }

  private emit<K extends keyof MultiBotChatEventMap>(type: K, detail: MultiBotChatEventMap[K]['detail']) {
    this.host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /**
   * Tells the host page (`mbc-error`) and the user (a notice, unless `quiet`: the caller shows it
   * in place); returns the text for the user.
   */
  fail(error: unknown, quiet = false): string {
    const text = this.host.describe(error);
    if (!quiet) this.host.report(text);
    this.emit('mbc-error', errorDetail(error));
    return text;
  }

  /** Runs an action; on failure tells the user and the page, and resolves false. */
  async run(action: () => Promise<unknown>): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  // ---- what to show ----

  get bots(): Bot[] {
    return this.conn.data.bots;
  }

  get bot(): Bot | undefined {
    return this.bots.find((b) => b.id === this.botId);
  }

  get sessions() {
    return this.botId ? this.conn.chats.of(this.botId) : [];
  }

  get messages(): ViewMessage[] {
    return this.sessionId ? this.conn.history.of(this.sessionId) : [];
  }

  /** The reply streaming in the open chat, if any. */
  get streaming(): Message | undefined {
    return this.messages.find((m): m is Message => m.status === 'STREAMING');
  }

  /** Where this element's last bot and chat are remembered: one place per element of the page. */
  private get place(): string {
    return this.host.id || this.host.getAttribute('bot') || '';
  }

  /**
   * Chooses the bot (and chat) to show whenever the data changed: the ones open before the reload;
   * the `bot` attribute only chooses on the first visit.
   */
  private sync() {
    if (this.conn.phase !== 'ready' || !this.bots.length) return;
    if (!this.bot) {
      const wanted = this.host.bot;
      const remembered = this.conn.data.places[this.place] ?? { botId: '' };
      const bot =
        this.bots.find((b) => b.id === remembered.botId) ??
        this.bots.find((b) => b.id === wanted || b.slug === wanted) ??
        this.bots.find((b) => b.id === this.conn.site?.defaultBotId) ??
        this.bots[0];
      if (bot.id === remembered.botId && remembered.sessionId) {
        this.auto = false;
        this.botId = bot.id;
        this.selectSession(remembered.sessionId);
        void this.conn.chats.load(bot.id);
      } else this.selectBot(bot.id);
    }
    if (this.auto && !this.sessionId && this.sessions.length) this.selectSession(this.sessions[0].id, true);
  }

  /** Opens the bot given in the `bot` attribute, if it exists. */
  preselect() {
    const bot = this.bots.find((b) => b.id === this.host.bot || b.slug === this.host.bot);
    if (bot && bot.id !== this.botId) this.selectBot(bot.id);
  }

  selectBot(id: string) {
    this.botId = id;
    this.sessionId = '';
    this.auto = true;
    const sessions = this.sessions;
    if (sessions.length) this.selectSession(sessions[0].id, true);
    else this.conn.chats.remember(this.place, id, undefined);
    void this.conn.chats.load(id);
  }

  selectSession(id: string, auto = false) {
    this.sessionId = id;
    this.auto &&= auto;
    this.conn.chats.remember(this.place, this.botId, id);
    void this.conn.history.load(id);
  }

  newChat() {
    this.auto = false;
    this.sessionId = '';
    this.conn.chats.remember(this.place, this.botId, undefined);
  }

  send(text: string) {
    if (!this.botId) return;
    if (!this.sessionId) this.sessionId = this.conn.chats.draft();
    const clientMessageId = randomId();
    this.conn.origins.set(clientMessageId, this.host);
    this.conn.outbox.add({ clientMessageId, botId: this.botId, sessionId: this.sessionId, text, createdAt: new Date().toISOString() });
  }

  stop() {
    const reply = this.streaming;
    if (reply) void this.run(() => this.conn.replies.cancel(reply.id));
  }

  retry(message: Message) {
    void this.run(() => this.conn.replies.retry(message));
  }

  renameSession(id: string, title: string) {
    void this.run(() => this.conn.chats.rename(id, title));
  }

  deleteSession(id: string) {
    if (id === this.sessionId) this.newChat();
    void this.run(() => this.conn.chats.delete(id));
  }

  async saveBot(id: string | null, input: BotInput): Promise<Bot> {
    const bot = await this.conn.bots.save(id, input);
    if (!id) this.selectBot(bot.id);
    return bot;
  }

  async deleteBot(id: string) {
    await this.conn.bots.delete(id);
    if (id === this.botId) this.botId = '';
    this.sync();
  }
}
