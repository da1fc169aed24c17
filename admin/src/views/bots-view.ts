// Bots, system and users': create system bots, edit any bot's name and prompt, disable or enable.
import { html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ConsoleView, formValues } from './view.ts';

interface Bot {
  id: string;
  name: string;
  systemPrompt: string;
  isSystem: boolean;
  disabled: boolean;
}

@customElement('mba-bots')
export class BotsView extends ConsoleView {
  @state() private bots: Bot[] = [];
  @state() private editing: string | null = null;

  protected async load() {
    this.bots = (await this.api.run<{ adminBots: Bot[] }>('{ adminBots(first: 100) { id name systemPrompt isSystem disabled } }')).adminBots;
  }

  render() {
    return html`
      <h2>Bots</h2>
      ${this.renderError()}
      <form aria-label="New system bot" @submit=${(e: Event) => {
        const v = formValues(e);
        return this.attempt(() => this.api.run('mutation($i: BotInput!) { createSystemBot(input: $i) { id } }', { i: { name: v.name, systemPrompt: v.prompt } }), true);
      }}>
        <label>Name <input name="name" required maxlength="60" /></label>
        <label>System prompt <input name="prompt" required size="40" /></label>
        <button class="primary">Create system bot</button>
      </form>
      <table>
        <thead><tr><th scope="col">Bot</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
        <tbody>
          ${this.bots.map(
            (bot) => html`<tr>
              <th scope="row">
                ${this.editing === bot.id
                  ? html`<form aria-label="Edit ${bot.name}" @submit=${(e: Event) => this.save(bot, formValues(e))}>
                      <label>Name <input name="name" .value=${bot.name} required maxlength="60" /></label>
                      <label>System prompt <textarea name="prompt" .value=${bot.systemPrompt} required rows="3"></textarea></label>
                      <button class="primary">Save</button>
                      <button type="button" @click=${() => (this.editing = null)}>Cancel</button>
                    </form>`
                  : bot.name}
              </th>
              <td>${bot.isSystem ? 'System' : "A user's"}</td>
              <td>${bot.disabled ? 'Disabled' : 'Active'}</td>
              <td class="row">
                <button @click=${() => (this.editing = bot.id)} aria-label="Edit ${bot.name}">Edit</button>
                <button @click=${() => this.attempt(() => this.api.run('mutation($id: ID!, $d: Boolean!) { setBotDisabled(id: $id, disabled: $d) { id } }', { id: bot.id, d: !bot.disabled }), true)}>
                  ${bot.disabled ? 'Enable' : 'Disable'} <span class="muted">${bot.name}</span>
                </button>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    `;
  }

  private save(bot: Bot, values: Record<string, string>) {
    return this.attempt(async () => {
      await this.api.run('mutation($id: ID!, $i: BotInput!) { adminUpdateBot(id: $id, input: $i) { id } }', { id: bot.id, i: { name: values.name, systemPrompt: values.prompt } });
      this.editing = null;
    }, true);
  }
}
