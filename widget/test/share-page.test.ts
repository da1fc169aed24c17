// A shared chat's page, in real Chromium: readable without script, nothing from the Markdown corpus
// runs or loads, and axe-core finds nothing serious in the light or the dark scheme.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { gqlOk, registerUser } from '../../api/test/support/graphql-client.ts';
import { MARKDOWN, PAYLOADS } from './fixtures/markdown-corpus.ts';
import { seriousViolations } from './support/a11y.ts';
import { startStack, type Stack } from './support/stack.ts';
import { browserSuite } from './support/widget.ts';

browserSuite('a shared chat', () => {
  let stack: Stack;
  let link: string;

  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true });
    const url = stack.api.graphqlUrl;
    const { accessToken } = await registerUser(url);
    const { bots } = await gqlOk(url, '{ bots { id name } }', {}, accessToken);
    const { createSession } = await gqlOk(url, 'mutation($b: ID!) { createSession(botId: $b, title: "Shared <b>chat</b>") { id } }', { b: bots[0].id }, accessToken);
    for (const [i, reply] of [MARKDOWN, ...PAYLOADS].entries()) {
      stack.llm!.enqueue({ reply });
      await gqlOk(url, 'mutation($s: ID!, $t: String!) { sendMessage(sessionId: $s, text: $t, wait: true) { botMessage { id } } }', { s: createSession.id, t: `question ${i} <img src=x onerror="window.__xss=1">` }, accessToken);
    }
    link = (await gqlOk(url, 'mutation($id: ID!) { shareSession(id: $id) { url } }', { id: createSession.id }, accessToken)).shareSession.url;
  });
  afterAll(() => stack?.stop());

  it('shows the transcript without script, and nothing in it runs or loads anything', async () => {
    for (const javaScriptEnabled of [false, true]) {
      const context = await stack.browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(link);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Shared <b>chat</b>');
      expect(await page.locator('ol.transcript > li').count()).toBe(2 * (PAYLOADS.length + 1));
      expect(await page.locator('.markdown h3').first().innerText()).toBe('Title');
      const hrefs = await page.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      expect(hrefs.filter((href) => !/^(https?:|mailto:)/.test(href ?? ''))).toEqual([]);
      expect(await page.locator('script, img, svg, iframe, form, style:not(head style)').count()).toBe(0);
      if (javaScriptEnabled) {
        for (const text of ['click me', 'html link', 'svg link']) {
          const target = page.getByText(text, { exact: false }).first();
          if (await target.count()) await target.click({ noWaitAfter: true }).catch(() => undefined);
        }
        expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      }
      expect(requests.filter((request) => request !== link)).toEqual([]);
      await context.close();
    }
  });

  it('has no serious accessibility violations, light or dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      // axe is injected as a script: the page's own CSP forbids that, so this context bypasses it.
      const context = await stack.browser.newContext({ bypassCSP: true, colorScheme });
      const page = await context.newPage();
      await page.goto(link);
      expect(await seriousViolations(page), colorScheme).toEqual([]);
      await context.close();
    }
  });
});
