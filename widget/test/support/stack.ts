// The real thing for browser tests: the API (fresh SQLite, offline or fake-Groq LLM) serving the
// freshly built widget.js, the demo page on another origin, and Debian's Chromium.
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startApiServer, type ApiServer } from '../../../api/test/support/api-server.ts';
import { launchChromium } from '../../../api/test/support/chromium.ts';
import { startFakeLlmServer, type FakeLlmServer } from '../../../api/test/support/fake-llm-server.ts';
// @ts-expect-error plain ESM without types
import { startDemoServer } from '../../../demo/server.mjs';

export { CHROMIUM_PATH, chromiumAvailable } from '../../../api/test/support/chromium.ts';

/** Shared by the API (which then seeds the demo's sites) and the demo shop (which signs identity tokens with it). */
export const DEMO_IDENTITY_SECRET = 'the-widget-tests-demo-identity-secret';

export interface Stack {
  api: ApiServer;
  demo: { url: string; close(): Promise<void> };
  browser: Browser;
  /** Present when started with `fakeLlm: true`: the API's Groq provider talks to it. */
  llm?: FakeLlmServer;
  /** A fresh browser context (cookies, localStorage) and page. */
  page(options?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** A fresh context on the demo page; `widget` is its inline <multi-bot-chat>. */
  openDemo(options?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page; widget: Locator }>;
  stop(): Promise<void>;
}

export async function startStack(options: { fakeLlm?: boolean; env?: Record<string, string> } = {}): Promise<Stack> {
  const llm = options.fakeLlm ? await startFakeLlmServer() : undefined;
  const llmEnv: Record<string, string> = llm
    ? { LLM_PROVIDER: 'groq', GROQ_API_KEY: 'test', GROQ_BASE_URL: llm.url, LLM_RETRY_BASE_MS: '10' }
    : { OFFLINE_CHUNK_DELAY_MS: '15' };
  const [api, browser] = await Promise.all([startApiServer({ env: { ...llmEnv, DEMO_IDENTITY_SECRET, ...options.env } }), launchChromium()]);
  const demo = await startDemoServer({ port: 0, apiOrigin: api.origin, identitySecret: DEMO_IDENTITY_SECRET });
  const contexts: BrowserContext[] = [];
  const page: Stack['page'] = async ({ width = 1400, height = 900 } = {}) => {
    const context = await browser.newContext({ viewport: { width, height } });
    contexts.push(context);
    const tab = await context.newPage();
    tab.on('pageerror', (error) => console.error('[page error]', error));
    return { context, page: tab };
  };
  return {
    api,
    demo,
    browser,
    llm,
    page,
    async openDemo(viewport) {
      const opened = await page(viewport);
      await opened.page.goto(demo.url);
      return { ...opened, widget: opened.page.locator('#inline') };
    },
    async stop() {
      await Promise.allSettled(contexts.map((c) => c.close()));
      await Promise.allSettled([browser.close(), api.stop(), demo.close(), llm?.close()]);
    },
  };
}
