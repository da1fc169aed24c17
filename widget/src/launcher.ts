// launcher.js: what a page loads first for a bubble-mode chat. It draws the round button (the same
// one widget.js draws, in the same place) with plain DOM, and loads widget.js only when the visitor
// may want it: on hover or keyboard focus (so it is usually there by the click), or on the click.
// Inline and fullscreen chats are visible at once, so for them widget.js loads straight away.
//
//   <script type="module" src="https://chat.example.com/launcher.js"></script>
//   <multi-bot-chat mode="bubble" site="pk_…"></multi-bot-chat>
//
// No Lit and no SDK here: the whole file is about 2 KB gzip (widget/build.mjs prints it).
import { loadLocale } from './i18n.js';
import { paths } from './icon-paths.js';

const TAG = 'multi-bot-chat';
const widgetUrl = new URL('widget.js', import.meta.url).href;

let loading: Promise<unknown> | undefined;
/** Loads widget.js once; every chat on the page upgrades when it defines the element. */
const loadWidget = () =>
  (loading ??= import(/* @vite-ignore */ widgetUrl).catch((error) => {
    loading = undefined; // let the next hover or click try again
    throw error;
  }));

// The widget's own launcher (multi-bot-chat.styles.ts, "bubble mode"), so nothing moves when it takes over.
const css = `button{position:fixed;inset-inline-end:20px;bottom:20px;z-index:var(--mbc-z-index,2147483000);display:grid;place-items:center;width:60px;height:60px;padding:0;border:0;border-radius:50%;background:linear-gradient(135deg,#7c6cff,#4f8cff);color:#fff;box-shadow:0 10px 30px rgb(79 70 229 / .45);cursor:pointer;transition:transform .2s}button:hover{transform:scale(1.06)}button:focus-visible{outline:3px solid var(--mbc-accent-text,#a89dff);outline-offset:3px}svg{width:26px;height:26px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}`;

/** The placeholder button for one bubble-mode chat, until widget.js has drawn the real one. */
function placeLauncher(chat: HTMLElement) {
  const host = document.createElement('mbc-launcher');
  const root = host.attachShadow({ mode: 'open' });
  const tag = chat.lang || chat.closest<HTMLElement>('[lang]')?.lang || navigator.language;
  root.innerHTML = `<style>${css}</style><button type="button" part="launcher" aria-expanded="false"><svg viewBox="0 0 24 24" aria-hidden="true"><path d="${paths.bubble}"></path></svg></button>`;
  const button = root.querySelector('button')!;
  void loadLocale(tag).then(({ t, dir }) => {
    button.dir = dir;
    button.setAttribute('aria-label', t('openChat'));
  });
  // Custom properties set on the chat element (a page's theme) do not reach a sibling: copy them.
  const style = getComputedStyle(chat);
  for (const name of ['--mbc-z-index', '--mbc-accent-text']) {
    const value = style.getPropertyValue(name).trim();
    if (value) host.style.setProperty(name, value);
  }
  chat.after(host);

  let opening = false;
  let handing: Promise<void> | undefined;
  const handOver = async () => {
    await customElements.whenDefined(TAG);
    await (chat as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
    const real = chat.shadowRoot?.querySelector<HTMLElement>('[part~=launcher]');
    const hadFocus = root.activeElement === button;
    host.remove();
    // A click opens the panel exactly as a click on the real button does (focus goes into the chat).
    if (opening) real?.click();
    else if (hadFocus) real?.focus();
  };
  const warm = () => {
    handing ??= loadWidget().then(handOver, () => {
      handing = undefined;
      button.removeAttribute('aria-busy');
    });
  };
  button.addEventListener('pointerenter', warm, { once: true });
  button.addEventListener('focus', warm, { once: true });
  button.addEventListener('click', () => {
    opening = true;
    button.setAttribute('aria-busy', 'true');
    warm();
  });
}

function start() {
  if (customElements.get(TAG)) return; // widget.js is on the page already
  for (const chat of document.querySelectorAll<HTMLElement>(TAG)) {
    if (chat.getAttribute('mode') === 'bubble') placeLauncher(chat);
    else void loadWidget();
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
