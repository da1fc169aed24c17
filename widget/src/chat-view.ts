import { LitElement, html, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Bot, ViewMessage } from './controllers/api.js';
import type { Locale } from './i18n.js';
import { plainText } from './markdown.js';
import { avatar } from './avatar.js';
import { fire } from './fire.js';
import { shared } from './shared.styles.js';
import { chatViewStyles } from './chat-view.styles.js';

/** How new a finished reply must be to be news when first seen. */
const FRESH_MS = 15_000;
const SENTENCE_END = /[.!?。؟\n](?=\s|$)/g;

/**
 * The conversation: messages, oldest first, kept scrolled to the newest while the reader is at
 * the bottom. A polite live region reads a streaming reply sentence by sentence.
 *
 * @tagname mbc-chat-view
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class ChatView extends LitElement {
  static override styles = [shared, chatViewStyles];

  @property({ attribute: false }) i18n!: Locale;
  @property({ attribute: false }) messages: ViewMessage[] = [];
  @property({ attribute: false }) bot?: Bot;
  /** The site's welcome text, shown on an empty chat instead of the bot's description. */
  @property() welcome = '';
  /** clientMessageIds being delivered now; other pending messages wait. */
  @property({ attribute: false }) sending = new Set<string>();
  /** Older messages exist: offer to load them (fires `load-earlier`). */
  @property({ type: Boolean }) earlier = false;
  @state() private announcement = '';
  private get scroller() {
    return this.renderRoot.querySelector<HTMLElement>('.scroller')!;
  }
  private stick = true;
  private height = 0;
  private first?: string;
  private announced = new Map<string, number>();

  override willUpdate(changed: PropertyValues<this>) {
    if (this.scroller) {
      const { scrollTop, scrollHeight, clientHeight } = this.scroller;
      this.stick = scrollHeight - scrollTop - clientHeight < 80;
      this.height = scrollHeight;
    }
    if (changed.has('messages')) this.announce();
  }

  override updated() {
    const scroller = this.scroller;
    const first = this.messages[0]?.id;
    if (this.stick) scroller.scrollTop = scroller.scrollHeight;
    // Older messages came in above: keep what the reader was looking at in place.
    else if (first !== this.first) scroller.scrollTop += scroller.scrollHeight - this.height;
    this.first = first;
  }

  /** Queues for the live region whatever complete sentences of the newest reply were not read yet. */
  private announce() {
    const last = this.messages[this.messages.length - 1];
    if (!last || last.role !== 'BOT') return;
    const done = last.status !== 'STREAMING';
    const from = this.announced.get(last.id);
    // A reply that was already there when the chat opened is not news; one first seen finished but
    // just made (a fast model, and renders come at most once a frame) is read whole.
    if (from === undefined && !(done && Date.now() - Date.parse(last.createdAt) < FRESH_MS)) {
      this.announced.set(last.id, done ? last.text.length : 0);
      if (!done) this.announcement = this.i18n.t('typing', { bot: this.bot?.name ?? '' });
      return;
    }
    const start = from ?? 0;
    let to = done ? last.text.length : start;
    if (!done) for (const match of last.text.slice(start).matchAll(SENTENCE_END)) to = start + match.index + 1;
    if (to > start) {
      this.announced.set(last.id, to);
      this.announcement = plainText(last.text.slice(start, to));
    }
  }

  override render() {
    const { t } = this.i18n;
    const bot = this.bot;
    return html`<div class="scroller" part="messages" tabindex="0" role="region" aria-label=${this.i18n.label('messages', { bot: bot?.name ?? '' })}>
        ${this.messages.length || !bot
          ? html`${this.earlier
                ? html`<button class="btn ghost earlier" @click=${() => fire(this, 'load-earlier')}>${t('loadEarlier')}</button>`
                : ''}
              <ol class="list" role="list">
              ${
                // By position, not keyed: messages are appended, and a sent message takes its
                // pending copy's place, so each keeps its element (repeat() cost 0.9 KB gzip).
                this.messages.map(
                (m) =>
                  html`<li>
                    <mbc-message-item
                      .i18n=${this.i18n}
                      .message=${m}
                      .bot=${bot}
                      ?sending=${this.sending.has(m.clientMessageId ?? '')}
                      @retry=${(e: CustomEvent) => fire(this, 'retry', e.detail)}
                    ></mbc-message-item>
                  </li>`,
              )}
            </ol>`
          : html`<div class="empty" part="empty">
              ${avatar(bot.avatar, bot.name, 'avatar hero')}
              <h2>${t('emptyTitle', { bot: bot.name })}</h2>
              <p class="muted" dir="auto">${this.welcome || bot.description}</p>
            </div>`}
      </div>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>`;
  }
}
