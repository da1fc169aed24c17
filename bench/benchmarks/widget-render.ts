// #8 Rendering a long streamed reply in the widget: a 100 KB Markdown reply arriving in 1,000
// chunks, rendered by the real <mbc-message-item> of widget/dist/widget.js in Chromium, each chunk
// in a task of its own (render + style + layout, forced). Reports the time spent and the longest
// task (what the visitor feels as a frozen page), against rendering the finished reply once.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../../api/test/support/chromium.ts';
import { ROOT } from '../lib/api.ts';
import { log, runBenchmark } from '../lib/result.ts';

const CHUNKS = 1000;
const REPLY_BYTES = 100_000;
const GOAL_LONGEST_MS = 50;

/** A reply like the ones models write: paragraphs with inline Markdown, lists, code and tables. */
function reply(): string {
  const blocks = [
    'Here is **how to dial in** a pour-over: grind *medium-fine*, use `15 g` of coffee and see [the guide](https://example.com/guide).',
    '- Rinse the filter\n- Bloom for 30 s with `45 g` of water\n  - stir gently\n- Pour in **three** stages',
    '```js\nconst ratio = water / coffee;\nconsole.log(ratio.toFixed(1));\n```',
    '| Step | Water | Time |\n|:-----|------:|-----:|\n| Bloom | 45 g | 0:30 |\n| Pour | 250 g | 2:30 |',
    '> A good cup is *balanced*: sweet, bright ~~and bitter~~ without harshness.',
    '1. Taste\n2. Adjust the grind\n3. Repeat',
  ];
  let text = '';
  for (let i = 0; text.length < REPLY_BYTES; i++) text += `${blocks[i % blocks.length]}\n\n`;
  return text.slice(0, REPLY_BYTES);
}

await runBenchmark('8', 'Widget: rendering a long streamed reply', async () => {
  const bundle = path.join(ROOT, 'widget/dist/widget.js');
  if (!existsSync(bundle)) throw new Error('widget/dist/widget.js does not exist: run node widget/build.mjs');
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
    // tsx names the functions in the evaluated code with a helper the page lacks.
    await page.setContent('<!doctype html><main style="width:700px"></main><script>window.__name = (f) => f</script>');
    await page.addScriptTag({ content: readFileSync(bundle, 'utf8'), type: 'module' });
    await page.waitForFunction(() => customElements.get('mbc-message-item'));
    const text = reply();
    log(`rendering ${text.length} characters in ${CHUNKS} chunks`);
    const result = await page.evaluate(
      async ({ text, chunks }) => {
        const i18n = { lang: 'en', dir: 'ltr', t: (key: string) => key, ago: () => '' };
        const bot = { id: 'b', name: 'Bot', avatar: '🤖' };
        type Item = HTMLElement & { i18n: unknown; bot: unknown; message: unknown; updateComplete: Promise<unknown> };
        const make = () => {
          const item = document.createElement('mbc-message-item') as Item;
          Object.assign(item, { i18n, bot });
          document.querySelector('main')!.replaceChildren(item);
          return item;
        };
        const message = (body: string, status: string) => ({ id: 'm', sessionId: 's', role: 'BOT', text: body, status, createdAt: new Date().toISOString() });
        // A new task per chunk, as from the network; a MessageChannel, since nested setTimeout(0)s are clamped to 4 ms.
        const channel = new MessageChannel();
        const nextTask = () => new Promise((resolve) => ((channel.port1.onmessage = resolve), channel.port2.postMessage(0)));
        /** Renders and lays out; returns how long that took. */
        const paint = async (item: Item, body: string, status: string) => {
          const started = performance.now();
          item.message = message(body, status);
          await item.updateComplete;
          void item.getBoundingClientRect().height; // style and layout, as the frame would
          return performance.now() - started;
        };

        const whole = make();
        const once = await paint(whole, text, 'COMPLETE');
        const shown = (item: Item) => item.shadowRoot!.querySelector('.md')!.textContent!.length;
        const expected = shown(whole);
        const item = make();
        const tasks: number[] = [];
        const started = performance.now();
        for (let i = 1; i <= chunks; i++) {
          await nextTask();
          tasks.push(await paint(item, text.slice(0, Math.round((text.length * i) / chunks)), i < chunks ? 'STREAMING' : 'COMPLETE'));
        }
        const wall = performance.now() - started;
        const total = tasks.reduce((sum, ms) => sum + ms, 0);
        return { once, total, wall, tasks, rendered: shown(item), expected };
      },
      { text, chunks: CHUNKS },
    );
    const sorted = [...result.tasks].sort((a, b) => a - b);
    const longest = sorted[sorted.length - 1];
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    const round = (ms: number) => Math.round(ms * 10) / 10;
    // Streamed, it must end exactly as the finished reply rendered at once.
    if (result.rendered !== result.expected) throw new Error(`streamed: ${result.rendered} characters shown, at once: ${result.expected}`);
    return {
      rows: [
        {
          id: '8a',
          measure: `render a ${Math.round(text.length / 1000)} KB reply streamed in ${CHUNKS} chunks (sum of the chunks' render + layout)`,
          value: Math.round(result.total),
          unit: 'ms',
          goal: '—',
          baseline: { value: round(result.once), unit: 'ms', label: 'the finished reply rendered once' },
          ratio: Math.round((result.total / result.once) * 10) / 10,
          pass: null,
          notes: `p95 chunk ${round(p95)} ms; ${Math.round(result.wall)} ms wall time with a task boundary per chunk`,
        },
        {
          id: '8b',
          measure: 'longest main-thread task while it streams',
          value: round(longest),
          unit: 'ms',
          goal: `≤ ${GOAL_LONGEST_MS} ms`,
          baseline: null,
          ratio: null,
          pass: longest <= GOAL_LONGEST_MS,
        },
      ],
      details: { chunks: CHUNKS, characters: text.length, onceMs: result.once, totalMs: result.total, wallMs: result.wall, p95Ms: p95, longestMs: longest },
    };
  } finally {
    await browser.close();
  }
});
