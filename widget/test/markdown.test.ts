// Bot replies are Markdown, rendered as the models write it. They are also untrusted: a model can be
// talked into writing anything, and none of the XSS corpus (fixtures/markdown-corpus.ts) may run script, load a resource
// or add markup beyond what the widget's renderer makes itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack.ts';
import { MARKDOWN, PAYLOADS, RUN } from './fixtures/markdown-corpus.ts';
import { botMessages, browserSuite, lastReply, send, signUp } from './support/widget.ts';

browserSuite('bot replies', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fakeLlm: true });
  });
  afterAll(() => stack?.stop());

  it('render the Markdown models write', async () => {
    const { widget } = await stack.openDemo();
    await signUp(widget);
    stack.llm!.script({ reply: MARKDOWN, tokenDelayMs: 2 });
    await send(widget, 'Show everything');
    await lastReply(widget);
    const md = botMessages(widget).last().locator('.md');
    const html = await md.evaluate((element) => element.innerHTML.replace(/<!--[^>]*-->/g, '').replace(/\s+</g, '<').replace(/>\s+/g, '>'));
    expect(await md.locator('h3').innerText()).toBe('Title');
    expect(await md.locator('h4').innerText()).toBe('Section');
    expect(await md.locator('em').first().innerText()).toBe('emphasis');
    expect(await md.locator('strong').first().innerText()).toBe('strong');
    expect(await md.locator('del').innerText()).toBe('gone');
    expect(await md.locator('p code').first().innerText()).toBe('code');
    expect(html).toContain('snake_case_name and 2 * 3 * 4.<br>Line two');
    expect(await md.locator('ol').getAttribute('start')).toBe('3');
    expect(await md.locator('ol > li').count()).toBe(2);
    expect(await md.locator('ol ul > li').allInnerTexts()).toEqual(['nested one', 'nested two']);
    expect(await md.locator('blockquote strong').innerText()).toBe('text');
    expect(await md.locator('th').allInnerTexts()).toEqual(['Left', 'Centre', 'Right']);
    expect(await md.locator('td').nth(1).evaluate((cell) => getComputedStyle(cell).textAlign)).toBe('center');
    expect(await md.locator('td').nth(2).evaluate((cell) => getComputedStyle(cell).textAlign)).toBe('right');
    expect(await md.locator('hr').count()).toBe(1);
    const links = await md.locator('a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
    expect(links).toEqual([
      ['https://example.com/path', 'https://example.com/path'],
      ['docs', 'https://example.com/docs'],
      ['mailto:hi@example.com', 'mailto:hi@example.com'],
      ['chart', 'https://example.com/chart.png'],
    ]);
    expect(html).toContain('*not emphasis*');
  });

  it('that try to run script render as inert text and safe links, and never touch the host page', async () => {
    const { page } = await stack.page();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(stack.demo.url);
    const scriptsBefore = await page.locator('script').count();
    const widget = page.locator('#inline');
    await signUp(widget);

    for (const [index, payload] of PAYLOADS.entries()) {
      // Streamed in small pieces, so half-written tags are rendered along the way too.
      stack.llm!.enqueue({ reply: payload, tokens: 7, tokenDelayMs: 5 });
      await send(widget, `payload ${index}`);
      await expect.poll(() => botMessages(widget).count()).toBe(index + 1);
      await lastReply(widget);
    }
    // User-written text and titles are just as inert.
    await send(widget, `<img src=x onerror="${RUN}">`);
    await lastReply(widget);

    // Click every link a reply produced, and everything that looks like one.
    const links = widget.locator('.bubble a');
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
      expect(href).toMatch(/^(https?:|mailto:)/);
    }
    for (const text of ['click me', 'click me too', 'html link', 'svg link', 'go']) {
      const target = widget.locator('.bubble').getByText(text, { exact: false }).first();
      if (await target.count()) await target.click({ modifiers: [] }).catch(() => undefined);
    }
    await page.waitForTimeout(300);

    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(scriptsBefore);

    // Nothing but the renderer's own elements inside replies, and no handler attributes anywhere.
    const found = await widget.evaluate((host) => {
      const elements: Element[] = [];
      const walk = (root: ParentNode) => {
        for (const element of root.querySelectorAll('*')) {
          elements.push(element);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(host.shadowRoot!);
      const inReplies = elements.filter((e) => e.closest('.md'));
      return {
        tags: [...new Set(inReplies.map((e) => e.localName))].sort(),
        handlers: elements.flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
      };
    });
    const allowed = ['a', 'blockquote', 'br', 'button', 'code', 'del', 'div', 'em', 'h3', 'h4', 'h5', 'hr', 'li', 'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul'];
    expect(found.tags.filter((tag) => !allowed.includes(tag))).toEqual([]);
    expect(found.handlers).toEqual([]);

    // The payloads are visible as what they are: text.
    await widget.locator('.bubble').getByText(`<script>${RUN}</script>`).first().waitFor();
    // …and made the browser fetch nothing (no image, frame or link prefetch).
    expect(requests.filter((url) => url.includes('example.invalid') || url.startsWith('javascript:'))).toEqual([]);

    // Control: the flag does trip when the same markup is parsed as HTML, so the checks above mean something.
    await page.evaluate((markup) => document.body.insertAdjacentHTML('beforeend', markup), PAYLOADS[1]);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBe(1);
  });
});
