import { historyPage, positionOf } from '../chat/message-sql.ts';
import { createSession, deleteSession, renameSession } from '../chat/sessions.ts';
import { assertBotIdAllowsOrigin } from '../origins.ts';
import { builder, idOf, idOrNull, requireViewer } from './builder.ts';

export const ChatSession = builder.prismaNode('ChatSession', {
  id: { field: 'id' },
  // node(id) finds only the viewer's own sessions.
  findUnique: (id, ctx) => ({ id, userId: ctx.viewer?.userId ?? '' }),
  fields: (t) => ({
    bot: t.relation('bot'),
    clientId: t.exposeString('clientId', { nullable: true }),
    title: t.exposeString('title'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastMessageAt: t.expose('lastMessageAt', { type: 'DateTime' }),
    // Its own top-level query with the cursor as a range condition, not Prisma's nested include or
    // `cursor` argument: with the query compiler both read the whole history and page it in memory
    // (a nested relation ignores take in SQL; cursor + negative take runs with LIMIT -1), which made
    // the newest page of a 100,000-message session take seconds. This way every page, newest or
    // deep, is one index range scan on (sessionId, position) of at most page + 1 rows.
    messages: t.prismaConnection({
      type: 'Message',
      cursor: 'id',
      // Plain SQL (chat/message-sql.ts): a page is read on every open and scroll; Message has no
      // relations, so the query argument holds only the page size and cursor.
      resolve: async (query, session, _args, ctx) => {
        const take = query.take ?? 0;
        if (!query.cursor) return historyPage(ctx.app.db, session.id, take);
        const at = await positionOf(ctx.app.db, session.id, String(query.cursor.id));
        if (at === null) return [];
        // The cursor's own row is excluded, as Prisma's cursor with skip: 1 did.
        return historyPage(ctx.app.db, session.id, take, take < 0 ? { lt: at } : { gt: at });
      },
    }),
  }),
});

builder.queryFields((t) => ({
  sessions: t.prismaConnection({
    type: 'ChatSession',
    cursor: 'id',
    description: "The viewer's sessions, newest activity first.",
    args: { botId: t.arg.id() },
    resolve: (query, _root, args, ctx) =>
      ctx.app.db.chatSession.findMany({
        ...query,
        where: { userId: requireViewer(ctx).userId, ...(args.botId ? { botId: idOf(args.botId, 'Bot') } : {}) },
        orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  session: t.prismaField({
    type: 'ChatSession',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const id = idOrNull(args.id, 'ChatSession');
      return id ? ctx.app.db.chatSession.findFirst({ ...query, where: { id, userId: viewer.userId } }) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  createSession: t.field({
    type: ChatSession,
    description: 'Idempotent per (viewer, clientId): creating again with the same clientId returns the same session.',
    args: { botId: t.arg.id({ required: true }), clientId: t.arg.string(), title: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const botId = idOf(args.botId, 'Bot');
      const checked = await assertBotIdAllowsOrigin(ctx, viewer, botId);
      return createSession(ctx.app.db, viewer, { ...args, botId }, checked);
    },
  }),
  renameSession: t.field({
    type: ChatSession,
    args: { id: t.arg.id({ required: true }), title: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) =>
      renameSession(ctx.app.db, requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session'), args.title),
  }),
  deleteSession: t.id({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteSession(ctx.app.db, requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session'));
      return args.id;
    },
  }),
}));
