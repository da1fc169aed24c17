import { builder, idOf, requireViewer } from './builder.ts';

builder.prismaNode('UserMemory', {
  name: 'Memory',
  id: { field: 'id' },
  fields: (t) => ({
    bot: t.relation('bot'),
    key: t.exposeString('key', { description: 'What the fact is about ("name", "likes"); "note:…" for facts the user asked to keep.' }),
    value: t.exposeString('value'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'When a prompt last carried it.' }),
  }),
});

builder.queryField('memories', (t) =>
  t.prismaField({
    type: ['UserMemory'],
    description: 'What the bots remember about the viewer, optionally for one bot; most recently changed first.',
    args: { botId: t.arg.id() },
    resolve: (query, _root, args, ctx) => ctx.app.memories.list(requireViewer(ctx), args.botId ? idOf(args.botId, 'Bot') : null, query),
  }),
);

builder.mutationFields((t) => ({
  addMemory: t.prismaField({
    type: 'UserMemory',
    description: 'Asks a bot to remember a fact (at most 500 characters). The same text twice is one fact; beyond the per-user cap the least recently used go.',
    args: { botId: t.arg.id({ required: true }), text: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.app.memories.add(requireViewer(ctx), idOf(args.botId, 'Bot'), args.text, query),
  }),
  rememberMessage: t.prismaField({
    type: 'UserMemory',
    description: "\"Remember this\": the message's text becomes a fact for its session's bot.",
    args: { messageId: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.app.memories.addFromMessage(requireViewer(ctx), idOf(args.messageId, 'Message'), query),
  }),
  updateMemory: t.prismaField({
    type: 'UserMemory',
    args: { id: t.arg.id({ required: true }), value: t.arg.string({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.app.memories.update(requireViewer(ctx), idOf(args.id, 'Memory'), args.value, query),
  }),
  deleteMemory: t.id({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.memories.delete(requireViewer(ctx), idOf(args.id, 'Memory'));
      return args.id;
    },
  }),
  forgetMemories: t.int({
    description: 'Forgets everything the bots remember of the viewer, or what one bot does. Returns how many facts were forgotten.',
    args: { botId: t.arg.id() },
    resolve: (_root, args, ctx) => ctx.app.memories.forgetAll(requireViewer(ctx), args.botId ? idOf(args.botId, 'Bot') : null),
  }),
}));
