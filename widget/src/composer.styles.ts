import { css } from 'lit';

export const composerStyles = css`
  :host {
    display: block;
    padding: 8px 16px 16px;
  }
  form {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    max-width: 788px;
    margin: 0 auto;
    padding: 6px;
    border: 1px solid var(--_border);
    border-radius: 18px;
    background: var(--_surface-2);
    box-shadow: var(--_shadow-sm);
    transition: border-color 0.15s, box-shadow 0.15s;
  }
  form:focus-within {
    border-color: var(--_accent);
    box-shadow: 0 0 0 3px var(--_accent-soft);
  }
  textarea {
    flex: 1;
    min-height: 40px;
    max-height: 200px;
    padding: 9px 10px;
    border: 0;
    background: none;
    resize: none;
    font-size: 15px;
    line-height: 1.45;
  }
  textarea:focus {
    box-shadow: none;
  }
  textarea::placeholder {
    color: var(--_muted);
  }
  .send {
    display: grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 12px;
    background: var(--_accent);
    color: var(--_on-accent);
    transition: background 0.15s, opacity 0.15s;
  }
  .send:hover:not(:disabled) {
    background: var(--_accent-hover);
  }
  .send:disabled {
    background: var(--_surface-3);
    color: var(--_muted);
    opacity: 1;
  }
  .stop {
    background: var(--_text);
    color: var(--_bg);
  }
  .stop:hover:not(:disabled) {
    background: var(--_muted);
  }
  .stop svg {
    fill: currentColor;
  }
`;
