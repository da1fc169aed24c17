// The documents of the occasional parts of the API (memory editing, search, exports, shares,
// account deletion), apart from documents.ts: only their own modules import them, and a page that uses none of
// those (the widget's first load) does without them (1 KB gzip of the widget).
import { graphql, type ResultOf } from './graphql';
import { MemoryFields, MessageFields, PageInfoFields, SessionFields, toMessage, toSession } from './documents';
import type { ChatShare, SearchHit } from './types';

// memory editing

export const AddMemoryMutation = graphql(
  `
  mutation AddMemory($botId: ID!, $text: String!) { addMemory(botId: $botId, text: $text) { ...MemoryFields } }
`,
  [MemoryFields],
);

export const RememberMessageMutation = graphql(
  `
  mutation RememberMessage($messageId: ID!) { rememberMessage(messageId: $messageId) { ...MemoryFields } }
`,
  [MemoryFields],
);

export const UpdateMemoryMutation = graphql(
  `
  mutation UpdateMemory($id: ID!, $value: String!) { updateMemory(id: $id, value: $value) { ...MemoryFields } }
`,
  [MemoryFields],
);

export const ForgetMemoriesMutation = graphql(`
  mutation ForgetMemories($botId: ID) { forgetMemories(botId: $botId) }
`);



// account

export const DeleteAccountMutation = graphql(`
  mutation DeleteAccount($confirmation: String!) { deleteAccount(confirmation: $confirmation) }
`);

// search

export const SearchQuery = graphql(
  `
  query Search($query: String!, $botId: ID, $first: Int, $after: String) {
    search(query: $query, botId: $botId, first: $first, after: $after) {
      edges { node { message { ...MessageFields } session { ...SessionFields } snippet { text highlights { start length } } } }
      pageInfo { ...PageInfoFields }
    }
  }
`,
  [MessageFields, SessionFields, PageInfoFields],
);

// export

export const ExportSessionQuery = graphql(`
  query ExportSession($id: ID!, $format: ExportFormat!) { exportSession(id: $id, format: $format) { filename mimeType content } }
`);

export const ExportMyDataQuery = graphql(`
  query ExportMyData { exportMyData { filename mimeType content } }
`);

// shares

export const ShareFields = graphql(`
  fragment ShareFields on ChatShare { url title createdAt }
`);

export const SessionShareQuery = graphql(
  `
  query SessionShare($id: ID!) { session(id: $id) { id share { ...ShareFields } } }
`,
  [ShareFields],
);

export const ShareSessionMutation = graphql(
  `
  mutation ShareSession($id: ID!) { shareSession(id: $id) { ...ShareFields } }
`,
  [ShareFields],
);

export const UnshareSessionMutation = graphql(`
  mutation UnshareSession($id: ID!) { unshareSession(id: $id) }
`);

export const toShare = (share: ResultOf<typeof ShareFields>): ChatShare => ({ ...share });

type SearchNode = ResultOf<typeof SearchQuery>['search']['edges'][number]['node'];
export const toSearchHit = ({ message, session, snippet }: SearchNode): SearchHit => ({
  message: toMessage(message),
  session: toSession(session),
  snippet: { text: snippet.text, highlights: snippet.highlights.map((range) => ({ ...range })) },
});
