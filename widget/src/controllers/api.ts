// The widget's one door to the SDK's types: the shapes the views render.
import type { Message } from '@multi-bot-chat/sdk';

export type {
  Bot,
  BotInput,
  CoreClient as Client,
  ChatSession as Session,
  Message,
  PageInfo,
  // The widget follows replies (send, follow), whose streams carry a reply's events only.
  ReplyEvent as SessionEvent,
  SiteConfig,
  User,
} from '@multi-bot-chat/sdk';

/** A message as shown: a user message still in the outbox has status PENDING until the server has it. */
export type ViewMessage = Omit<Message, 'status'> & { status: Message['status'] | 'PENDING' };
