// Feedback: 👍/👎 on bot replies, and what a bot's owner reads of it.
import type { AuthState } from './auth';
import { toPage } from './documents';
import { toolDocuments } from './tools';
import type { BotFeedback, Feedback, FeedbackRating, Page } from './types';

export interface ListFeedbackInput {
  botId: string;
  /** Only 👍 (UP) or only 👎 (DOWN). */
  rating?: FeedbackRating;
  /** Page size (the API caps it at 100; default 20). */
  first?: number;
  /** `pageInfo.endCursor` of the previous page. */
  after?: string;
}

/** `chat.feedback`: rating replies, and reading the ratings of one's own bots. */
export interface FeedbackApi {
  /**
   * Rates a bot reply in one of the viewer's chats, or changes the rating (one per reply).
   * @throws {@link ValidationError} for a user message (`messageId`) or a reason over 1000 characters (`reason`).
   */
  rate(messageId: string, rating: FeedbackRating, reason?: string | null): Promise<Feedback>;
  /** Takes the viewer's rating of a reply back. Resolves with the message id. */
  remove(messageId: string): Promise<string>;
  /**
   * Ratings of a bot's replies, newest first: for the bot's owner, and for admins on system bots.
   * @throws {@link AuthError} (`FORBIDDEN`) for a system bot when not an admin; {@link NotFoundError} for another user's bot.
   */
  list(input: ListFeedbackInput): Promise<Page<BotFeedback>>;
}

export function createFeedbackApi(auth: AuthState): FeedbackApi {
  return {
    async rate(messageId, rating, reason) {
      const { SetFeedbackMutation, toFeedback } = await toolDocuments();
      return toFeedback((await auth.request(SetFeedbackMutation, { messageId, rating, reason })).setFeedback);
    },
    async remove(messageId) {
      const { RemoveFeedbackMutation } = await toolDocuments();
      return (await auth.request(RemoveFeedbackMutation, { messageId })).removeFeedback;
    },
    async list({ botId, rating, first = 20, after }) {
      const { BotFeedbackQuery, toBotFeedback } = await toolDocuments();
      const { botFeedback } = await auth.request(BotFeedbackQuery, { botId, rating, first, after });
      return toPage(botFeedback, toBotFeedback);
    },
  };
}
