// The documents of the conversation tools (regenerate, edit, branches, delete, fork, feedback, the
// model per chat), made on first use. This module has no runtime imports: the graphql tag and the
// shared fragments come in as arguments, so a bundler can load it as a chunk of its own: the widget
// keeps these documents (0.7 KB gzip, rarely needed) out of its first load.
import type { ResultOf } from 'gql.tada';
import type { MessageFields, MessageToolsFields, PageInfoFields, SessionFields } from './documents';
import type { graphql as Graphql } from './graphql';
import type { BotFeedback, Feedback } from './types';

export interface SharedFragments {
  MessageFields: typeof MessageFields;
  MessageToolsFields: typeof MessageToolsFields;
  SessionFields: typeof SessionFields;
  PageInfoFields: typeof PageInfoFields;
}

export function toolDocuments(graphql: typeof Graphql, { MessageFields, MessageToolsFields, SessionFields, PageInfoFields }: SharedFragments) {
  const FeedbackFields = graphql(`
    fragment FeedbackFields on Feedback { rating reason createdAt updatedAt }
  `);
  type FeedbackResult = ResultOf<typeof FeedbackFields>;
  const toFeedback = (feedback: FeedbackResult): Feedback => ({ ...feedback });

  return {
    FeedbackFields,
    toFeedback,
    toBotFeedback: ({ message, ...feedback }: FeedbackResult & { message: { id: string; sessionId: string; text: string } }): BotFeedback => ({
      ...toFeedback(feedback),
      messageId: message.id,
      sessionId: message.sessionId,
      messageText: message.text,
    }),

    RegenerateReplyMutation: graphql(
      `
      mutation RegenerateReply($messageId: ID!) { regenerateReply(messageId: $messageId) { ...MessageFields ...MessageToolsFields } }
    `,
      [MessageFields, MessageToolsFields],
    ),
    EditMessageMutation: graphql(
      `
      mutation EditMessage($messageId: ID!, $text: String!) {
        editMessage(messageId: $messageId, text: $text) {
          userMessage { ...MessageFields ...MessageToolsFields }
          botMessage { ...MessageFields ...MessageToolsFields }
        }
      }
    `,
      [MessageFields, MessageToolsFields],
    ),
    SelectVariantMutation: graphql(
      `
      mutation SelectVariant($messageId: ID!) { selectVariant(messageId: $messageId) { ...MessageFields ...MessageToolsFields } }
    `,
      [MessageFields, MessageToolsFields],
    ),
    DeleteMessageMutation: graphql(`
      mutation DeleteMessage($messageId: ID!) { deleteMessage(messageId: $messageId) }
    `),

    ForkSessionMutation: graphql(
      `
      mutation ForkSession($messageId: ID!) { forkSession(messageId: $messageId) { ...SessionFields } }
    `,
      [SessionFields],
    ),
    SetSessionModelMutation: graphql(
      `
      mutation SetSessionModel($id: ID!, $model: String) { setSessionModel(id: $id, model: $model) { ...SessionFields } }
    `,
      [SessionFields],
    ),
    ModelsQuery: graphql(`
      query Models { models }
    `),

    SetFeedbackMutation: graphql(
      `
      mutation SetFeedback($messageId: ID!, $rating: FeedbackRating!, $reason: String) {
        setFeedback(messageId: $messageId, rating: $rating, reason: $reason) { ...FeedbackFields }
      }
    `,
      [FeedbackFields],
    ),
    RemoveFeedbackMutation: graphql(`
      mutation RemoveFeedback($messageId: ID!) { removeFeedback(messageId: $messageId) }
    `),
    BotFeedbackQuery: graphql(
      `
      query BotFeedback($botId: ID!, $rating: FeedbackRating, $first: Int, $after: String) {
        botFeedback(botId: $botId, rating: $rating, first: $first, after: $after) {
          edges { node { ...FeedbackFields message { id sessionId text } } }
          pageInfo { ...PageInfoFields }
        }
      }
    `,
      [FeedbackFields, PageInfoFields],
    ),
  };
}

export type ToolDocuments = ReturnType<typeof toolDocuments>;
