// Sites: create, rotate or revoke the key, set the quota of the site's visitors, delete.
import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ConsoleView, formValues, optionalInt } from './view.ts';

interface Site {
  id: string;
  name: string;
  isDefault: boolean;
  publicKey: string | null;
  allowedOrigins: string[];
  allowGuests: boolean;
  quota: { messagesPerDay: number | null; tokensPerDay: number | null };
}

@customElement('mba-sites')
export class SitesView extends ConsoleView {
  @state() private sites: Site[] = [];

  protected async load() {
    this.sites = (await this.api.run<{ sites: Site[] }>('{ sites { id name isDefault publicKey allowedOrigins allowGuests quota { messagesPerDay tokensPerDay } } }')).sites;
  }

  render() {
    return html`
      <h2>Sites</h2>
      ${this.renderError()}
      <form aria-label="New site" @submit=${(e: Event) => this.attempt(() => this.api.run('mutation($n: String!) { createSite(input: { name: $n }) { id } }', { n: formValues(e).name }), true)}>
        <label>Name <input name="name" required maxlength="100" /></label>
        <button class="primary">Create site</button>
      </form>
      <table>
        <thead><tr><th scope="col">Site</th><th scope="col">Key</th><th scope="col">Origins</th><th scope="col">Quota per visitor and day</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${this.sites.map(
            (site) => html`<tr>
              <th scope="row">${site.name}${site.isDefault ? html` <span class="muted">(default)</span>` : ''}</th>
              <td><code>${site.publicKey ?? 'revoked'}</code></td>
              <td>${site.allowedOrigins.join(', ') || html`<span class="muted">any allowed</span>`}</td>
              <td>
                <form aria-label="Quota of ${site.name}" @submit=${(e: Event) => this.setQuota(site, formValues(e))}>
                  <label>Messages <input name="messages" type="number" min="0" size="6" .value=${String(site.quota.messagesPerDay ?? '')} placeholder="default" /></label>
                  <label>Tokens <input name="tokens" type="number" min="0" size="8" .value=${String(site.quota.tokensPerDay ?? '')} placeholder="default" /></label>
                  <button>Set quota</button>
                </form>
              </td>
              <td class="row">
                <button @click=${() => this.attempt(() => this.api.run('mutation($id: ID!) { rotateSiteKey(id: $id) { id } }', { id: site.id }), true)}>Rotate key</button>
                <button @click=${() => this.attempt(() => this.api.run('mutation($id: ID!) { revokeSiteKey(id: $id) { id } }', { id: site.id }), true)}>Revoke key</button>
                ${site.isDefault
                  ? ''
                  : html`<button class="danger" @click=${() => confirm(`Delete ${site.name} with its guests?`) && this.attempt(() => this.api.run('mutation($id: ID!) { deleteSite(id: $id) }', { id: site.id }), true)}>Delete</button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private setQuota(site: Site, values: Record<string, string>) {
    return this.attempt(
      () =>
        this.api.run('mutation($id: ID!, $q: QuotaInput!) { setSiteQuota(id: $id, quota: $q) { messagesPerDay } }', {
          id: site.id,
          q: { messagesPerDay: optionalInt(values.messages), tokensPerDay: optionalInt(values.tokens) },
        }),
      true,
    );
  }
}
