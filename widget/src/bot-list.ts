import { LitElement, html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { Bot } from './controllers/api.js';
import type { Locale } from './i18n.js';
import { icon } from './icons.js';
import { avatar } from './avatar.js';
import { fire } from './fire.js';
import { listStyles, shared } from './shared.styles.js';
import { botListStyles } from './bot-list.styles.js';

/**
 * The bots a user can talk to: the system ones, then their own. Fires `select-bot` and `edit-bot`.
 *
 * @tagname mbc-bot-list
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class BotList extends LitElement {
  static override styles = [shared, listStyles, botListStyles];

  @property({ attribute: false }) i18n!: Locale;
  @property({ attribute: false }) bots: Bot[] = [];
  @property() selected = '';

  private group(title: string, bots: Bot[]) {
    const { label } = this.i18n;
    return bots.length
      ? html`<h3>${title}</h3>
          <ul role="list">
            ${bots.map(
              (bot) =>
                html`<li class="bot">
                  <button
                    class="pick"
                    part="bot"
                    aria-current=${bot.id === this.selected ? 'true' : nothing}
                    @click=${() => fire(this, 'select-bot', bot.id)}
                  >
                    ${avatar(bot.avatar, bot.name)}
                    <span class="text">
                      <span class="name ellipsis" dir="auto">${bot.name}</span>
                      <span class="desc ellipsis" dir="auto">${bot.description}</span>
                    </span>
                  </button>
                  ${bot.editable
                    ? html`<button
                        class="icon edit"
                        aria-label=${label('editBot', { name: bot.name })}
                        @click=${() => fire(this, 'edit-bot', bot)}
                      >
                        ${icon('edit')}
                      </button>`
                    : nothing}
                </li>`,
            )}
          </ul>`
      : nothing;
  }

  override render() {
    const { t } = this.i18n;
    return html`${this.group(t('systemBots'), this.bots.filter((b) => b.isSystem))}
      ${this.group(t('yourBots'), this.bots.filter((b) => !b.isSystem))}
      <button class="btn ghost new" @click=${() => fire(this, 'edit-bot', null)}>${icon('plus')}${t('newBot')}</button>`;
  }
}
