export { createClient, type ChatClient } from './chat-client';
export { createCoreClient, type ClientOptions, type CoreClient } from './client';
export type { AuthApi, AuthChange, AuthChangeReason, Credentials } from './auth';
export type { BotsApi } from './bots';
export type { CreateSessionInput, ListSessionsInput, SessionsCoreApi } from './sessions';
export type { MessagesApi, SessionsApi } from './tools';
export type { HistoryInput, MessagesCoreApi, Reply, SendMessageInput, SendReply, StreamOptions } from './messages';
export type { MemoriesApi } from './memories';
export type { SiteApi } from './site';
export type { FeedbackApi, ListFeedbackInput } from './feedback';
export { searchApi, type SearchApi } from './search';
export { exportsApi, type ExportsApi } from './exports';
export { sharesApi, type SharesApi } from './shares';
export { memoryEditor, type MemoryEditor } from './memory-editing';
export { accountApi, type AccountApi } from './account';
export type { ReconnectOptions } from './session-stream';
export type { FetchLike } from './transport';
export { randomId } from './ids';
export { localStorageTokenStore, memoryTokenStore, type StorageLike, type StoredAuth, type TokenStore } from './storage';
export {
  AbortError,
  AuthError,
  ConflictError,
  MbcError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ReplyFailedError,
  ServerError,
  ValidationError,
  type MbcErrorOptions,
} from './errors';
export type {
  Bot,
  BotFeedback,
  BotInput,
  ChatSession,
  ChatShare,
  DateTimeString,
  Feedback,
  FeedbackRating,
  HistoryMessage,
  ExportFile,
  ExportFormat,
  Memory,
  Message,
  MessageRole,
  MessageStatus,
  Page,
  PageInfo,
  ReplyEvent,
  SearchHit,
  SessionEvent,
  SiteConfig,
  TextRange,
  User,
} from './types';
export { VERSION } from './version';
