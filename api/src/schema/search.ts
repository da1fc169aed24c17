import type { SearchHit as Hit } from '../chat/search.ts';
import type { TextRange as Range, Snippet as SnippetValue } from '../chat/snippets.ts';
import { badInput } from '../errors.ts';
import { builder, idOf, requireViewer } from './builder.ts';
import { Message } from './messages.ts';
import { ChatSession } from './sessions.ts';

const TextRange = builder.objectRef<Range>('TextRange').implement({
  description: 'A part of a text: offsets in UTF-16 code units (JavaScript string indices).',
  fields: (t) => ({ start: t.exposeInt('start'), length: t.exposeInt('length') }),
});

const Snippet = builder.objectRef<SnippetValue>('Snippet').implement({
  description: 'Plain text around the hit and where the searched words are in it. Render the text as text; highlight the ranges.',
  fields: (t) => ({ text: t.exposeString('text'), highlights: t.field({ type: [TextRange], resolve: (s) => s.highlights }) }),
});

const SearchHit = builder.objectRef<Hit>('SearchHit').implement({
  fields: (t) => ({
    message: t.field({ type: Message, resolve: (hit) => hit.message }),
    session: t.field({ type: ChatSession, resolve: (hit) => hit.session }),
    snippet: t.field({ type: Snippet, resolve: (hit) => hit.snippet }),
  }),
});

builder.queryField('search', (t) =>
  t.connection({
    type: SearchHit,
    description:
      "Messages of the viewer's chats holding every word of the query (whole words, case ignored), newest first. The query is plain words: quotes and operators are ignored. Pages forward only (first ≤ 50, after).",
    args: { query: t.arg.string({ required: true }), botId: t.arg.id() },
    resolve: (_root, args, ctx) => {
      if (args.last != null || args.before != null) throw badInput('last', 'Search pages forward only: use first and after.');
      return ctx.app.search.search(requireViewer(ctx), {
        query: args.query,
        botId: args.botId ? idOf(args.botId, 'Bot') : null,
        first: args.first,
        after: args.after,
      });
    },
  }),
);
