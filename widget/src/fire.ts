/** Fires a private event from a part to the element that renders it (it neither bubbles nor leaves the shadow root). */
export const fire = (target: EventTarget, type: string, detail?: unknown) =>
  target.dispatchEvent(new CustomEvent(type, { detail }));
