// The page a shared chat's link opens: server-rendered HTML that needs no script, showing the bot
// and the transcript (bot replies as Markdown, by the widget's rules). The CSP allows nothing but
// this page's own stylesheet (by hash): no script, no images, no frames, no forms, no other origin.
// A revoked, replaced or unknown link is the same 404.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { App } from '../app.ts';
import type { SharedMessage } from '../chat/shares.ts';
import { escapeHtml, markdownHtml } from './markdown-html.ts';

export const SHARE_PATH = '/share/';

const STYLE = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #5c5c66; --bubble: #eef1f6; --accent: #2451b3; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececf1; --bg: #16161a; --muted: #a9a9b3; --bubble: #26262d; --accent: #8fb0ff; } }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header p, footer { color: var(--muted); font-size: .875rem; }
ol.transcript { list-style: none; padding: 0; }
ol.transcript > li { margin: 1rem 0; padding: .75rem 1rem; border-radius: .75rem; background: var(--bubble); }
ol.transcript > li.user { margin-left: 3rem; }
.who { font-weight: 600; margin: 0 0 .25rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
a { color: var(--accent); }
pre { overflow-x: auto; padding: .75rem; border-radius: .5rem; background: var(--bg); }
code { font-family: ui-monospace, monospace; font-size: .9em; }
table { border-collapse: collapse; } th, td { border: 1px solid var(--muted); padding: .25rem .5rem; }
.center { text-align: center; } .right { text-align: right; }
.code-bar { font-size: .75rem; color: var(--muted); }
`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // A revoked link must stop working at once, even behind caches; and it is nobody's search result.
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex, nofollow',
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

function messageHtml(message: SharedMessage, botName: string): string {
  const user = message.role === 'USER';
  // The user's own words are shown as typed (text); the bot's as the widget shows them (Markdown).
  const text = user ? `<div class="text">${escapeHtml(message.text)}</div>` : `<div class="markdown">${markdownHtml(message.text)}</div>`;
  return `<li class="${user ? 'user' : 'bot'}">
<p class="who">${user ? 'User' : escapeHtml(botName)}</p>
${text}
</li>`;
}

export async function serveSharePage(app: App, res: ServerResponse, pathname: string): Promise<void> {
  const shared = await app.shares.byToken(pathname.slice(SHARE_PATH.length));
  if (!shared) {
    res.writeHead(404, HEADERS);
    res.end(page('Link not found', '<h1>This link does not work</h1>\n<p>The chat was not shared, or its owner stopped sharing it.</p>'));
    return;
  }
  const { title, botName, createdAt, messages } = shared;
  const body = `<header>
<h1>${escapeHtml(title)}</h1>
<p>A chat with ${escapeHtml(botName)}, shared on <time datetime="${createdAt.toISOString()}">${createdAt.toISOString().slice(0, 10)}</time>. Read-only.</p>
</header>
<ol class="transcript" aria-label="Transcript">
${messages.map((message) => messageHtml(message, botName)).join('\n')}
</ol>
<footer>${messages.length} messages.</footer>`;
  res.writeHead(200, HEADERS);
  res.end(page(`${title} — ${botName}`, body));
}
