// Bot Markdown → Lit templates. Safe by construction: the reply's text only ever reaches the page
// as text nodes (Lit escapes every binding), no HTML is parsed from it, and the one attribute it
// can fill, a link's href, must be an absolute http(s) or mailto URL. Raw HTML in a reply shows as
// the characters it is made of. Covers what chat models write: paragraphs and line breaks,
// headings, emphasis, strikethrough, inline code, fenced code blocks (with a copy button), lists
// (nested, ordered), block quotes, tables, rules, links and bare URLs.
import { html, nothing, type TemplateResult } from 'lit';

export interface MarkdownOptions {
  /** Label of the copy button on code blocks. */
  copyLabel: string;
  /** Copies a code block's text; `button` is the button that was pressed. */
  copy(text: string, button: HTMLElement): void;
}

type Part = TemplateResult | string | Part[];

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const INLINE =
  /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|(!?)\[([^\]]*)\]\(\s*<?([^\s)>]*)>?(?:\s+"[^"]*")?\s*\)|<(https?:\/\/[^\s>]+|mailto:[^\s>]+)>|(\*\*|(?<!\w)__)(?=\S)([\s\S]*?\S)\7|(\*|(?<!\w)_)(?=[^\s*_])([\s\S]*?[^\s\\])\9(?!\w)|~~(?=\S)([\s\S]*?\S)~~|(https?:\/\/[^\s<]*[^\s<.,:;"'!?)\]])|(\n)|\\([\\`*_{}[\]()#+\-.!~|>])/g;

const indentOf = (line: string) => line.match(/^ */)![0].length;
const isBlank = (line: string | undefined) => !line?.trim();
const startsBlock = (line: string, next?: string) =>
  FENCE.test(line) ||
  HEADING.test(line) ||
  RULE.test(line) ||
  QUOTE.test(line) ||
  ITEM.test(line) ||
  (line.includes('|') && TABLE_RULE.test(next ?? ''));

/** A URL a link may point to, or null: absolute http(s) and mailto only. */
export function safeUrl(url: string): string | null {
  try {
    return /^(https?|mailto):$/.test(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

const link = (href: string, content: Part): Part => {
  const url = safeUrl(href);
  return url ? html`<a href=${url} target="_blank" rel="noopener noreferrer nofollow">${content}</a>` : content;
};

function inline(text: string): Part[] {
  const out: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1]) out.push(html`<code>${m[2].replace(/^ (.+) $/, '$1')}</code>`);
    // An image becomes a link: remote images would let a reply load any URL from the page.
    else if (m[5] !== undefined) out.push(link(m[5], m[3] ? m[4] || m[5] : inline(m[4])));
    else if (m[6]) out.push(link(m[6], m[6]));
    else if (m[7]) out.push(html`<strong>${inline(m[8])}</strong>`);
    else if (m[9]) out.push(html`<em>${inline(m[10])}</em>`);
    else if (m[11]) out.push(html`<del>${inline(m[11])}</del>`);
    else if (m[12]) out.push(link(m[12], m[12]));
    else if (m[13]) out.push(html`<br />`);
    else out.push(m[14]);
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));

function blocks(lines: string[], options: MarkdownOptions): Part[] {
  const out: Part[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    let m: RegExpMatchArray | null;
    if (isBlank(line)) {
      i++;
    } else if ((m = line.match(FENCE))) {
      const fence = m[1];
      const body: string[] = [];
      while (++i < lines.length && !lines[i].trimStart().startsWith(fence)) body.push(lines[i]);
      i++;
      const text = body.join('\n');
      out.push(html`<div class="code">
        <div class="code-bar">
          <span>${m[2]}</span
          ><button type="button" @click=${(e: Event) => options.copy(text, e.currentTarget as HTMLElement)}>
            ${options.copyLabel}
          </button>
        </div>
        <pre><code>${text}</code></pre>
      </div>`);
    } else if ((m = line.match(HEADING))) {
      const content = inline(m[2]);
      const level = m[1].length;
      out.push(
        level === 1
          ? html`<h3>${content}</h3>`
          : level === 2
            ? html`<h4>${content}</h4>`
            : html`<h5>${content}</h5>`,
      );
      i++;
    } else if (RULE.test(line)) {
      out.push(html`<hr />`);
      i++;
    } else if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i])) inner.push(lines[i++].replace(QUOTE, ''));
      out.push(html`<blockquote>${blocks(inner, options)}</blockquote>`);
    } else if ((m = line.match(ITEM))) {
      const indent = m[1].length;
      const ordered = /\d/.test(m[2]);
      const items: string[][] = [];
      while (i < lines.length) {
        const item = lines[i].match(ITEM);
        if (item && item[1].length === indent && /\d/.test(item[2]) === ordered) {
          items.push([item[3]]);
        } else if (isBlank(lines[i])) {
          const next = lines[i + 1];
          const continues = next !== undefined && (indentOf(next) > indent || next.match(ITEM)?.[1].length === indent);
          if (!continues) break;
          items[items.length - 1].push('');
        } else if (indentOf(lines[i]) > indent || !startsBlock(lines[i])) {
          // A deeper line (a nested list, a continued paragraph) belongs to the item.
          items[items.length - 1].push(lines[i].slice(Math.min(indentOf(lines[i]), indent + m[2].length + 1)));
        } else break;
        i++;
      }
      const content = items.map((item) => html`<li>${blocks(item, options)}</li>`);
      out.push(ordered ? html`<ol start=${parseInt(m[2], 10)}>${content}</ol>` : html`<ul>${content}</ul>`);
    } else if (line.includes('|') && TABLE_RULE.test(lines[i + 1] ?? '')) {
      const head = cells(line);
      const align = cells(lines[i + 1]).map((c) =>
        c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : '',
      );
      const row = (values: string[], header: boolean) =>
        html`<tr>
          ${head.map((_, col) => {
            const content = inline(values[col] ?? '');
            // A class, not a style attribute: pages with a strict CSP block style attributes.
            const cls = align[col] || nothing;
            return header ? html`<th class=${cls}>${content}</th>` : html`<td class=${cls}>${content}</td>`;
          })}
        </tr>`;
      const body: string[][] = [];
      for (i += 2; i < lines.length && lines[i].includes('|') && !isBlank(lines[i]); i++) body.push(cells(lines[i]));
      out.push(html`<table>
        <thead>${row(head, true)}</thead>
        <tbody>${body.map((r) => row(r, false))}</tbody>
      </table>`);
    } else {
      const paragraph = [line];
      while (++i < lines.length && !isBlank(lines[i]) && !startsBlock(lines[i], lines[i + 1])) paragraph.push(lines[i]);
      out.push(html`<p>${inline(paragraph.join('\n'))}</p>`);
    }
  }
  return out;
}

/** Renders Markdown as Lit templates, ready for any child binding. */
export function markdown(text: string, options: MarkdownOptions): Part[] {
  return blocks(text.replace(/\r\n?/g, '\n').split('\n'), options);
}

/** Markdown to the plain text a screen reader should hear. */
export function plainText(text: string): string {
  return text
    .replace(/```\w*\n?|[*_`#>~]+/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim();
}
