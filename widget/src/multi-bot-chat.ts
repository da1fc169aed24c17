import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { NetworkError } from '@multi-bot-chat/sdk';
import { ChatController } from './controllers/chat-controller.js';
import type { Identify } from './controllers/connection.js';
import type { Bot, BotInput, Message } from './controllers/api.js';
import { locale, type Locale } from './i18n.js';
import { icon } from './icons.js';
import { avatar } from './avatar.js';
import { shared } from './shared.styles.js';
import { styles } from './multi-bot-chat.styles.js';
import { AuthForm } from './auth-form.js';
import { BotList } from './bot-list.js';
import { SessionList } from './session-list.js';
import { ChatView } from './chat-view.js';
import { MessageItem } from './message-item.js';
import { Composer } from './composer.js';
import { BotEditor } from './bot-editor.js';

export type { MultiBotChatEventMap, MbcErrorDetail } from './events.js';

/** Where the script was loaded from: the API that serves widget.js is the default API. */
const scriptOrigin = new URL(import.meta.url).origin;

type Drawer = 'bots' | 'sessions' | '';

/**
 * A complete chat with several bots, for any page: sign-in, a bot picker (system bots and the
 * user's own), their chats, streaming Markdown replies, and an offline outbox.
 *
 * ```html
 * <script type="module" src="https://chat.example.com/widget.js"></script>
 * <multi-bot-chat bot="tutor" theme="auto"></multi-bot-chat>
 * ```
 *
 * On a site (`site="pk_…"`) the site's settings decide who may chat: guests straight away, the
 * host site's signed-in user (`identify` or `identity-token`), or an account (e-mail sign-in).
 *
 * @summary The multi-bot chat, as one element.
 * @tagname multi-bot-chat
 *
 * @slot launcher - Content of the bubble-mode launcher button (default: a chat icon).
 *
 * @event {CustomEvent<{ user: User }>} mbc-login - A user signed in or created an account.
 * @event {CustomEvent<null>} mbc-logout - The user signed out, or their sign-in expired.
 * @event {CustomEvent<{ message: Message }>} mbc-message-sent - The server accepted a message the user wrote (also one queued offline).
 * @event {CustomEvent<{ message: Message }>} mbc-reply - A bot reply ended: status COMPLETE, CANCELLED or FAILED.
 * @event {CustomEvent<{ code: string; message: string }>} mbc-error - Something failed and the user was told.
 *
 * @csspart frame - The box holding the whole UI (the floating panel in bubble mode).
 * @csspart launcher - The round button that opens the panel in bubble mode.
 * @csspart bots - The bot column (a drawer when narrow).
 * @csspart chat - The conversation column.
 * @csspart sessions - The chats column (a drawer when narrow).
 * @csspart header - The conversation's header bar.
 * @csspart banner - Offline, rate-limit and error notices.
 * @csspart auth - The sign-in form.
 * @csspart bot - A bot in the bot list.
 * @csspart session - A chat in the chats list.
 * @csspart messages - The scrolling message list.
 * @csspart message - Any message; also `user-message` or `bot-message`.
 * @csspart bubble - A message's text bubble.
 * @csspart avatar - A bot avatar.
 * @csspart composer - The message form; `input` is its text field, `send-button` its button.
 * @csspart disclosure - The site's line under the composer (e.g. "You are chatting with an AI assistant").
 * @csspart dialog - The bot editor dialog.
 *
 * @cssproperty [--mbc-accent=#6c5ce7] - Accent colour: buttons, the user's bubbles, focus rings.
 * @cssproperty [--mbc-accent-text=#a89dff] - Accent used for text and links on the background.
 * @cssproperty [--mbc-bg=#0d0f14] - Background of the conversation.
 * @cssproperty [--mbc-surface=#141821] - Background of the side columns and cards.
 * @cssproperty [--mbc-text=#e8eaf0] - Main text colour.
 * @cssproperty [--mbc-muted=#98a1b3] - Secondary text colour.
 * @cssproperty [--mbc-border=#252b37] - Hairlines and field borders.
 * @cssproperty [--mbc-radius=16px] - Corner radius of the widget's frame.
 * @cssproperty [--mbc-font=system-ui] - Font family.
 * @cssproperty [--mbc-height=640px] - Height in inline mode.
 * @cssproperty [--mbc-z-index=2147483000] - Stacking level in bubble and fullscreen modes.
 */
