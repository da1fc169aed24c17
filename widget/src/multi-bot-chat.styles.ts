import { css } from 'lit';

// The theme: every internal --_x reads the public --mbc-x first, so a host page can restyle the
// widget with a few custom properties and never needs to know the internal ones.
const light = css`
  --_bg: var(--mbc-bg, #f6f7fb);
  --_surface: var(--mbc-surface, #fff);
  --_surface-2: #f0f2f7;
  --_surface-3: #e6e9f1;
  --_border: var(--mbc-border, #e0e4ed);
  --_text: var(--mbc-text, #151922);
  --_muted: var(--mbc-muted, #5b6477);
  --_accent: var(--mbc-accent, #5b4bd6);
  --_accent-hover: #4c3cc9;
  --_accent-soft: rgb(91 75 214 / 0.18);
  --_accent-text: var(--mbc-accent-text, #4b3bc4);
  --_danger: #c62828;
  --_danger-soft: rgb(198 40 40 / 0.3);
  --_hover: rgb(20 24 40 / 0.05);
  --_hover-solid: #f2f3f7;
  --_selected: rgb(91 75 214 / 0.1);
  --_selected-solid: #efedfb;
  --_shadow: 0 24px 60px rgb(20 24 40 / 0.16), 0 2px 6px rgb(20 24 40 / 0.06);
  --_shadow-sm: 0 2px 8px rgb(20 24 40 / 0.05);
  --_bot-bubble: #fff;
  --_code-bg: rgb(20 24 40 / 0.06);
  --_code-block: #f7f8fa;
  color-scheme: light;
`;

