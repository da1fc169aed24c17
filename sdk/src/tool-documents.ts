// The documents of the conversation tools (regenerate, edit, branches, delete, fork, feedback, the
// model per chat), made on first use (tools.ts): the graphql tag and the shared fragments come in as
// arguments, so that nothing here runs until a tool is used.
import type { ResultOf } from 'gql.tada';
import type { MessageFields, PageInfoFields, SessionFields } from './documents';
import type { graphql as Graphql } from './graphql';
import type { BotFeedback, Feedback, HistoryMessage } from './types';

export interface SharedFragments {
  MessageFields: typeof MessageFields;
  SessionFields: typeof SessionFields;
  PageInfoFields: typeof PageInfoFields;
}

export function toolDocuments(graphql: typeof Graphql, { MessageFields, SessionFields, PageInfoFields }: SharedFragments) {
  // What history and the branch operations add to a message; events leave it out (a query each).
  const MessageToolsFields = graphql(`
    fragment MessageToolsFields on Message { variants myFeedback { rating reason } }
  `);
  const FeedbackFields = graphql(`
    fragment FeedbackFields on Feedback { rating reason createdAt updatedAt }
  `);
  type FeedbackResult = ResultOf<typeof FeedbackFields>;
  const toFeedback = (feedback: FeedbackResult): Feedback => ({ ...feedback });

  return {
    MessageToolsFields,
    FeedbackFields,
    toHistoryMessage: ({
      variants,
      myFeedback,
      ...message
    }: ResultOf<typeof MessageFields> & ResultOf<typeof MessageToolsFields>): HistoryMessage => ({
      ...message,
      variants: [...variants],
      feedback: myFeedback ? { rating: myFeedback.rating, reason: myFeedback.reason } : null,
    }),
    HistoryWithToolsQuery: graphql(
      `
      query HistoryWithTools($sessionId: ID!, $last: Int, $before: String) {
        session(id: $sessionId) {
          id
          messages(last: $last, before: $before) {
            edges { node { ...MessageFields ...MessageToolsFields } }
            pageInfo { ...PageInfoFields }
          }
        }
      }
    `,
      [MessageFields, MessageToolsFields, PageInfoFields],
    ),
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