export class MultiBotChat extends LitElement {
  static override styles = [shared, styles];

  /** GraphQL endpoint of the API. Default: `/graphql` on the origin widget.js was loaded from. */
  @property() api = '';
  /** The bot to open first, by slug (e.g. `tutor`) or id. */
  @property() bot = '';
  /** `inline` (in the page flow), `bubble` (a launcher button opening a floating panel) or `fullscreen`. */
  @property({ reflect: true }) mode: 'inline' | 'bubble' | 'fullscreen' = 'inline';
  /** `dark` (default), `light`, or `auto` to follow the visitor's system setting. */
  @property({ reflect: true }) theme: 'dark' | 'light' | 'auto' = 'dark';
  /** UI language: `en`, `de` or `ar` (right-to-left). Default: the page's language, else the browser's. */
  @property() override lang = '';
  /** Bubble mode: whether the panel is open. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** The site's public key (`pk_…`): its settings, bots and sign-in. Default: the API's default site. */
  @property() site = '';
  /** An identity token the host site's server signed for its user (see docs/embedding.md). Empty: nobody. */
  @property({ attribute: 'identity-token' }) identityToken = '';
  /**
   * Asked for a fresh identity token on start and whenever ours expires, e.g.
   * `el.identify = () => fetch('/chat-token').then((r) => r.text())`. An empty answer signs out.
   */
  @property({ attribute: false }) identify?: Identify;

  @state() private drawer: Drawer = '';
  @state() private notice = '';
  @state() private authError = '';
  @state() private busy = false;
  @state() private editorError = '';
  @state() private now = Date.now();
  /** A guest chose to sign in (to keep their chats): the form shows over the chat. */
  @state() private upgrading = false;
  @query('mbc-bot-editor') private editor!: BotEditor;
  @query('mbc-composer') private composer?: Composer;

  private readonly chat = new ChatController(this);
  private i18n: Locale = locale('en');
  private ticker?: ReturnType<typeof setInterval>;

  /** The GraphQL endpoint in use. */
  get apiUrl(): string {
    return this.api || `${scriptOrigin}/graphql`;
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('lang') || !this.hasUpdated) {
      const tag = this.lang || this.parentElement?.closest<HTMLElement>('[lang]')?.lang || navigator.language;
      this.i18n = locale(tag);
    }
    // Also before the first render: frameworks may set `api` just after connecting the element
    // (@lit/react does, in a layout effect), when the controller has already connected to the default.
    if ((changed.has('api') || changed.has('site')) && (this.chat.conn.url !== this.apiUrl || this.chat.conn.siteKey !== this.site)) {
      this.chat.hostDisconnected();
      this.chat.hostConnected();
    }
    if ((changed.has('identify') || changed.has('identityToken')) && (this.identify || this.identityToken || this.hasUpdated)) {
      this.chat.conn.identifyWith(this.identify ?? (() => this.identityToken));
    }
    if (this.hasUpdated && changed.has('bot')) this.chat.preselect();
    const conn = this.chat.conn;
    const waiting = conn.rateLimitUntil > Date.now();
    if (waiting && !this.ticker) this.ticker = setInterval(() => (this.now = Date.now()), 1000);
    if (!waiting && this.ticker) this.ticker = void clearInterval(this.ticker);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /**
   * What to tell the user about a failure, in their language (the API's messages are English).
   * @internal
   */
  describe(error: unknown): string {
    return error instanceof NetworkError ? this.i18n.t('networkError') : (error as Error)?.message || this.i18n.t('error');
  }

