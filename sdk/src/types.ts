// The data the SDK hands out: plain objects, one type per API object, ids as opaque strings.
// documents.ts checks at compile time that every query result fits these types.

/** An ISO 8601 timestamp, as the API sends it (e.g. `2025-01-31T12:00:00.000Z`). */
export type DateTimeString = string;

/** A signed-in person. */
export interface User {
  id: string;
  /** Lower-case; null for guests and for users a host site signed in. */
  email: string | null;
  /** How the host site names its user; null for accounts and guests. */
  name: string | null;
  role: 'GUEST' | 'USER' | 'ADMIN';
  createdAt: DateTimeString;
}

/** A bot: one of the shared system bots or one of the viewer's own. */
export interface Bot {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** A URL or an emoji; empty when the bot has none. */
  avatar: string;
  /** The language model the bot answers with. */
  model: string;
  systemPrompt: string;
  /** 0..2 */
  temperature: number;
  /** Nucleus sampling, (0..1]; null: the provider's default. */
  topP: number | null;
  /** Shown on an empty chat; empty when the bot has none. */
  welcome: string;
  /** Up to 4 prompts offered on an empty chat. */
  starters: string[];
  /** Free-form settings (a JSON object) kept with the bot. */
  settings: unknown;
  /** True for the shared system bots. */
  isSystem: boolean;
  /** True when the viewer may update or delete this bot. */
  editable: boolean;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

/** What `bots.create` and `bots.update` accept; `create` needs at least `name` and `systemPrompt`. */
export interface BotInput {
  name?: string;
  description?: string;
  avatar?: string;
  model?: string;
  systemPrompt?: string;
  /** 0..2 */
  temperature?: number;
  /** (0..1] */
  topP?: number;
  /** Up to 500 characters. */
  welcome?: string;
  /** Up to 4 prompts of up to 200 characters. */
  starters?: string[];
  /** A JSON object of at most 4000 characters. */
  settings?: Record<string, unknown>;
}

/** A conversation of the viewer with one bot. */
export interface ChatSession {
  id: string;
  botId: string;
  /** The id the client chose when creating the session, if any (creating again with it returns this session). */
  clientId: string | null;
  title: string;
  /** The model this chat uses instead of its bot's (one of `sessions.models()`); null: the bot's. */
  model: string | null;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
  lastMessageAt: DateTimeString;
}

export type MessageRole = 'USER' | 'BOT';

/**
 * - `STREAMING`: a bot reply being generated; `text` grows.
 * - `COMPLETE`: finished.
 * - `CANCELLED`: stopped by `messages.cancel`; `text` keeps what was generated.
 * - `FAILED`: the reply failed; see `errorCode` and `errorMessage`.
 */
export type MessageStatus = 'STREAMING' | 'COMPLETE' | 'CANCELLED' | 'FAILED';

/** A message in a chat session, from the user or from the bot. */
export interface Message {
  id: string;
  sessionId: string;
  /**
   * The message before this one on its branch (for a bot reply: the question it answers); null for
   * a chat's first message. Messages sharing a parent are variants of one turn.
   */
  parentId: string | null;
  role: MessageRole;
  text: string;
  status: MessageStatus;
  /** Number of stream deltas already included in `text`: where a reconnecting client resumes. */
  seq: number;
  /** The idempotency key the message was sent with. */
  clientMessageId: string | null;
  model: string | null;
  /** Milliseconds from the request to the last token. */
  latencyMs: number | null;
  /** Milliseconds from the request to the first token. */
  firstTokenMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Stable code when `status` is FAILED, e.g. PROVIDER_ERROR, RATE_LIMITED, TIMEOUT, INTERRUPTED. */
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

export type FeedbackRating = 'UP' | 'DOWN';

/** The viewer's 👍/👎 on a bot reply. */
export interface Feedback {
  rating: FeedbackRating;
  /** Why, if they said; null otherwise. */
  reason: string | null;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

/** A rating of one of a bot's replies, as its owner (or an admin, for system bots) reads it. */
export interface BotFeedback extends Feedback {
  messageId: string;
  sessionId: string;
  /** The rated reply. */
  messageText: string;
}

/** A message as history and the branch operations return it: with its turn's variants and the viewer's rating. */
export interface HistoryMessage extends Message {
  /**
   * The ids of its turn's variants, oldest first, itself among them: a reply's regenerations, or a
   * question's edits. One entry when there are none; show "‹ 2/3 ›" when there are more.
   */
  variants: string[];
  /** The viewer's rating of this bot reply; null when none (always null for the user's messages). */
  feedback: Pick<Feedback, 'rating' | 'reason'> | null;
}

/** A short fact a bot remembers about the viewer, carried into future conversations. */
export interface Memory {
  id: string;
  botId: string;
  key: string;
  value: string;
  createdAt: DateTimeString;
  updatedAt: DateTimeString;
}

/** A part of a text: offsets in UTF-16 code units (JavaScript string indices). */
export interface TextRange {
  start: number;
  length: number;
}

/** A message found by `search.messages`, its chat, and a plain-text snippet with the searched words' ranges. */
export interface SearchHit {
  message: Message;
  session: ChatSession;
  /** Render `text` as text and highlight the `highlights` ranges: it is never markup. */
  snippet: { text: string; highlights: TextRange[] };
}

export type ExportFormat = 'MARKDOWN' | 'JSON';

/** A file to save (e.g. through a Blob and a download link). */
export interface ExportFile {
  filename: string;
  mimeType: string;
  content: string;
}

/** A chat's read-only link: a snapshot of the chat when it was shared. */
export interface ChatShare {
  url: string;
  title: string;
  createdAt: DateTimeString;
}

/** Relay page information; cursors are opaque. */
export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  pageInfo: PageInfo;
}

/**
 * What happens in a chat session, as `messages.subscribe` yields it (and `messages.send` for one reply).
 *
 * - `added`: a message was saved; for a new bot reply `status` is STREAMING and `text` is what is
 *   generated so far (usually empty).
 * - `delta`: new text to append to the message. `seq` counts the deltas included so far; after a
 *   reconnect one delta may cover several, so never infer text from `seq`, only append `text`.
 * - `completed`: the final message, status COMPLETE or CANCELLED, with its metrics.
 * - `failed`: the reply failed; `code` is stable (PROVIDER_ERROR, RATE_LIMITED, TIMEOUT, INTERRUPTED, …).
 * - `pathChanged`: the chat's active path changed after `parentId` (null: from its start) — a reply
 *   was regenerated, a question edited, or another variant shown: read the history again.
 * - `messageDeleted`: a message was deleted; stop showing it.
 * - `deleted`: the session was deleted (its replies stopped); the last event, after which the stream ends.
 */
export type SessionEvent =
  | { type: 'added'; message: Message }
  | { type: 'delta'; messageId: string; seq: number; text: string }
  | { type: 'completed'; message: Message }
  | { type: 'failed'; messageId: string; code: string; message: string }
  | { type: 'pathChanged'; sessionId: string; parentId: string | null }
  | { type: 'messageDeleted'; messageId: string }
  | { type: 'deleted'; sessionId: string };

/** Events of one reply: `added` for the user's and the bot's message, then the bot message's deltas and end. */
export type ReplyEvent = Exclude<SessionEvent, { type: 'pathChanged' | 'messageDeleted' }>;

/** What a site shows its visitors before anyone signs in (`chat.site.config()`). */
export interface SiteConfig {
  name: string;
  /** The system bots the site shows, in order. */
  bots: Bot[];
  /** The bot that opens first; null to take the first of `bots`. */
  defaultBotId: string | null;
  /** Visitors may chat at once, as guests (`auth.startGuest()`). */
  allowGuests: boolean;
  /** E-mail and password sign-in (`auth.register`, `auth.login`) is offered. */
  allowAccounts: boolean;
  /** The host site signs its users in with identity tokens (`auth.signInWithIdentity`). */
  hostSignIn: boolean;
  /** A line to show under the composer, e.g. "You are chatting with an AI assistant"; may be empty. */
  disclosure: string;
  /** A text to show on an empty chat; may be empty. */
  welcome: string;
}
