import { DELETE_ACCOUNT_PHRASE } from '../auth/account-deletion.ts';
import { builder, requestOrigin, requireViewer } from './builder.ts';

builder.mutationField('deleteAccount', (t) =>
  t.boolean({
    description: `Deletes the viewer's account and everything of theirs; every token of it stops working at once. Confirm with the password, or, for guests and host-site users (who have none), with the phrase "${DELETE_ACCOUNT_PHRASE}".`,
    args: { confirmation: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      await ctx.app.accountDeletion.delete(viewer, args.confirmation);
      await ctx.app.audit.record(requestOrigin(ctx), { action: 'account.deleted', target: { type: 'User', id: viewer.userId } });
      return true;
    },
  }),
);
