import { css } from 'lit';

/**
 * Controls every part shares. The theme's values arrive as inherited custom properties set on
 * <multi-bot-chat> (see multi-bot-chat.styles.ts), so nested shadow roots follow the theme.
 */
export const shared = css`
  :host {
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 0;
    background: none;
    padding: 0;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
  :focus-visible {
    outline: 2px solid var(--_ring);
    outline-offset: 2px;
  }
  svg {
    width: 18px;
    height: 18px;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    height: 40px;
    padding: 0 16px;
    border-radius: 10px;
    font-weight: 600;
    font-size: 14px;
    transition: background 0.15s, border-color 0.15s;
  }
  .primary {
    background: var(--_accent);
    color: var(--_on-accent);
  }
  .primary:hover:not(:disabled) {
    background: var(--_accent-hover);
  }
  .ghost {
    border: 1px solid var(--_border);
    background: var(--_surface-2);
  }
  .ghost:hover:not(:disabled),
  .icon:hover:not(:disabled) {
    background: var(--_hover);
  }
  .danger {
    color: var(--_danger);
  }
  .icon {
    display: inline-grid;
    place-items: center;
    width: 36px;
    height: 36px;
    border-radius: 10px;
    color: var(--_muted);
    transition: background 0.15s, color 0.15s;
  }
  .icon:hover:not(:disabled) {
    color: var(--_text);
  }
  label {
    display: grid;
    gap: 6px;
    font-size: 13px;
    font-weight: 600;
    color: var(--_muted);
  }
  input,
  textarea {
    width: 100%;
    border: 1px solid var(--_border);
    border-radius: 10px;
    background: var(--_surface-2);
    padding: 10px 12px;
    font-size: 14px;
    font-weight: 400;
    transition: border-color 0.15s, box-shadow 0.15s;
  }
  input:focus,
  textarea:focus {
    outline: none;
    border-color: var(--_accent);
    box-shadow: 0 0 0 3px var(--_accent-soft);
  }
  .avatar {
    display: grid;
    place-items: center;
    flex: none;
    width: 36px;
    height: 36px;
    border-radius: 12px;
    background: var(--_surface-3);
    font-size: 19px;
    line-height: 1;
    overflow: hidden;
  }
  .avatar img {
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .hint {
    font-weight: 400;
    font-size: 12px;
  }
  .error {
    display: flex;
    gap: 8px;
    align-items: center;
    color: var(--_danger);
    font-size: 13px;
  }
  .error:empty {
    display: none;
  }
  .muted {
    color: var(--_muted);
  }
  .ellipsis {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  ::-webkit-scrollbar {
    width: 10px;
  }
  ::-webkit-scrollbar-thumb {
    background: var(--_border);
    border: 3px solid transparent;
    border-radius: 10px;
    background-clip: padding-box;
  }
  /* In every shadow root: a rule in the outer one does not reach the parts (the bot dialog's opening did not honour it). */
  @media (prefers-reduced-motion: reduce) {
    *,
    ::backdrop {
      transition: none !important;
      animation: none !important;
    }
  }
`;

/** The side columns' lists (bots, chats): rows of `.pick` buttons. */
export const listStyles = css`
  :host {
    display: block;
    padding: 4px 10px 12px;
  }
  ul {
    display: grid;
    gap: 2px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  /* a row that selects something: a bot, a chat */
  .pick {
    width: 100%;
    border-radius: 12px;
    text-align: start;
    transition: background 0.15s;
  }
  .pick:hover {
    background: var(--_hover);
  }
  .pick[aria-current] {
    background: var(--_selected);
  }
`;
