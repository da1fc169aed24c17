import type { ExportFile as File } from '../chat/exports.ts';
import { builder, idOf, requestOrigin, requireViewer } from './builder.ts';

const ExportFormat = builder.enumType('ExportFormat', { values: ['MARKDOWN', 'JSON'] as const });

const ExportFile = builder.objectRef<File>('ExportFile').implement({
  description: 'A file to save: its suggested name, media type and content.',
  fields: (t) => ({ filename: t.exposeString('filename'), mimeType: t.exposeString('mimeType'), content: t.exposeString('content') }),
});

builder.queryFields((t) => ({
  exportSession: t.field({
    type: ExportFile,
    description: "One of the viewer's chats as Markdown or JSON.",
    args: { id: t.arg.id({ required: true }), format: t.arg({ type: ExportFormat, required: true }) },
    resolve: (_root, args, ctx) => ctx.app.exports.session(requireViewer(ctx), idOf(args.id, 'ChatSession', 'Session'), args.format),
  }),
  exportMyData: t.field({
    type: ExportFile,
    description: 'Everything stored about the viewer (account, bots, chats, memories, shares) as one JSON file: the GDPR right of access.',
    resolve: async (_root, _args, ctx) => {
      const viewer = requireViewer(ctx);
      const file = await ctx.app.exports.everything(viewer);
      await ctx.app.audit.record(requestOrigin(ctx), { action: 'account.exported', target: { type: 'User', id: viewer.userId } });
      return file;
    },
  }),
}));
