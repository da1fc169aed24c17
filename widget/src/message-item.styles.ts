import { css } from 'lit';

export const messageItemStyles = css`
  :host {
    display: block;
  }
  .msg {
    display: flex;
    gap: 12px;
    align-items: flex-start;
    animation: rise 0.2s ease-out;
  }
  .user {
    justify-content: flex-end;
  }
  .body {
    display: grid;
    gap: 4px;
    min-width: 0;
    max-width: min(88%, 680px);
  }
  .user .body {
    justify-items: end;
  }
  .avatar {
    width: 32px;
    height: 32px;
    border-radius: 10px;
    font-size: 17px;
    margin-top: 2px;
  }
  .bubble {
    min-width: 0;
    max-width: 100%;
    padding: 10px 14px;
    border-radius: 18px;
    font-size: 14.5px;
    line-height: 1.6;
    overflow-wrap: anywhere;
  }
  .user .bubble {
    background: var(--_user-bubble);
    color: var(--_on-accent);
    border-end-end-radius: 6px;
    white-space: pre-wrap;
  }
  .bot .bubble {
    background: var(--_bot-bubble);
    border: 1px solid var(--_border);
    border-start-start-radius: 6px;
  }
  .pending .bubble {
    opacity: 0.65;
  }
  .failed .bubble {
    border-color: var(--_danger-soft);
  }
  .streaming .md > :last-child::after {
    content: '';
    display: inline-block;
    width: 7px;
    height: 1em;
    margin-inline-start: 3px;
    vertical-align: -2px;
    border-radius: 2px;
    background: var(--_accent-text);
    animation: blink 1s steps(2) infinite;
  }
  .status {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    margin: 0;
    padding: 0 4px;
    font-size: 12px;
    color: var(--_muted);
  }
  .status svg {
    width: 14px;
    height: 14px;
  }
  .meta {
    /* Shown at once on hover: text fading in is, half-way, text without enough contrast. */
    opacity: 0;
  }
  .msg:hover .meta,
  .msg:focus-within .meta {
    opacity: 1;
  }
  .failed .status {
    color: var(--_danger);
  }
  .retry {
    height: 30px;
    padding: 0 10px;
    font-size: 12px;
    color: var(--_text);
  }
  .retry svg {
    width: 14px;
    height: 14px;
  }
  .dots {
    display: inline-flex;
    gap: 4px;
    padding: 6px 2px;
  }
  .dots i {
    width: 7px;
    height: 7px;
    border-radius: 50%;
    background: var(--_muted);
    animation: bounce 1.2s infinite ease-in-out;
  }
  .dots i:nth-child(2) {
    animation-delay: 0.15s;
  }
  .dots i:nth-child(3) {
    animation-delay: 0.3s;
  }
  /* Markdown */
  .md > * {
    /* Blocks off screen are not laid out: streaming a 100 KB reply in 1,000 chunks took 6.0 s of
       render and layout with the longest chunk at 434 ms; with this, 1.4 s and 16 ms (bench #8). */
    content-visibility: auto;
    contain-intrinsic-size: auto 1.5em;
  }
  .md > :first-child {
    margin-top: 0;
  }
  .md > :last-child {
    margin-bottom: 0;
  }
  .md p,
  .md ul,
  .md ol,
  .md pre,
  .md blockquote,
  .md table,
  .md .code {
    margin: 0 0 10px;
  }
  .md ul,
  .md ol {
    padding-inline-start: 22px;
  }
  .md li + li,
  .md li > * + * {
    margin-top: 4px;
  }
  .md li > p {
    margin: 0;
  }
  .md h1,
  .md h2,
  .md h3,
  .md h4 {
    margin: 14px 0 6px;
    font-size: 1.05em;
    line-height: 1.35;
  }
  .md h1 {
    font-size: 1.2em;
  }
  .md a {
    color: var(--_link);
    text-underline-offset: 2px;
  }
  .md code {
    font-family: var(--_mono);
    font-size: 0.88em;
    padding: 1px 5px;
    border-radius: 6px;
    background: var(--_code-bg);
  }
  .md blockquote {
    padding-inline-start: 12px;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  .md table {
    display: block;
    overflow-x: auto;
    border-collapse: collapse;
    font-size: 0.92em;
  }
  .md th,
  .md td {
    padding: 6px 10px;
    border: 1px solid var(--_border);
    text-align: start;
  }
  .md .center {
    text-align: center;
  }
  .md .right {
    text-align: right;
  }
  .md hr {
    border: 0;
    border-top: 1px solid var(--_border);
  }
  .code {
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_code-block);
    overflow: hidden;
    direction: ltr;
  }
  .code-bar {
    display: flex;
    align-items: center;
    justify-content: space-between;
    padding: 4px 6px 4px 12px;
    border-bottom: 1px solid var(--_border);
    font-size: 12px;
    color: var(--_muted);
  }
  .code-bar button {
    padding: 4px 8px;
    border-radius: 6px;
    font-size: 12px;
    color: var(--_muted);
  }
  .code-bar button:hover {
    background: var(--_hover);
    color: var(--_text);
  }
  .code pre {
    margin: 0;
    padding: 12px 14px;
    overflow-x: auto;
    line-height: 1.5;
  }
  .code pre code {
    padding: 0;
    background: none;
    font-size: 13px;
  }
  @keyframes rise {
    from {
      transform: translateY(6px);
    }
  }
  @keyframes blink {
    50% {
      opacity: 0;
    }
  }
  @keyframes bounce {
    0%,
    80%,
    100% {
      transform: translateY(0);
      opacity: 0.5;
    }
    40% {
      transform: translateY(-4px);
      opacity: 1;
    }
  }
`;
