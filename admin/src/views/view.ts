// What every console view shares: the API, a busy flag, and the last error, announced politely.
import { html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AdminApi } from '../api.ts';
import { shared } from '../styles.ts';

export abstract class ConsoleView extends LitElement {
  static styles = [shared];

  /** The signed-in admin's API client (set by <multi-bot-admin>). */
  @property({ attribute: false }) api!: AdminApi;
  @state() protected error = '';

  connectedCallback(): void {
    super.connectedCallback();
    void this.attempt(() => this.load());
  }

  /** Reads the view's data. */
  protected abstract load(): Promise<void>;

  /** Runs an action, then reloads; a refusal is shown, not thrown. */
  protected async attempt(action: () => Promise<unknown>, reload = false): Promise<void> {
    this.error = '';
    try {
      await action();
      if (reload) await this.load();
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  protected renderError() {
    return html`<p class="error" role="status" aria-live="polite">${this.error || nothing}</p>`;
  }
}

/** The values of a form's named fields. */
export const formValues = (event: Event) => {
  event.preventDefault();
  return Object.fromEntries(new FormData(event.target as HTMLFormElement)) as Record<string, string>;
};

/** An optional number field: empty clears it (null). */
export const optionalInt = (value: string | undefined) => (value === undefined || value.trim() === '' ? null : Number(value));
