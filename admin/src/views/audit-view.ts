// The audit log, newest first, filtered by action and period.
import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ConsoleView, formValues } from './view.ts';

interface Entry {
  id: string;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
}

const ACTIONS = '{ auditActions }';
const LOG = `query($f: AuditFilter) { auditLog(filter: $f, first: 100) { id action actorId actorEmail targetType targetId details ip userAgent createdAt } }`;

@customElement('mba-audit')
export class AuditView extends ConsoleView {
  @state() private entries: Entry[] = [];
  @state() private actions: string[] = [];
  private filter: Record<string, string> = {};

  protected async load() {
    if (!this.actions.length) {
      this.actions = (await this.api.run<{ auditActions: string[] }>(ACTIONS)).auditActions;
    }
    const { action, since, until } = this.filter;
    const f = {
      action: action || null,
      since: since ? new Date(`${since}T00:00:00Z`).toISOString() : null,
      until: until ? new Date(`${until}T23:59:59Z`).toISOString() : null,
    };
    this.entries = (await this.api.run<{ auditLog: Entry[] }>(LOG, { f })).auditLog;
  }

  render() {
    return html`
      <h2>Audit log</h2>
      ${this.renderError()}
      <form aria-label="Filter the audit log" @submit=${(e: Event) => {
        this.filter = formValues(e);
        return this.attempt(() => this.load());
      }}>
        <label>Action
          <select name="action">
            <option value="">Any</option>
            ${this.actions.map((a) => html`<option value=${a}>${a.toLowerCase().replace(/_/g, ' ')}</option>`)}
          </select>
        </label>
        <label>From <input name="since" type="date" /></label>
        <label>To <input name="until" type="date" /></label>
        <button class="primary">Filter</button>
      </form>
      <table>
        <thead><tr><th scope="col">When (UTC)</th><th scope="col">Action</th><th scope="col">Who</th><th scope="col">Target</th><th scope="col">Details</th><th scope="col">From</th></tr></thead>
        <tbody>
          ${this.entries.map(
            (e) => html`<tr>
              <td>${e.createdAt.replace('T', ' ').slice(0, 19)}</td>
              <th scope="row">${e.action.toLowerCase().replace(/_/g, ' ')}</th>
              <td><code>${e.actorEmail ?? e.actorId ?? '—'}</code></td>
              <td>${e.targetType ?? ''} <code>${e.targetId ?? ''}</code></td>
              <td><code>${JSON.stringify(e.details)}</code></td>
              <td>${e.ip ?? ''} <span class="muted">${e.userAgent ?? ''}</span></td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }
}
