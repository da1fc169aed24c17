// Bot Markdown as HTML for pages the server renders (shared chats), by the widget's own renderer
// (widget/src/markdown.ts): the same parser, the same rules — every piece of the text escaped, links
// only to absolute http(s) and mailto URLs, images turned into links — and the same tests' corpus.
// The widget's renderer builds Lit templates; this turns them into an HTML string. Its templates
// bind values only as element content or as whole unquoted attribute values (href, class, start),
// plus one event handler (the code block's copy button), which a page without script drops.
import { StreamingMarkdown } from '../../../widget/src/markdown.ts';

type Template = { strings: readonly string[]; values: readonly unknown[] };

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const isTemplate = (value: unknown): value is Template =>
  typeof value === 'object' && value !== null && '_$litType$' in value && 'strings' in value && 'values' in value;

// An attribute binding: the template's text before the value ends with ` name=`.
const ATTRIBUTE = /\s([@.?]?[\w-]+)=$/;

function render(part: unknown): string {
  if (part === null || part === undefined || typeof part === 'symbol' || typeof part === 'function') return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (!isTemplate(part)) return escapeHtml(String(part));
  let html = '';
  part.strings.forEach((text, i) => {
    if (i === part.values.length) {
      html += text;
      return;
    }
    const value = part.values[i];
    const attribute = ATTRIBUTE.exec(text);
    if (!attribute) {
      html += text + render(value);
      return;
    }
    html += text.slice(0, attribute.index);
    // Event handlers (@click) go; lit's `nothing` (a symbol) leaves the attribute out.
    if (!/^[@.?]/.test(attribute[1]) && (typeof value === 'string' || typeof value === 'number')) {
      html += ` ${attribute[1]}="${escapeHtml(String(value))}"`;
    }
  });
  return html;
}

/** Markdown as safe HTML; code blocks come without the widget's copy button (no script here). */
export function markdownHtml(text: string): string {
  const html = render(new StreamingMarkdown().render(text, { copyLabel: '', copy: () => undefined }));
  // The only <button> there can be is the renderer's own (text is escaped): an empty, inert one.
  return html.replace(/<button type="button"\s*>\s*<\/button>/g, '');
}
