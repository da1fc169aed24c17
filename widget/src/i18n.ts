// UI strings. English is the reference; every other language must have the same keys
// (the type below makes a missing key a compile error).

const en = {
  brand: 'Multi-bot chat',
  tagline: 'All your assistants in one conversation window.',
  signIn: 'Sign in',
  signUp: 'Create account',
  signOut: 'Sign out',
  signInTitle: 'Welcome back',
  signUpTitle: 'Create your account',
  noAccount: 'New here?',
  haveAccount: 'Already have an account?',
  email: 'Email',
  password: 'Password',
  passwordHint: 'At least 8 characters.',
  bots: 'Bots',
  systemBots: 'Built-in',
  yourBots: 'Your bots',
  newBot: 'New bot',
  editBot: 'Edit {name}',
  chats: 'Chats',
  newChat: 'New chat',
  noChats: 'No chats yet. Say hello!',
  rename: 'Rename {title}',
  delete: 'Delete {title}',
  confirmDelete: 'Delete “{title}”?',
  yes: 'Delete',
  no: 'Keep',
  title: 'Title',
  placeholder: 'Message {bot}…',
  send: 'Send',
  stop: 'Stop reply',
  copy: 'Copy code',
  copied: 'Copied',
  retry: 'Retry',
  failed: 'The reply failed: {reason}',
  cancelled: 'Stopped.',
  pending: 'Waiting to send',
  offline: 'You are offline. Messages will be sent when the connection is back.',
  rateLimited: 'Sending in {s} s.',
  loadEarlier: 'Load earlier messages',
  emptyTitle: 'Start a conversation with {bot}',
  typing: '{bot} is replying…',
  name: 'Name',
  description: 'Description',
  systemPrompt: 'Instructions (system prompt)',
  temperature: 'Temperature',
  temperatureHint: 'Low is precise, high is creative.',
  save: 'Save',
  cancel: 'Cancel',
  deleteBot: 'Delete bot',
  showBots: 'Show bots',
  showChats: 'Show chats',
  close: 'Close',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  messages: 'Messages with {bot}',
  you: 'You',
  error: 'Something went wrong. Please try again.',
  networkError: 'Cannot reach the chat server.',
  signedInAs: 'Signed in as {name}',
  guest: 'Guest',
  signInOnSite: 'Sign in on {site} to chat.',
};

export type Strings = typeof en;
export type StringKey = keyof Strings;

/** Languages other than English, each a chunk loaded on first use. */
const loaders: Record<string, () => Promise<Strings>> = {
  de: () => import('./locales/de.js').then((m) => m.de),
  ar: () => import('./locales/ar.js').then((m) => m.ar),
};
const languages = new Map<string, Strings>([['en', en]]);
const rtl = new Set(['ar', 'he', 'fa', 'ur']);

export interface Locale {
  lang: string;
  dir: 'ltr' | 'rtl';
  /** A sentence to show; a name or title in it is isolated (FSI … PDI, the text form of <bdi>). */
  t(key: StringKey, params?: Record<string, string | number>): string;
  /** An accessible name: never shown, so nothing to isolate (assistive tech reads it in logical order). */
  label(key: StringKey, params?: Record<string, string | number>): string;
  /** "3 min ago", in the locale's words. */
  ago(date: string | number | Date): string;
}

const baseOf = (tag: string) => tag.toLowerCase().split('-')[0];

/** The best supported language for a BCP 47 tag ("de-AT" → de) that is loaded already, English otherwise. */
export function locale(tag: string): Locale {
  const base = baseOf(tag);
  const lang = languages.has(base) ? base : 'en';
  const strings = languages.get(lang)!;
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: 'auto', style: 'short' });
  return {
    lang,
    dir: rtl.has(lang) ? 'rtl' : 'ltr',
    // A right-to-left override in a user's name or title must not turn the sentence around it.
    t: (key, params) => fill(strings[key], params, '\u2068', '\u2069'),
    label: (key, params) => fill(strings[key], params, '', ''),
    ago(date) {
      const seconds = (new Date(date).getTime() - Date.now()) / 1000;
      for (const [unit, size] of units) {
        if (Math.abs(seconds) >= size || unit === 'second') {
          return relative.format(Math.round(seconds / size), unit);
        }
      }
      return '';
    },
  };
}

/** The best supported language for the tag, once its strings are loaded (English at once). */
export async function loadLocale(tag: string): Promise<Locale> {
  const base = baseOf(tag);
  if (!languages.has(base) && loaders[base]) languages.set(base, await loaders[base]());
  return locale(tag);
}

const fill = (text: string, params: Record<string, string | number> = {}, open: string, close: string) =>
  text.replace(/\{(\w+)\}/g, (_, name) => (typeof params[name] === 'string' ? open + params[name] + close : String(params[name] ?? '')));

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 31536000],
  ['month', 2592000],
  ['week', 604800],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];
