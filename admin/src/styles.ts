// The console's shared look: plain tables and forms, readable in light and dark schemes, with
// visible focus and AA contrast (checked by axe-core in the console test).
import { css } from 'lit';

export const shared = css`
  :host { display: block; color: var(--mba-text, #1b1f24); font: 14px/1.45 system-ui, sans-serif; }
  h2 { font-size: 1.15rem; margin: 0 0 0.75rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
  th, td { text-align: left; padding: 0.35rem 0.5rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
  th { font-weight: 600; }
  form, .row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: end; margin: 0.5rem 0; }
  label { display: flex; flex-direction: column; gap: 0.15rem; font-size: 0.85rem; }
  input, select, textarea, button { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #57606a; border-radius: 4px; background: #fff; color: #1b1f24; }
  button { cursor: pointer; background: #f6f8fa; }
  button.primary { background: #0b5cad; border-color: #0b5cad; color: #fff; }
  button.danger { color: #a40e26; border-color: #a40e26; }
  :focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
  .error { color: #a40e26; }
  .muted { color: #57606a; }
  code { font-size: 0.85em; word-break: break-all; }
`;
