import { LitElement, html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Locale } from './i18n.js';
import { icon } from './icons.js';
import { fire } from './fire.js';
import { shared } from './shared.styles.js';
import { composerStyles } from './composer.styles.js';

/**
 * Where the user writes. Enter sends, Shift+Enter adds a line. While a reply streams and the
 * field is empty, the button stops the reply. Fires `send` (text) and `stop`.
 *
 * @tagname mbc-composer
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class Composer extends LitElement {
  static override styles = [shared, composerStyles];

  @property({ attribute: false }) i18n!: Locale;
  @property() bot = '';
  /** A reply is streaming: offer to stop it. */
  @property({ type: Boolean }) streaming = false;
  /** Nothing to send to yet (the bots are loading): Enter keeps the text. */
  @property({ type: Boolean }) waiting = false;
  private get field() {
    return this.renderRoot.querySelector('textarea')!;
  }

  override async focus() {
    await this.updateComplete;
    this.field.focus();
  }

  private grow() {
    const field = this.field;
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, 200)}px`;
    this.requestUpdate();
  }

  private submit(event?: Event) {
    event?.preventDefault();
    const text = this.field.value.trim();
    if (!text) {
      if (this.streaming) fire(this, 'stop');
      return;
    }
    if (this.waiting) return;
    fire(this, 'send', text);
    this.field.value = '';
    this.grow();
  }

  private keydown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) this.submit(event);
  }

  override render() {
    const { t } = this.i18n;
    const stop = this.streaming && !this.field?.value.trim();
    return html`<form part="composer" @submit=${this.submit}>
      <textarea
        part="input"
        rows="1"
        aria-label=${this.i18n.label('placeholder', { bot: this.bot })}
        placeholder=${t('placeholder', { bot: this.bot })}
        @input=${this.grow}
        @keydown=${this.keydown}
      ></textarea>
      <button
        class="send ${stop ? 'stop' : ''}"
        part="send-button"
        type="submit"
        aria-label=${t(stop ? 'stop' : 'send')}
        ?disabled=${!stop && (this.waiting || !this.field?.value.trim())}
      >
        ${icon(stop ? 'stop' : 'send')}
      </button>
    </form>`;
  }
}
