import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Locale } from './i18n.js';
import { icon } from './icons.js';
import { shared } from './shared.styles.js';
import { authFormStyles } from './auth-form.styles.js';

export type AuthMode = 'login' | 'register';

/**
 * Sign-in / sign-up card. Fires `auth-submit` with `{ mode, email, password }`.
 *
 * @tagname mbc-auth-form
 * @internal A part of <multi-bot-chat>, not meant to be used alone.
 */
export class AuthForm extends LitElement {
  static override styles = [shared, authFormStyles];

  @property({ attribute: false }) i18n!: Locale;
  /** Error text from the last attempt, announced as an alert. */
  @property() error = '';
  @property({ type: Boolean }) busy = false;
  @state() mode: AuthMode = 'login';
  get email() {
    return this.renderRoot.querySelector('input')!;
  }

  private submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.dispatchEvent(
      new CustomEvent('auth-submit', {
        detail: { mode: this.mode, email: String(form.get('email')), password: String(form.get('password')) },
      }),
    );
  }

  private toggle() {
    this.mode = this.mode === 'login' ? 'register' : 'login';
    this.error = '';
    this.email.focus();
  }

  override render() {
    const { t } = this.i18n;
    const login = this.mode === 'login';
    return html`<form class="card" part="auth" @submit=${this.submit} aria-labelledby="title">
      <div class="logo">${icon('bubble')}</div>
      <h2 id="title">${t(login ? 'signInTitle' : 'signUpTitle')}</h2>
      <p class="muted">${t('tagline')}</p>
      <label
        >${t('email')}
        <input name="email" type="email" autocomplete="email" required dir="ltr" />
      </label>
      <label
        >${t('password')}
        <input
          name="password"
          type="password"
          required
          minlength=${login ? 1 : 8}
          autocomplete=${login ? 'current-password' : 'new-password'}
          aria-describedby=${login ? nothing : 'hint'}
          dir="ltr"
        />
        ${login ? '' : html`<span id="hint" class="hint">${t('passwordHint')}</span>`}
      </label>
      <div class="error" role="alert">${this.error ? html`${icon('alert')}<span>${this.error}</span>` : nothing}</div>
      <button class="btn primary" type="submit" ?disabled=${this.busy} part="button">
        ${t(login ? 'signIn' : 'signUp')}
      </button>
      <p class="switch muted">
        ${t(login ? 'noAccount' : 'haveAccount')}
        <button type="button" class="link" @click=${this.toggle}>${t(login ? 'signUp' : 'signIn')}</button>
      </p>
    </form>`;
  }
}
