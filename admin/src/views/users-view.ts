// Users: search, disable or enable, promote or demote, set their own quota, delete.
import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ConsoleView, formValues, optionalInt } from './view.ts';

interface User {
  id: string;
  email: string | null;
  name: string | null;
  role: 'GUEST' | 'USER' | 'ADMIN';
  disabled: boolean;
  quotaOverride: { messagesPerDay: number | null; tokensPerDay: number | null } | null;
  usage: { messagesToday: number; tokensToday: number; limits: { messagesPerDay: number; tokensPerDay: number } | null } | null;
}

const USERS = `query($q: String) { adminUsers(query: $q, first: 50) { id email name role disabled quotaOverride { messagesPerDay tokensPerDay } usage { messagesToday tokensToday limits { messagesPerDay tokensPerDay } } } }`;

@customElement('mba-users')
export class UsersView extends ConsoleView {
  @state() private users: User[] = [];
  private query = '';

  protected async load() {
    this.users = (await this.api.run<{ adminUsers: User[] }>(USERS, { q: this.query || null })).adminUsers;
  }

  render() {
    return html`
      <h2>Users</h2>
      ${this.renderError()}
      <form role="search" aria-label="Find users" @submit=${(e: Event) => {
        this.query = formValues(e).query ?? '';
        return this.attempt(() => this.load());
      }}>
        <label>E-mail, name or id <input name="query" type="search" /></label>
        <button class="primary">Search</button>
      </form>
      <table>
        <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Today</th><th scope="col">Own quota</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${this.users.map((user) => {
            const label = user.email ?? user.name ?? user.id;
            return html`<tr>
              <th scope="row">${label}${user.disabled ? html` <span class="muted">(disabled)</span>` : ''}</th>
              <td>${user.role}</td>
              <td>${user.usage ? `${user.usage.messagesToday} messages, ${user.usage.tokensToday} tokens${user.usage.limits ? ` of ${user.usage.limits.messagesPerDay} / ${user.usage.limits.tokensPerDay}` : ''}` : ''}</td>
              <td>
                <form aria-label="Quota of ${label}" @submit=${(e: Event) => this.setQuota(user, formValues(e))}>
                  <label>Messages <input name="messages" type="number" min="0" size="6" .value=${String(user.quotaOverride?.messagesPerDay ?? '')} placeholder="default" /></label>
                  <label>Tokens <input name="tokens" type="number" min="0" size="8" .value=${String(user.quotaOverride?.tokensPerDay ?? '')} placeholder="default" /></label>
                  <button>Set quota</button>
                </form>
              </td>
              <td class="row">
                <button @click=${() => this.mutate('mutation($id: ID!, $d: Boolean!) { setUserDisabled(id: $id, disabled: $d) { id } }', { id: user.id, d: !user.disabled })}>
                  ${user.disabled ? 'Enable' : 'Disable'} <span class="muted">${label}</span>
                </button>
                ${user.role === 'GUEST'
                  ? ''
                  : html`<button @click=${() => this.mutate('mutation($id: ID!, $r: Role!) { setUserRole(id: $id, role: $r) { id } }', { id: user.id, r: user.role === 'ADMIN' ? 'USER' : 'ADMIN' })}>
                      ${user.role === 'ADMIN' ? 'Make user' : 'Make admin'} <span class="muted">${label}</span>
                    </button>`}
                <button class="danger" @click=${() => confirm(`Delete ${label} and everything they own?`) && this.mutate('mutation($id: ID!) { deleteUser(id: $id) }', { id: user.id })}>
                  Delete <span class="muted">${label}</span>
                </button>
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    `;
  }

  private mutate(query: string, variables: Record<string, unknown>) {
    return this.attempt(() => this.api.run(query, variables), true);
  }

  private setQuota(user: User, values: Record<string, string>) {
    return this.mutate('mutation($id: ID!, $q: QuotaInput!) { setUserQuota(id: $id, quota: $q) { id } }', {
      id: user.id,
      q: { messagesPerDay: optionalInt(values.messages), tokensPerDay: optionalInt(values.tokens) },
    });
  }
}
