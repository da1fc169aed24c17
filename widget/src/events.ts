import { MbcError, NetworkError } from '@multi-bot-chat/sdk';
import type { Message, User } from './controllers/api.js';

/** Detail of `mbc-error`: a stable code (the API's `extensions.code`, or NETWORK) and a message. */
export interface MbcErrorDetail {
  code: string;
  message: string;
}

/** The events <multi-bot-chat> fires on itself; all bubble and cross shadow roots. */
export interface MultiBotChatEventMap {
  /** A user signed in or created an account. */
  'mbc-login': CustomEvent<{ user: User }>;
  /** The user signed out (or their session ended). */
  'mbc-logout': CustomEvent<null>;
  /** The server accepted a message the user wrote (also one queued while offline). */
  'mbc-message-sent': CustomEvent<{ message: Message }>;
  /** A bot reply finished: status COMPLETE, CANCELLED or FAILED. */
  'mbc-reply': CustomEvent<{ message: Message }>;
  /** Something failed that the user was told about. */
  'mbc-error': CustomEvent<MbcErrorDetail>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends MultiBotChatEventMap {}
}

export function errorDetail(error: unknown): MbcErrorDetail {
  if (error instanceof NetworkError) return { code: 'NETWORK', message: error.message };
  if (error instanceof MbcError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: String((error as Error)?.message ?? error) };
}
