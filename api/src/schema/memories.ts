import { builder, idOf, requireViewer } from './builder.ts';

builder.prismaNode('UserMemory', {
  name: 'Memory',
  id: { field: 'id' },
  fields: (t) => ({
    bot: t.relation('bot'),
    key: t.exposeString('key'),
    value: t.exposeString('value'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

builder.queryField('memories', (t) =>
  t.prismaField({
    type: ['UserMemory'],
    description: 'What the bots remember about the viewer, optionally for one bot.',
    args: { botId: t.arg.id() },
    resolve: (query, _root, args, ctx) => ctx.app.memories.list(requireViewer(ctx), args.botId ? idOf(args.botId, 'Bot') : null, query),
  }),
);

builder.mutationField('deleteMemory', (t) =>
  t.id({
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await ctx.app.memories.delete(requireViewer(ctx), idOf(args.id, 'Memory'));
      return args.id;
    },
  }),
);