export const styles = css`
  :host {
    --_bg: var(--mbc-bg, #0d0f14);
    --_surface: var(--mbc-surface, #13161d);
    --_surface-2: #1a1e27;
    --_surface-3: #242a36;
    --_border: var(--mbc-border, #252b37);
    --_text: var(--mbc-text, #e8eaf0);
    --_muted: var(--mbc-muted, #98a1b3);
    --_accent: var(--mbc-accent, #6c5ce7);
    --_accent-hover: #7b6cf0;
    --_accent-soft: rgb(124 108 255 / 0.25);
    --_accent-text: var(--mbc-accent-text, #a89dff);
    --_link: var(--_accent-text);
    --_on-accent: #fff;
    --_danger: #ff7a7a;
    --_danger-soft: rgb(255 122 122 / 0.35);
    --_hover: rgb(255 255 255 / 0.05);
    --_hover-solid: #1b1e26;
    --_selected: rgb(124 108 255 / 0.16);
    --_selected-solid: #1f1f35;
    --_ring: var(--_accent-text);
    --_shadow: 0 24px 60px rgb(0 0 0 / 0.5), 0 2px 6px rgb(0 0 0 / 0.3);
    --_shadow-sm: 0 2px 10px rgb(0 0 0 / 0.2);
    --_gradient: linear-gradient(135deg, #7c6cff, #4f8cff);
    --_user-bubble: linear-gradient(135deg, var(--_accent), var(--_accent-hover));
    --_bot-bubble: #161a22;
    --_code-bg: rgb(255 255 255 / 0.08);
    --_code-block: #0a0c10;
    --_mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    --_radius: var(--mbc-radius, 16px);
    --_z: var(--mbc-z-index, 2147483000);
    --_flip: 1;
    --_end: right;
    color-scheme: dark;
    display: block;
    height: var(--mbc-height, 640px);
    color: var(--_text);
    font: 14px/1.5 var(--mbc-font, Inter, ui-sans-serif, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif);
    -webkit-font-smoothing: antialiased;
    text-align: start;
  }
  :host([theme='light']) {
    ${light}
  }
  @media (prefers-color-scheme: light) {
    :host([theme='auto']) {
      ${light}
    }
  }
  :host([mode='bubble']) {
    height: 0;
  }
  :host([mode='fullscreen']) {
    position: fixed;
    inset: 0;
    z-index: var(--_z);
    height: auto;
  }
  [dir='rtl'] {
    --_flip: -1;
    --_end: left;
  }
  .frame {
    position: relative;
    height: 100%;
    /* clip, not hidden: a hidden box still scrolls to show what gets focus, and focusing into a
       drawer still sliding in shifted the whole widget sideways (seen in right-to-left layouts) */
    overflow: clip;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    container: frame / inline-size;
  }
  .signed-out {
    background: radial-gradient(70% 60% at 50% 0%, var(--_accent-soft), transparent 70%), var(--_bg);
  }
  :host([mode='fullscreen']) .frame {
    border: 0;
    border-radius: 0;
  }
  .app {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    height: 100%;
  }

  /* side columns: drawers until there is room */
  .drawer {
    position: absolute;
    inset-block: 0;
    z-index: 3;
    display: flex;
    flex-direction: column;
    width: min(300px, 86%);
    background: var(--_surface);
    transition: translate 0.25s ease, visibility 0.25s;
  }
  .bots {
    inset-inline-start: 0;
    border-inline-end: 1px solid var(--_border);
  }
  .sessions {
    inset-inline-end: 0;
    border-inline-start: 1px solid var(--_border);
  }
  .bots:not(.open) {
    translate: calc(-100% * var(--_flip)) 0;
    visibility: hidden;
  }
  .sessions:not(.open) {
    translate: calc(100% * var(--_flip)) 0;
    visibility: hidden;
  }
  .drawer.open {
    box-shadow: var(--_shadow);
    /* visible at once when opening (to take focus), hidden only after sliding out */
    transition: translate 0.25s ease;
  }
  .scrim {
    position: absolute;
    inset: 0;
    z-index: 2;
    background: rgb(0 0 0 / 0.45);
    opacity: 0;
    pointer-events: none;
    transition: opacity 0.25s;
  }
  .scrim.on {
    opacity: 1;
    pointer-events: auto;
  }
  @container frame (min-width: 640px) {
    .app {
      grid-template-columns: 240px minmax(0, 1fr);
    }
    .bots {
      position: static;
      width: auto;
      translate: none !important;
      visibility: visible !important;
      box-shadow: none !important;
    }
    .bots .close,
    .toggle[aria-controls='bots'] {
      display: none;
    }
  }
  @container frame (min-width: 920px) {
    .app {
      grid-template-columns: 256px minmax(0, 1fr) 272px;
    }
    .sessions {
      position: static;
      width: auto;
      translate: none !important;
      visibility: visible !important;
      box-shadow: none !important;
    }
    .sessions .close,
    .toggle,
    .scrim,
    .head .add {
      display: none;
    }
  }
  .scroll {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
  }

  /* headers and footers */
  .head {
    display: flex;
    flex: none;
    align-items: center;
    gap: 10px;
    height: 60px;
    padding-inline: 16px 10px;
    border-bottom: 1px solid var(--_border);
  }
  .head h2 {
    margin: 0;
    font-size: 15px;
    font-weight: 650;
  }
  .sessions .head h2 {
    flex: 1;
  }
  .brand {
    font-weight: 700;
    font-size: 15px;
    letter-spacing: -0.01em;
  }
  .brand > .ellipsis {
    flex: 1;
  }
  .logo {
    display: grid;
    place-items: center;
    flex: none;
    width: 30px;
    height: 30px;
    border-radius: 9px;
    background: var(--_gradient);
    color: #fff;
  }
  .logo svg {
    width: 17px;
    height: 17px;
  }
  .new {
    height: 32px;
    padding: 0 12px;
    font-size: 13px;
  }
  .new svg {
    width: 15px;
    height: 15px;
  }
  .foot {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 10px 10px 10px 16px;
    border-top: 1px solid var(--_border);
    font-size: 13px;
  }
  .me {
    flex: 1;
    color: var(--_muted);
  }
  /* sites: the disclosure under the composer, the note where no sign-in form is offered */
  .disclosure {
    margin: 0;
    padding: 0 16px 10px;
    font-size: 12px;
    color: var(--_muted);
    text-align: center;
  }
  .gate {
    display: grid;
    place-items: center;
    height: 100%;
    padding: 24px;
    background: var(--_bg);
    color: var(--_muted);
  }
  .back {
    position: absolute;
    top: 12px;
    inset-inline-start: 12px;
  }

  /* conversation */
  .chat {
    position: relative;
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    height: 100%;
    background: var(--_bg);
  }
  .chat .head {
    padding-inline: 10px;
    background: var(--_bg);
  }
  .who {
    flex: 1;
    min-width: 0;
    line-height: 1.3;
  }
  .who p {
    margin: 0;
    font-size: 12.5px;
  }
  mbc-chat-view {
    flex: 1;
  }
  .banner {
    display: flex;
    align-items: center;
    gap: 10px;
    margin: 12px 16px 0;
    padding: 8px 8px 8px 12px;
    min-height: 44px;
    border: 1px solid var(--_border);
    border-radius: 12px;
    background: var(--_surface-2);
    font-size: 13px;
  }
  .banner > span {
    flex: 1;
  }
  .banner.error {
    border-color: var(--_danger-soft);
    color: var(--_danger);
  }
  .banner .icon {
    width: 28px;
    height: 28px;
  }

  /* bubble mode */
  .launcher {
    position: fixed;
    inset-inline-end: 20px;
    bottom: 20px;
    z-index: var(--_z);
    display: grid;
    place-items: center;
    width: 60px;
    height: 60px;
    border-radius: 50%;
    background: var(--_gradient);
    color: #fff;
    box-shadow: 0 10px 30px rgb(79 70 229 / 0.45);
    transition: transform 0.2s;
  }
  .launcher.aside {
    visibility: hidden;
  }
  .launcher:hover {
    transform: scale(1.06);
  }
  .launcher svg {
    width: 26px;
    height: 26px;
  }
  :host([mode='bubble']) .frame {
    position: fixed;
    inset-inline-end: 20px;
    bottom: 92px;
    z-index: var(--_z);
    width: min(420px, calc(100vw - 40px));
    height: min(680px, calc(100vh - 116px));
    box-shadow: var(--_shadow);
    animation: pop 0.2s ease-out;
  }
  @media (max-width: 480px) {
    :host([mode='bubble']) .frame {
      inset: 0;
      width: auto;
      height: auto;
      border-radius: 0;
    }
    :host([open]) .launcher {
      display: none;
    }
  }
  @keyframes pop {
    from {
      transform: translateY(12px) scale(0.98);
    }
  }

  .spinner {
    position: absolute;
    inset: 0;
    margin: auto;
    width: 28px;
    height: 28px;
    border: 3px solid var(--_border);
    border-top-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
`;
