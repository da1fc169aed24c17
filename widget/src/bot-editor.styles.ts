import { css } from 'lit';

export const botEditorStyles = css`
  :host {
    display: contents;
  }
  dialog {
    width: min(calc(100vw - 32px), 520px);
    max-height: calc(100vh - 32px);
    padding: 0;
    border: 1px solid var(--_border);
    border-radius: 20px;
    background: var(--_surface);
    color: var(--_text);
    box-shadow: var(--_shadow);
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 0.5);
    backdrop-filter: blur(2px);
  }
  dialog[open] {
    animation: pop 0.18s ease-out;
  }
  form {
    display: grid;
    gap: 16px;
    padding: 20px 24px 24px;
  }
  header,
  footer,
  .row {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  h2 {
    flex: 1;
    margin: 0;
    font-size: 18px;
  }
  .required {
    margin-inline-start: 2px;
    color: var(--_danger);
  }
  textarea {
    resize: vertical;
    min-height: 120px;
    line-height: 1.5;
  }
  .field {
    display: grid;
    gap: 6px;
    font-size: 13px;
    color: var(--_muted);
  }
  .row {
    justify-content: space-between;
  }
  output {
    font-variant-numeric: tabular-nums;
    color: var(--_text);
  }
  input[type='range'] {
    padding: 0;
    border: 0;
    background: none;
    accent-color: var(--_accent);
    box-shadow: none;
  }
  footer {
    flex-wrap: wrap;
    margin-top: 4px;
  }
  .spacer {
    flex: 1;
  }
  @keyframes pop {
    from {
      transform: scale(0.97);
    }
  }
`;
