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
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?/;
const ITEM = /^( *)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_RULE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
// Every span a pattern may scan is bounded (SPAN characters, or the URL rules' character classes),
// so a reply of unmatched openers costs O(length × SPAN) instead of O(length²): `*a` × 20,000 took
// 0.9 s with unbounded lazy spans; bounded, a few ms. Longer emphasis or link text stays plain.
const INLINE =
  /(`{1,16})([^`]|[^`][\s\S]{0,2000}?[^`])\1(?!`)|(!?)\[([^\]]{0,500})\]\(\s*<?([^\s)>]{0,2000})>?(?:\s+"[^"]{0,500}")?\s*\)|<(https?:\/\/[^\s>]{1,2000}|mailto:[^\s>]{1,500})>|(\*\*|(?<!\w)__)(?=\S)([\s\S]{0,500}?\S)\7|(\*|(?<!\w)_)(?=[^\s*_])([\s\S]{0,500}?[^\s\\])\9(?!\w)|~~(?=\S)([\s\S]{0,500}?\S)~~|(https?:\/\/[^\s<]{0,2000}[^\s<.,:;"'!?)\]])|(\n)|\\([\\`*_{}[\]()#+\-.!~|>])/g;
/** Quotes and lists nest at most this deep; deeper markers show as text (3,000 nested quotes overflowed the stack). */
const MAX_DEPTH = 12;


const indentOf = (line: string) => line.match(/^ */)![0].length;
/** Plain text cut into text nodes of 1,024 characters, so a growing paragraph only ever changes its last one. */
const chop = (text: string) => text.match(/[^]{1,1024}/g) ?? [];
/** A heading's text without its optional closing #s (no regex: `#` × 20,000 would backtrack). */
const headingText = (text: string) => {
  const trimmed = text.trimEnd();
  let end = trimmed.length;
  while (end && trimmed[end - 1] === '#') end--;
  return end < trimmed.length && (!end || trimmed[end - 1] === ' ') ? trimmed.slice(0, end).trimEnd() : trimmed;
};
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
    if (m.index > last) out.push(...chop(text.slice(last, m.index)));
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
  if (last < text.length) out.push(...chop(text.slice(last)));
  return out;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));

function blocks(lines: string[], options: MarkdownOptions, depth = 0): Part[] {
  if (depth > MAX_DEPTH) return [html`<p>${chop(lines.join('\n'))}</p>`];
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
      const content = inline(headingText(m[2] ?? ''));
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
      out.push(html`<blockquote>${blocks(inner, options, depth + 1)}</blockquote>`);
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
      const content = items.map((item) => html`<li>${blocks(item, options, depth + 1)}</li>`);
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

/**
 * Renders a reply that grows at its end, as it streams. The text is cut at blank lines that end a
 * top-level block (outside code fences, not before a list's next item or an indented
 * continuation); the blocks before the last cut are finished: parsed once, and given to Lit as the
 * same values, so their DOM is never touched (a guard() that skips even Lit's walk over them cost
 * 116 bytes of the 45 KB budget). Each new chunk parses only the open
 * tail. If rendering fails anyway, the reply shows as plain text: it is never lost.
 */
export class StreamingMarkdown {
  /** The finished part of the text, and its rendering. */
  private source = '';
  private finished: unknown[] = [];

  render(raw: string, options: MarkdownOptions): unknown[] {
    try {
      const text = raw.replace(/\r\n?/g, '\n');
      if (!text.startsWith(this.source)) {
        this.source = '';
        this.finished = [];
      }
      const lines = text.slice(this.source.length).split('\n');
      let start = 0;
      let fence = '';
      // Complete lines only: the last one may still be growing (a "1" that becomes "1. item").
      for (let i = 0; i < lines.length - 1; i++) {
        const line = lines[i];
        if (fence) {
          if (line.trimStart().startsWith(fence)) fence = '';
          continue;
        }
        if (i > start && isBlank(lines[i - 1]) && !isBlank(line) && !indentOf(line) && !ITEM.test(line)) {
          const chunk = lines.slice(start, i);
          this.finished.push(blocks(chunk, options));
          this.source += `${chunk.join('\n')}\n`;
          start = i;
        }
        fence = line.match(FENCE)?.[1] ?? '';
      }
      return [...this.finished, blocks(lines.slice(start), options)];
    } catch {
      this.source = '';
      this.finished = [];
      return [html`<p>${chop(raw)}</p>`];
    }
  }
}

/** Markdown to the plain text a screen reader should hear. */
export function plainText(text: string): string {
  return text
    .replace(/```\w*\n?|[*_`#>~]+/g, '')
    .replace(/!?\[([^\]]{0,500})\]\([^)]{0,2000}\)/g, '$1')
    .trim();
}
