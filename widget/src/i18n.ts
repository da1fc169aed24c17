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
};

export type Strings = typeof en;
export type StringKey = keyof Strings;

const de: Strings = {
  brand: 'Multi-Bot-Chat',
  tagline: 'Alle Assistenten in einem Chatfenster.',
  signIn: 'Anmelden',
  signUp: 'Konto erstellen',
  signOut: 'Abmelden',
  signInTitle: 'Willkommen zurück',
  signUpTitle: 'Konto erstellen',
  noAccount: 'Neu hier?',
  haveAccount: 'Schon ein Konto?',
  email: 'E-Mail',
  password: 'Passwort',
  passwordHint: 'Mindestens 8 Zeichen.',
  bots: 'Bots',
  systemBots: 'Mitgeliefert',
  yourBots: 'Deine Bots',
  newBot: 'Neuer Bot',
  editBot: '{name} bearbeiten',
  chats: 'Chats',
  newChat: 'Neuer Chat',
  noChats: 'Noch keine Chats. Sag hallo!',
  rename: '{title} umbenennen',
  delete: '{title} löschen',
  confirmDelete: '„{title}“ löschen?',
  yes: 'Löschen',
  no: 'Behalten',
  title: 'Titel',
  placeholder: 'Nachricht an {bot}…',
  send: 'Senden',
  stop: 'Antwort stoppen',
  copy: 'Code kopieren',
  copied: 'Kopiert',
  retry: 'Erneut versuchen',
  failed: 'Die Antwort ist fehlgeschlagen: {reason}',
  cancelled: 'Gestoppt.',
  pending: 'Wartet auf Versand',
  offline: 'Du bist offline. Nachrichten werden gesendet, sobald die Verbindung zurück ist.',
  rateLimited: 'Wird in {s} s gesendet.',
  loadEarlier: 'Ältere Nachrichten laden',
  emptyTitle: 'Starte ein Gespräch mit {bot}',
  typing: '{bot} antwortet…',
  name: 'Name',
  description: 'Beschreibung',
  systemPrompt: 'Anweisungen (System-Prompt)',
  temperature: 'Temperatur',
  temperatureHint: 'Niedrig ist präzise, hoch ist kreativ.',
  save: 'Speichern',
  cancel: 'Abbrechen',
  deleteBot: 'Bot löschen',
  showBots: 'Bots anzeigen',
  showChats: 'Chats anzeigen',
  close: 'Schließen',
  openChat: 'Chat öffnen',
  closeChat: 'Chat schließen',
  messages: 'Nachrichten mit {bot}',
  you: 'Du',
  error: 'Etwas ist schiefgelaufen. Bitte versuche es erneut.',
  networkError: 'Der Chat-Server ist nicht erreichbar.',
};

const ar: Strings = {
  brand: 'دردشة متعددة البوتات',
  tagline: 'كل مساعديك في نافذة محادثة واحدة.',
  signIn: 'تسجيل الدخول',
  signUp: 'إنشاء حساب',
  signOut: 'تسجيل الخروج',
  signInTitle: 'مرحبًا بعودتك',
  signUpTitle: 'أنشئ حسابك',
  noAccount: 'جديد هنا؟',
  haveAccount: 'لديك حساب بالفعل؟',
  email: 'البريد الإلكتروني',
  password: 'كلمة المرور',
  passwordHint: '8 أحرف على الأقل.',
  bots: 'البوتات',
  systemBots: 'المدمجة',
  yourBots: 'بوتاتك',
  newBot: 'بوت جديد',
  editBot: 'تعديل {name}',
  chats: 'المحادثات',
  newChat: 'محادثة جديدة',
  noChats: 'لا توجد محادثات بعد. قل مرحبًا!',
  rename: 'إعادة تسمية {title}',
  delete: 'حذف {title}',
  confirmDelete: 'حذف «{title}»؟',
  yes: 'حذف',
  no: 'إبقاء',
  title: 'العنوان',
  placeholder: 'رسالة إلى {bot}…',
  send: 'إرسال',
  stop: 'إيقاف الرد',
  copy: 'نسخ الشيفرة',
  copied: 'تم النسخ',
  retry: 'إعادة المحاولة',
  failed: 'فشل الرد: {reason}',
  cancelled: 'تم الإيقاف.',
  pending: 'بانتظار الإرسال',
  offline: 'أنت غير متصل. ستُرسل الرسائل عند عودة الاتصال.',
  rateLimited: 'سيتم الإرسال بعد {s} ث.',
  loadEarlier: 'تحميل الرسائل الأقدم',
  emptyTitle: 'ابدأ محادثة مع {bot}',
  typing: '{bot} يكتب الرد…',
  name: 'الاسم',
  description: 'الوصف',
  systemPrompt: 'التعليمات (موجّه النظام)',
  temperature: 'درجة الحرارة',
  temperatureHint: 'المنخفضة دقيقة، والمرتفعة إبداعية.',
  save: 'حفظ',
  cancel: 'إلغاء',
  deleteBot: 'حذف البوت',
  showBots: 'عرض البوتات',
  showChats: 'عرض المحادثات',
  close: 'إغلاق',
  openChat: 'فتح الدردشة',
  closeChat: 'إغلاق الدردشة',
  messages: 'الرسائل مع {bot}',
  you: 'أنت',
  error: 'حدث خطأ ما. حاول مرة أخرى.',
  networkError: 'تعذر الوصول إلى خادم الدردشة.',
};

const languages: Record<string, Strings> = { en, de, ar };
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

/** Picks the best supported language for a BCP 47 tag ("de-AT" → de), English otherwise. */
export function locale(tag: string): Locale {
  const base = tag.toLowerCase().split('-')[0];
  const lang = languages[base] ? base : 'en';
  const strings = languages[lang];
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
