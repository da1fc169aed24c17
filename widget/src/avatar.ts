import { html } from 'lit';

let colourEmoji: boolean | undefined;
/**
 * Whether this device draws emoji (in colour): without an emoji font they show as empty boxes.
 * Draws one on a canvas and looks for a pixel that is not grey; once per page.
 */
const drawsEmoji = () =>
  (colourEmoji ??= (() => {
    const context = document.createElement('canvas').getContext('2d', { willReadFrequently: true });
    if (!context) return true;
    context.font = '16px sans-serif';
    context.textBaseline = 'top';
    context.fillText('🎉', 0, 0);
    const pixels = context.getImageData(0, 0, 16, 16).data;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] !== pixels[i + 1] || pixels[i + 1] !== pixels[i + 2]) return true;
    return false;
  })());

/** A bot's avatar: an image URL, or text (an emoji, initials); an emoji the device cannot draw becomes the name's initial. */
export const avatar = (value: string | null | undefined, name: string, cls = 'avatar') =>
  html`<span class=${cls} part="avatar" aria-hidden="true"
    >${/^(https?:|data:image\/)/.test(value ?? '')
      ? html`<img src=${value!} alt="" />`
      : value && !(/\p{Extended_Pictographic}/u.test(value) && !drawsEmoji())
        ? value
        : [...name][0]}</span
  >`;
