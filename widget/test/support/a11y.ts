// axe-core in the page (it walks open shadow roots) and a deep view of keyboard focus.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Serious and critical axe violations on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n: any) => `${JSON.stringify(n.target)} ${n.failureSummary?.split("\n").pop()}`),
    }));
  });
  return violations.filter((v: Violation) => v.impact === 'serious' || v.impact === 'critical');
}

/** The focused element, looking through shadow roots: its tag, accessible-ish name and text. */
export function focused(page: Page) {
  return page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    if (!element) return null;
    const text = (node: Element) => {
      const copy = node.cloneNode(true) as Element;
      copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
      return copy.textContent!.trim().replace(/\s+/g, ' ');
    };
    const labelled = (element as HTMLInputElement).labels?.[0];
    const label = element.getAttribute('aria-label') ?? (labelled ? text(labelled) : null) ?? element.getAttribute('placeholder') ?? text(element);
    return { tag: element.localName, label, type: element.getAttribute('type') };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element's label matches; fails after `max` presses. */
export async function tabTo(page: Page, label: RegExp, { back = false, max = 40 } = {}) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    seen.push(`${now?.tag}:${now?.label}`);
    if (now && label.test(now.label)) return now;
  }
  throw new Error(`Tab never reached ${label}; went through:\n  ${seen.join('\n  ')}`);
}
