import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Session } from './controllers/api.js';
import type { Locale } from './i18n.js';
import { icon } from './icons.js';
import { fire } from './fire.js';
import { listStyles, shared } from './shared.styles.js';
import { sessionListStyles } from './session-list.styles.js';

/**
 * The current bot's chats, newest activity first. Fires `select-session` (id),
 * `rename-session` ({ id, title }) and `delete-session` (id).
 *
 * @tagname mbc-session-list
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class SessionList extends LitElement {
  static override styles = [shared, listStyles, sessionListStyles];

  @property({ attribute: false }) i18n!: Locale;
  @property({ attribute: false }) sessions: Session[] = [];
  @property() selected = '';
  /** Sessions whose messages are still in the outbox. */
  @property({ attribute: false }) pending = new Set<string>();
  @state() private editing = '';
  @state() private confirming = '';

  private titleOf(session: Session) {
    return session.title || this.i18n.t('newChat');
  }

  private async act(mode: 'editing' | 'confirming', id: string, focus: string) {
    this.editing = this.confirming = '';
    this[mode] = id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(focus)?.focus();
  }

  private async done(id: string) {
    this.editing = this.confirming = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  private rename(session: Session, input: HTMLInputElement) {
    const title = input.value.trim();
    if (this.editing !== session.id) return;
    if (title && title !== session.title) fire(this, 'rename-session', { id: session.id, title });
    void this.done(session.id);
  }

  private item(session: Session) {
    const { t, ago } = this.i18n;
    const title = this.titleOf(session);
    if (this.editing === session.id) {
      return html`<li class="row editing">
        <input
          aria-label=${t('title')}
          .value=${session.title}
          maxlength="120"
          @keydown=${(e: KeyboardEvent) => {
            // preventDefault: the key must not go on to activate the button that takes the focus.
            if (e.key === 'Enter') {
              e.preventDefault();
              this.rename(session, e.target as HTMLInputElement);
            } else if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              void this.done(session.id);
            }
          }}
          @blur=${(e: FocusEvent) => this.rename(session, e.target as HTMLInputElement)}
        />
      </li>`;
    }
    if (this.confirming === session.id) {
      // The group sits inside the item: a list may only hold list items.
      return html`<li class="row"><div class="confirm" role="group" aria-labelledby="confirm-title">
        <span id="confirm-title">${t('confirmDelete', { title })}</span>
        <span class="actions">
          <button class="btn danger-fill" @click=${() => (fire(this, 'delete-session', session.id), (this.confirming = ''))}>
            ${t('yes')}
          </button>
          <button class="btn ghost" @click=${() => this.done(session.id)}>${t('no')}</button>
        </span>
      </div></li>`;
    }
    return html`<li class="row">
      <button
        class="pick"
        part="session"
        data-id=${session.id}
        aria-current=${session.id === this.selected ? 'true' : nothing}
        @click=${() => fire(this, 'select-session', session.id)}
      >
        <span class="title ellipsis" dir="auto">${title}</span>
        <span class="meta">
          ${this.pending.has(session.id) ? html`${icon('clock')}<span class="sr-only">${t('pending')}</span>` : nothing}
          <time datetime=${session.lastMessageAt}>${ago(session.lastMessageAt)}</time>
        </span>
      </button>
      <span class="tools">
        <button class="icon" aria-label=${this.i18n.label('rename', { title })} @click=${() => this.act('editing', session.id, 'input')}>
          ${icon('edit')}
        </button>
        <button
          class="icon"
          aria-label=${this.i18n.label('delete', { title })}
          @click=${() => this.act('confirming', session.id, '.confirm .ghost')}
        >
          ${icon('trash')}
        </button>
      </span>
    </li>`;
  }

  override render() {
    return this.sessions.length
      ? html`<ul role="list">${this.sessions.map((s) => this.item(s))}</ul>`
      : html`<p class="empty muted">${this.i18n.t('noChats')}</p>`;
  }
}
