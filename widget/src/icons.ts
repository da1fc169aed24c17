import { html } from 'lit';
import { paths } from './icon-paths.js';

export type IconName = keyof typeof paths;

export const icon = (name: IconName) =>
  html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${paths[name]}></path></svg>`;
