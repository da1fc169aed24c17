import { builder, requireViewer } from './builder.ts';

builder.queryField('models', (t) =>
  t.stringList({
    description: "The models the language-model provider offers, the server's default first: what a chat or a bot may use.",
    resolve: (_root, _args, ctx) => {
      requireViewer(ctx);
      return ctx.app.models.list();
    },
  }),
);
