import { html } from 'lit';

/** A bot's avatar: an image URL, or text (an emoji, initials) shown as it is. */
export const avatar = (value: string | null | undefined, name: string, cls = 'avatar') =>
  html`<span class=${cls} part="avatar" aria-hidden="true"
    >${/^(https?:|data:image\/)/.test(value ?? '') ? html`<img src=${value!} alt="" />` : value || name.slice(0, 1)}</span
  >`;
