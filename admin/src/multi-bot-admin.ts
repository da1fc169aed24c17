// <multi-bot-admin>: the owner's console. Signs an admin in (a non-admin is told so and signed out
// again), then shows one view at a time: analytics, sites, bots, users, the audit log. Every view
// asks the API, which refuses non-admins on each operation; the console only hides what it cannot do.
import { css, html, LitElement } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { AdminApi, ApiError } from './api.ts';
import { shared } from './styles.ts';
import './views/analytics-view.ts';
import './views/audit-view.ts';
import './views/bots-view.ts';
import './views/sites-view.ts';
import './views/users-view.ts';

const VIEWS = [
  ['analytics', 'Analytics'],
  ['sites', 'Sites'],
  ['bots', 'Bots'],
  ['users', 'Users'],
  ['audit', 'Audit log'],
] as const;
type View = (typeof VIEWS)[number][0];

/**
 * The console. Served at /admin with its own bundle (admin.js); talks to the API at /graphql.
 */
@customElement('multi-bot-admin')
export class MultiBotAdmin extends LitElement {
  static styles = [
    shared,
    css`
      header { display: flex; justify-content: space-between; align-items: center; gap: 1rem; border-bottom: 1px solid #d0d7de; padding: 0.5rem 1rem; }
      h1 { font-size: 1.2rem; margin: 0; }
      nav ul { display: flex; gap: 0.25rem; list-style: none; margin: 0; padding: 0; }
      nav button[aria-current='page'] { background: #0b5cad; color: #fff; border-color: #0b5cad; }
      main { padding: 1rem; }
      .sign-in { max-width: 22rem; margin: 3rem auto; display: flex; flex-direction: column; align-items: stretch; }
    `,
  ];

  private readonly api = new AdminApi();
  @state() private admin: { email: string } | null = null;
  @state() private view: View = 'analytics';
  @state() private error = '';

  connectedCallback(): void {
    super.connectedCallback();
    if (this.api.signedIn) void this.checkAdmin();
  }

  render() {
    if (!this.admin) return this.renderSignIn();
    return html`
      <header>
        <h1>Multi-bot chat console</h1>
        <nav aria-label="Console">
          <ul>
            ${VIEWS.map(([id, label]) => html`<li><button aria-current=${this.view === id ? 'page' : 'false'} @click=${() => (this.view = id)}>${label}</button></li>`)}
          </ul>
        </nav>
        <div class="row"><span class="muted">${this.admin.email}</span><button @click=${this.signOut}>Sign out</button></div>
      </header>
      <main>${this.renderView()}</main>
    `;
  }

  private renderView() {
    switch (this.view) {
      case 'analytics':
        return html`<mba-analytics .api=${this.api}></mba-analytics>`;
      case 'sites':
        return html`<mba-sites .api=${this.api}></mba-sites>`;
      case 'bots':
        return html`<mba-bots .api=${this.api}></mba-bots>`;
      case 'users':
        return html`<mba-users .api=${this.api}></mba-users>`;
      case 'audit':
        return html`<mba-audit .api=${this.api}></mba-audit>`;
    }
  }

  private renderSignIn() {
    return html`
      <main>
        <form class="sign-in" aria-labelledby="sign-in-title" @submit=${this.signIn}>
          <h1 id="sign-in-title">Sign in to the console</h1>
          <label>E-mail <input name="email" type="email" autocomplete="username" required /></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
          <button class="primary">Sign in</button>
          <p class="error" role="alert">${this.error}</p>
        </form>
      </main>
    `;
  }

  private async signIn(event: Event) {
    event.preventDefault();
    const values = new FormData(event.target as HTMLFormElement);
    this.error = '';
    try {
      await this.api.signIn(String(values.get('email')), String(values.get('password')));
      await this.checkAdmin();
    } catch (error) {
      this.error = error instanceof ApiError && error.code === 'UNAUTHENTICATED' ? 'Wrong e-mail or password.' : (error as Error).message;
    }
  }

  private async checkAdmin() {
    try {
      const { me } = await this.api.run<{ me: { email: string | null; role: string } | null }>('{ me { email role } }');
      if (me?.role === 'ADMIN') {
        this.admin = { email: me.email ?? '' };
        return;
      }
      this.error = 'This account is not an admin. Ask an admin, or run `npm run admin -- create-admin EMAIL` on the server.';
    } catch (error) {
      this.error = (error as Error).message;
    }
    this.api.signOut();
  }

  private signOut = () => {
    this.api.signOut();
    this.admin = null;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'multi-bot-admin': MultiBotAdmin;
  }
}