  /** @internal */
  report(text: string) {
    this.notice = text;
  }

  // ---- actions from the parts ----

  private async signIn(e: CustomEvent<{ mode: 'login' | 'register'; email: string; password: string }>) {
    const { mode, email, password } = e.detail;
    this.busy = true;
    this.authError = '';
    try {
      await this.chat.conn.signIn(mode, email, password, this);
      this.upgrading = false;
      await this.updateComplete;
      this.composer?.focus();
    } catch (error) {
      this.authError = this.chat.fail(error, true);
    } finally {
      this.busy = false;
    }
  }

  private async saveBot(e: CustomEvent<{ id: string | null; input: BotInput }>) {
    this.busy = true;
    this.editorError = '';
    try {
      await this.chat.saveBot(e.detail.id, e.detail.input);
      this.editor.close();
    } catch (error) {
      this.editorError = this.chat.fail(error, true);
    } finally {
      this.busy = false;
    }
  }

  private async deleteBot(e: CustomEvent<string>) {
    this.busy = true;
    try {
      await this.chat.deleteBot(e.detail);
      this.editor.close();
    } catch (error) {
      this.editorError = this.chat.fail(error, true);
    } finally {
      this.busy = false;
    }
  }

  private send(e: CustomEvent<string>) {
    this.chat.send(e.detail);
  }

  private pickBot(e: CustomEvent<string>) {
    this.chat.selectBot(e.detail);
    this.closeDrawer(true);
  }

  private pickSession(e: CustomEvent<string>) {
    this.chat.selectSession(e.detail);
    this.closeDrawer(true);
  }

  private newChat() {
    this.chat.newChat();
    this.closeDrawer(true);
  }

