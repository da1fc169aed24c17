import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Bot, BotInput } from './controllers/api.js';
import type { Locale } from './i18n.js';
import { icon } from './icons.js';
import { fire } from './fire.js';
import { shared } from './shared.styles.js';
import { botEditorStyles } from './bot-editor.styles.js';

/** The mark of a required field (screen readers hear "required" from the field itself). */
const required = html`<span class="required" aria-hidden="true">*</span>`;

/**
 * A modal dialog to create a bot or edit one's own. Fires `save-bot` ({ id, input }) and
 * `delete-bot` (id); the owner closes it with `close()` once the server agreed.
 *
 * @tagname mbc-bot-editor
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class BotEditor extends LitElement {
  static override styles = [shared, botEditorStyles];

  @property({ attribute: false }) i18n!: Locale;
  /** The last save's error, shown in the form. */
  @property() error = '';
  @property({ type: Boolean }) busy = false;
  @state() private bot: Bot | null = null;
  @state() private temperature = 0.7;
  private get dialog() {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Opens the dialog for `bot`, or for a new bot with null. */
  async open(bot: Bot | null) {
    this.bot = bot;
    this.error = '';
    this.temperature = bot?.temperature ?? 0.7;
    await this.updateComplete;
    this.dialog.querySelector('form')!.reset();
    this.dialog.showModal();
  }

  close() {
    this.dialog.close();
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const input: BotInput = {
      name: text('name'),
      description: text('description'),
      systemPrompt: text('systemPrompt'),
      temperature: Number(form.get('temperature')),
    };
    fire(this, 'save-bot', { id: this.bot?.id ?? null, input });
  }

  override render() {
    const { t } = this.i18n;
    const bot = this.bot;
    return html`<dialog part="dialog" aria-labelledby="heading">
      <form @submit=${this.submit}>
        <header>
          <h2 id="heading">${bot ? t('editBot', { name: bot.name }) : t('newBot')}</h2>
          <button type="button" class="icon" aria-label=${t('close')} @click=${this.close}>${icon('close')}</button>
        </header>
        <label>${t('name')}${required}<input name="name" required maxlength="60" autofocus .defaultValue=${bot?.name ?? ''} /></label>
        <label
          >${t('description')}<input name="description" maxlength="200" .defaultValue=${bot?.description ?? ''}
        /></label>
        <label
          >${t('systemPrompt')}${required}<textarea
            name="systemPrompt"
            required
            rows="6"
            maxlength="4000"
            .defaultValue=${bot?.systemPrompt ?? ''}
          ></textarea>
        </label>
        <div class="field">
          <span class="row"><label for="temperature">${t('temperature')}</label><output for="temperature">${this.temperature.toFixed(1)}</output></span>
          <input
            id="temperature"
            name="temperature"
            type="range"
            min="0"
            max="2"
            step="0.1"
            .defaultValue=${String(bot?.temperature ?? 0.7)}
            aria-describedby="temperature-hint"
            @input=${(e: Event) => (this.temperature = Number((e.target as HTMLInputElement).value))}
          />
          <span id="temperature-hint" class="hint">${t('temperatureHint')}</span>
        </div>
        <div class="error" role="alert">${this.error ? html`${icon('alert')}${this.error}` : nothing}</div>
        <footer>
          ${bot
            ? html`<button type="button" class="btn ghost danger" ?disabled=${this.busy} @click=${() => fire(this, 'delete-bot', bot.id)}>
                ${icon('trash')}${t('deleteBot')}
              </button>`
            : nothing}
          <span class="spacer"></span>
          <button type="button" class="btn ghost" @click=${this.close}>${t('cancel')}</button>
          <button type="submit" class="btn primary" ?disabled=${this.busy}>${t('save')}</button>
        </footer>
      </form>
    </dialog>`;
  }
}
