import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Bot, ViewMessage } from './controllers/api.js';
import type { Locale } from './i18n.js';
import { StreamingMarkdown } from './markdown.js';
import { icon } from './icons.js';
import { avatar } from './avatar.js';
import { fire } from './fire.js';
import { shared } from './shared.styles.js';
import { messageItemStyles } from './message-item.styles.js';

/**
 * One message. Bot text is Markdown (rendered as text nodes only, see markdown.ts); user text is
 * shown as typed. Fires `retry`.
 *
 * @tagname mbc-message-item
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class MessageItem extends LitElement {
  static override styles = [shared, messageItemStyles];

  @property({ attribute: false }) i18n!: Locale;
  @property({ attribute: false }) message!: ViewMessage;
  @property({ attribute: false }) bot?: Bot;
  /** For a pending message: true while it is being delivered, false while it waits for the network. */
  @property({ type: Boolean }) sending = false;
  private readonly markdown = new StreamingMarkdown();
  private copy = (text: string, button: HTMLElement) => {
    void navigator.clipboard?.writeText(text).catch(() => undefined);
    button.textContent = this.i18n.t('copied');
    setTimeout(() => (button.textContent = this.i18n.t('copy')), 1500);
  };

  private status() {
    const { t, ago } = this.i18n;
    const m = this.message;
    switch (m.status) {
      case 'PENDING':
        return this.sending
          ? nothing
          : html`<p class="status">${icon('clock')}${t('pending')}</p>`;
      case 'FAILED':
        return html`<p class="status failed" part="error">
          ${icon('alert')}<span>${t('failed', { reason: m.errorMessage || m.errorCode || '' })}</span>
          <button class="btn ghost retry" @click=${() => fire(this, 'retry', m)}>${icon('retry')}${t('retry')}</button>
        </p>`;
      case 'CANCELLED':
        return html`<p class="status">${t('cancelled')}</p>`;
      case 'COMPLETE':
        return html`<p class="status meta">
          <time datetime=${m.createdAt}>${ago(m.createdAt)}</time>
          ${m.role === 'BOT' && m.latencyMs
            ? html`<span>${m.model} · ${(m.latencyMs / 1000).toFixed(1)} s</span>`
            : nothing}
        </p>`;
    }
    return nothing;
  }

  override render() {
    const m = this.message;
    const bot = m.role === 'BOT';
    const streaming = m.status === 'STREAMING';
    return html`<div
      class="msg ${bot ? 'bot' : 'user'} ${m.status.toLowerCase()}"
      part="message ${bot ? 'bot-message' : 'user-message'}"
      aria-busy=${streaming ? 'true' : nothing}
    >
      ${bot ? avatar(this.bot?.avatar, this.bot?.name ?? '') : nothing}
      <div class="body">
        <span class="sr-only">${bot ? this.bot?.name : this.i18n.t('you')}:</span>
        <div class="bubble" part="bubble" dir="auto">${bot
            ? streaming && !m.text
              ? html`<span class="dots"><i></i><i></i><i></i></span>`
              : html`<div class="md">${this.markdown.render(m.text, { copyLabel: this.i18n.t('copy'), copy: this.copy })}</div>`
            : m.text}</div>
        ${this.status()}
      </div>
    </div>`;
  }
}