  private async openDrawer(drawer: Drawer) {
    this.drawer = drawer;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`.${drawer} .close`)?.focus();
  }

  /** Closes a drawer; focus goes to the composer after a choice, else back to the drawer's button. */
  private async closeDrawer(chose = false) {
    const was = this.drawer;
    this.drawer = '';
    await this.updateComplete;
    if (chose) this.composer?.focus();
    else if (was) this.renderRoot.querySelector<HTMLElement>(`[aria-controls=${was}]`)?.focus();
  }

  private async toggle(open = !this.open) {
    this.open = open;
    // Opened while still asking the server (launcher.js loads the widget on the click): the chat or the form comes first.
    if (open) await this.chat.conn.started;
    await this.updateComplete;
    if (open) this.composer?.focus() ?? this.renderRoot.querySelector<HTMLElement>('mbc-auth-form')?.focus();
    else this.renderRoot.querySelector<HTMLElement>('.launcher')?.focus();
  }

  private keydown(e: KeyboardEvent) {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if (this.drawer) this.closeDrawer();
    else if (this.mode === 'bubble' && this.open) this.toggle(false);
    else return;
    e.preventDefault();
  }

  // ---- rendering ----

  private renderNotice() {
    const { t } = this.i18n;
    const conn = this.chat.conn;
    const wait = Math.ceil((conn.rateLimitUntil - this.now) / 1000);
    if (!conn.online) {
      return html`<div class="banner" part="banner" role="status">${icon('offline')}${t('offline')}</div>`;
    }
    if (wait > 0) {
      return html`<div class="banner" part="banner" role="status">${icon('clock')}${t('rateLimited', { s: wait })}</div>`;
    }
    if (this.notice) {
      return html`<div class="banner error" part="banner" role="alert">
        ${icon('alert')}<span>${this.notice}</span>
        <button class="icon" aria-label=${t('close')} @click=${() => (this.notice = '')}>${icon('close')}</button>
      </div>`;
    }
    return nothing;
  }

  private renderApp() {
    const { t } = this.i18n;
    const { chat } = this;
    const conn = chat.conn;
    const bot = chat.bot;
    const messages = chat.messages; // built from the cache and outbox: once per render
    const streaming = messages.find((m): m is Message => m.status === 'STREAMING');
    const close = (label: string) =>
      html`<button class="icon close" aria-label=${label} @click=${() => this.closeDrawer()}>${icon('close')}</button>`;
    return html`<div class="app">
      <aside id="bots" class="bots drawer ${this.drawer === 'bots' ? 'open' : ''}" part="bots" aria-label=${t('bots')}>
        <div class="head brand">
          <span class="logo">${icon('bubble')}</span>
          <span class="ellipsis">${t('brand')}</span>
          ${close(t('close'))}
        </div>
        <mbc-bot-list
          class="scroll"
          .i18n=${this.i18n}
          .bots=${chat.bots}
          selected=${chat.botId}
          @select-bot=${this.pickBot}
          @edit-bot=${(e: CustomEvent<Bot | null>) => ((this.editorError = ''), this.editor.open(e.detail))}
        ></mbc-bot-list>
        ${this.renderFoot()}
      </aside>
      <main class="chat" part="chat">
        <header class="head" part="header">
          <button class="icon toggle" aria-label=${t('showBots')} aria-controls="bots" aria-expanded=${this.drawer === 'bots'} @click=${() => this.openDrawer('bots')}>
            ${icon('menu')}
          </button>
          ${bot
            ? html`${avatar(bot.avatar, bot.name)}
                <div class="who">
                  <h2 class="ellipsis" dir="auto">${bot.name}</h2>
                  <p class="ellipsis muted" dir="auto">${streaming ? t('typing', { bot: bot.name }) : bot.description}</p>
                </div>`
            : html`<div class="who"></div>`}
          <button class="icon add" aria-label=${t('newChat')} @click=${this.newChat}>${icon('plus')}</button>
          <button class="icon toggle" aria-label=${t('showChats')} aria-controls="sessions" aria-expanded=${this.drawer === 'sessions'} @click=${() => this.openDrawer('sessions')}>
            ${icon('chats')}
          </button>
          ${this.mode === 'bubble'
            ? html`<button class="icon" aria-label=${t('closeChat')} @click=${() => this.toggle(false)}>${icon('down')}</button>`
            : nothing}
        </header>
        ${this.renderNotice()}
        <mbc-chat-view
          exportparts="messages, message, user-message, bot-message, bubble, avatar, empty, error"
          .i18n=${this.i18n}
          .messages=${messages}
          .bot=${bot}
          welcome=${conn.site?.welcome ?? ''}
          sending=${conn.sendingId ?? ''}
          ?earlier=${conn.hasEarlier(chat.sessionId)}
          @retry=${(e: CustomEvent<Message>) => chat.retry(e.detail)}
          @load-earlier=${() => chat.run(() => conn.loadEarlier(chat.sessionId))}
        ></mbc-chat-view>
        <mbc-composer
          exportparts="composer, input, send-button"
          .i18n=${this.i18n}
          bot=${bot?.name ?? ''}
          ?streaming=${!!streaming}
          ?waiting=${!bot}
          @send=${this.send}
          @stop=${() => chat.stop()}
        ></mbc-composer>
        ${conn.site?.disclosure ? html`<p class="disclosure" part="disclosure">${conn.site.disclosure}</p>` : nothing}
      </main>
      <aside id="sessions" class="sessions drawer end ${this.drawer === 'sessions' ? 'open' : ''}" part="sessions" aria-label=${t('chats')}>
        <div class="head">
          <h2>${t('chats')}</h2>
          <button class="btn ghost new" @click=${this.newChat}>${icon('plus')}${t('newChat')}</button>
          ${close(t('close'))}
        </div>
        <mbc-session-list
          class="scroll"
          .i18n=${this.i18n}
          .sessions=${chat.sessions}
          .pending=${conn.pendingSessions}
          selected=${chat.sessionId}
          @select-session=${this.pickSession}
          @rename-session=${(e: CustomEvent<{ id: string; title: string }>) => chat.renameSession(e.detail.id, e.detail.title)}
          @delete-session=${(e: CustomEvent<string>) => chat.deleteSession(e.detail)}
        ></mbc-session-list>
      </aside>
      <div class="scrim ${this.drawer ? 'on' : ''}" @click=${() => this.closeDrawer()}></div>
      <mbc-bot-editor
        exportparts="dialog"
        .i18n=${this.i18n}
        error=${this.editorError}
        ?busy=${this.busy}
        @save-bot=${this.saveBot}
        @delete-bot=${this.deleteBot}
      ></mbc-bot-editor>
    </div>`;
  }

  /** Who is signed in: an account (sign out), the host site's user (by name, nothing to do), or a guest (sign in to keep the chats). */
  private renderFoot() {
    const { t } = this.i18n;
    const conn = this.chat.conn;
    const user = conn.data.user;
    const guest = !user || user.role === 'GUEST';
    const who = guest ? t('guest') : user.email ?? t('signedInAs', { name: user.name! });
    return html`<div class="foot">
      <span class="me ellipsis" title=${who}>${who}</span>
      ${user?.email
        ? html`<button class="icon" aria-label=${t('signOut')} @click=${() => this.chat.run(() => conn.signOut(this))}>${icon('logout')}</button>`
        : guest && conn.site?.allowAccounts
          ? html`<button class="btn ghost" @click=${() => (this.upgrading = true)}>${t('signIn')}</button>`
          : nothing}
    </div>`;
  }

  private renderSignIn() {
    const site = this.chat.conn.site;
    if (site && !site.allowAccounts) return html`<div class="gate" role="status">${this.i18n.t('signInOnSite', { site: site.name })}</div>`;
    return html`<mbc-auth-form exportparts="auth" .i18n=${this.i18n} error=${this.authError} ?busy=${this.busy} @auth-submit=${this.signIn}></mbc-auth-form>
      ${this.upgrading ? html`<button class="btn ghost back" @click=${() => (this.upgrading = false)}>${this.i18n.t('cancel')}</button>` : nothing}`;
  }

  override render() {
    const { t, lang, dir } = this.i18n;
    const phase = this.upgrading ? 'signed-out' : this.chat.conn.phase;
    const frame = html`<div
      class="frame ${phase}"
      part="frame"
      lang=${lang}
      dir=${dir}
      role=${this.mode === 'bubble' ? 'dialog' : 'region'}
      aria-label=${t('brand')}
      @keydown=${this.keydown}
    >
      ${phase === 'ready'
        ? this.renderApp()
        : phase === 'signed-out'
          ? this.renderSignIn()
          : html`<div class="spinner" role="status"><span class="sr-only">…</span></div>`}
    </div>`;
    if (this.mode !== 'bubble') return frame;
    return html`${this.open ? frame : nothing}
      <button
        class="launcher"
        part="launcher"
        dir=${dir}
        aria-label=${t(this.open ? 'closeChat' : 'openChat')}
        aria-expanded=${this.open}
        @click=${() => this.toggle()}
      >
        <slot name="launcher">${icon(this.open ? 'down' : 'bubble')}</slot>
      </button>`;
  }
}

const elements: Record<string, CustomElementConstructor> = {
  'mbc-auth-form': AuthForm,
  'mbc-bot-list': BotList,
  'mbc-session-list': SessionList,
  'mbc-chat-view': ChatView,
  'mbc-message-item': MessageItem,
  'mbc-composer': Composer,
  'mbc-bot-editor': BotEditor,
  'multi-bot-chat': MultiBotChat,
};
// A page may load widget.js twice (two versions, or a re-injected script): the first one wins.
for (const [name, element] of Object.entries(elements)) {
  if (!customElements.get(name)) customElements.define(name, element);
}

declare global {
  interface HTMLElementTagNameMap {
    'multi-bot-chat': MultiBotChat;
  }
}
