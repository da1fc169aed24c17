// Analytics over a range of days, for all bots or one bot and/or site: totals, a chart of the daily
// counts (uPlot, in this bundle only), latency percentiles, failures by code, tokens and topics.
// The chart has the same numbers in a table beside it, for screen readers and for copying.
import { css, html, type PropertyValues, unsafeCSS } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css';
import { shared } from '../styles.ts';
import { ConsoleView, formValues } from './view.ts';

interface Counters {
  conversations: number;
  userMessages: number;
  replies: number;
  failedReplies: number;
  activeUsers: number;
  promptTokens: number;
  completionTokens: number;
}
interface Report {
  days: Array<Counters & { day: string }>;
  totals: Counters;
  failuresByCode: Array<{ code: string; count: number }>;
  firstTokenMs: { p50: number | null; p95: number | null };
  latencyMs: { p50: number | null; p95: number | null };
  topics: Array<{ term: string; count: number }>;
}

const COUNTERS = 'conversations userMessages replies failedReplies activeUsers promptTokens completionTokens';
const REPORT = `query($from: DateTime!, $to: DateTime!, $bot: ID, $site: ID) {
  analytics(from: $from, to: $to, botId: $bot, siteId: $site) {
    days { day ${COUNTERS} } totals { ${COUNTERS} } failuresByCode { code count }
    firstTokenMs { p50 p95 } latencyMs { p50 p95 } topics { term count }
  }
}`;
const CHOICES = '{ adminBots(first: 100) { id name } sites { id name } }';
const DAY_MS = 86_400_000;
const isoDay = (at: number) => new Date(at).toISOString().slice(0, 10);
const ms = (value: number | null) => (value === null ? '—' : value >= 1000 ? `≤ ${(value / 1000).toFixed(value % 1000 ? 2 : 0)} s` : `≤ ${value} ms`);

@customElement('mba-analytics')
export class AnalyticsView extends ConsoleView {
  static styles = [shared, unsafeCSS(uPlotCss), css`.cards { display: flex; flex-wrap: wrap; gap: 1rem; } .card { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5rem 0.75rem; min-width: 9rem; } .card strong { display: block; font-size: 1.3rem; }`];

  @state() private report: Report | null = null;
  @state() private bots: Array<{ id: string; name: string }> = [];
  @state() private sites: Array<{ id: string; name: string }> = [];
  @query('#chart') private chartHost!: HTMLElement;
  private chart?: uPlot;
  private range = { from: isoDay(Date.now() - 29 * DAY_MS), to: isoDay(Date.now()), bot: '', site: '' };

  protected async load() {
    if (!this.bots.length) {
      const choices = await this.api.run<{ adminBots: Array<{ id: string; name: string }>; sites: Array<{ id: string; name: string }> }>(CHOICES);
      this.bots = choices.adminBots;
      this.sites = choices.sites;
    }
    const { from, to, bot, site } = this.range;
    this.report = (
      await this.api.run<{ analytics: Report }>(REPORT, { from: `${from}T00:00:00Z`, to: `${to}T00:00:00Z`, bot: bot || null, site: site || null })
    ).analytics;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.chart?.destroy();
    this.chart = undefined;
  }

  protected updated(changed: PropertyValues): void {
    if (changed.has('report')) this.drawChart();
  }

  render() {
    const r = this.report;
    return html`
      <h2>Analytics</h2>
      ${this.renderError()}
      <form aria-label="Analytics range" @submit=${(e: Event) => {
        this.range = formValues(e) as typeof this.range;
        return this.attempt(() => this.load());
      }}>
        <label>From <input name="from" type="date" .value=${this.range.from} required /></label>
        <label>To <input name="to" type="date" .value=${this.range.to} required /></label>
        <label>Bot <select name="bot"><option value="">All bots</option>${this.bots.map((b) => html`<option value=${b.id}>${b.name}</option>`)}</select></label>
        <label>Site <select name="site"><option value="">All sites</option>${this.sites.map((s) => html`<option value=${s.id}>${s.name}</option>`)}</select></label>
        <button class="primary">Show</button>
      </form>
      ${r
        ? html`
            <div class="cards" role="list" aria-label="Totals">
              ${[
                ['Conversations', r.totals.conversations],
                ['Messages', r.totals.userMessages],
                ['Active users', r.totals.activeUsers],
                ['Failed replies', r.totals.failedReplies],
                ['Tokens in / out', `${r.totals.promptTokens} / ${r.totals.completionTokens}`],
                ['First token p50 / p95', `${ms(r.firstTokenMs.p50)} / ${ms(r.firstTokenMs.p95)}`],
                ['Reply time p50 / p95', `${ms(r.latencyMs.p50)} / ${ms(r.latencyMs.p95)}`],
              ].map(([label, value]) => html`<div class="card" role="listitem">${label}<strong>${value}</strong></div>`)}
            </div>
            <figure>
              <div id="chart" role="img" aria-label="Conversations, messages and active users per day; the table below has the same numbers."></div>
              <figcaption class="muted">Per day (UTC)</figcaption>
            </figure>
            <table>
              <caption>By day</caption>
              <thead><tr><th scope="col">Day</th><th scope="col">Conversations</th><th scope="col">Messages</th><th scope="col">Active users</th><th scope="col">Failed</th><th scope="col">Tokens in</th><th scope="col">Tokens out</th></tr></thead>
              <tbody>${r.days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.conversations}</td><td>${d.userMessages}</td><td>${d.activeUsers}</td><td>${d.failedReplies}</td><td>${d.promptTokens}</td><td>${d.completionTokens}</td></tr>`)}</tbody>
            </table>
            <div class="cards">
              <table><caption>Failed replies by code</caption><tbody>${r.failuresByCode.length ? r.failuresByCode.map((f) => html`<tr><th scope="row">${f.code}</th><td>${f.count}</td></tr>`) : html`<tr><td>None</td></tr>`}</tbody></table>
              <table><caption>Frequent topics</caption><tbody>${r.topics.map((t) => html`<tr><th scope="row">${t.term}</th><td>${t.count}</td></tr>`)}</tbody></table>
            </div>
          `
        : ''}
    `;
  }

  private drawChart(): void {
    this.chart?.destroy();
    this.chart = undefined;
    if (!this.report || !this.chartHost) return;
    const days = this.report.days;
    const data: uPlot.AlignedData = [
      days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000),
      days.map((d) => d.conversations),
      days.map((d) => d.userMessages),
      days.map((d) => d.activeUsers),
    ];
    this.chart = new uPlot(
      {
        width: Math.max(320, Math.min(900, this.clientWidth - 16)),
        height: 240,
        series: [{}, { label: 'Conversations', stroke: '#0b5cad' }, { label: 'Messages', stroke: '#1a7f37' }, { label: 'Active users', stroke: '#8250df' }],
        scales: { x: { time: true } },
      },
      data,
      this.chartHost,
    );
  }
}
