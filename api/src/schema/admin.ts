// The console's operations on users, bots, quotas and the audit log: admins only. Every field here
// starts with requireAdminViewer, and test/admin/forbidden-matrix.test.ts walks the schema to check
// that a non-admin gets FORBIDDEN from each of them.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { AuditEntry } from '@multi-bot-chat/prisma/sqlite';
import { AUDIT_ACTIONS } from '../admin/audit.ts';
import { QuotaRef, Role } from './auth.ts';
import { Bot, BotInput } from './bots.ts';
import { builder, idOf, idOrNull, requestOrigin, requireAdminViewer } from './builder.ts';

const PAGE_MAX = 100;
const page = (first: number | null | undefined) => Math.min(Math.max(first ?? 50, 1), PAGE_MAX);
/** A cursor is the global id of the last row of the previous page. */
const cursorOf = (after: string | null | undefined, typename: string) => (after ? (idOrNull(after, typename) ?? undefined) : undefined);

const AuditAction = builder.enumType('AuditAction', { values: AUDIT_ACTIONS.map((a) => a.toUpperCase().replace('.', '_')) });
const toAction = (value: string) => AUDIT_ACTIONS.find((a) => a.toUpperCase().replace('.', '_') === value);

const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
  description: 'One sensitive operation: who, what, when and from where. Never message text or secrets.',
  fields: (t) => ({
    id: t.id({ resolve: (entry) => encodeGlobalID('AuditEntry', entry.id) }),
    action: t.field({ type: AuditAction, resolve: (entry) => entry.action.toUpperCase().replace('.', '_') }),
    actorId: t.id({ nullable: true, resolve: (entry) => (entry.actorId ? encodeGlobalID('User', entry.actorId) : null) }),
    actorEmail: t.exposeString('actorEmail', { nullable: true, description: 'The address typed in a failed sign-in.' }),
    targetType: t.exposeString('targetType', { nullable: true }),
    targetId: t.id({ nullable: true, resolve: (entry) => (entry.targetId && entry.targetType ? encodeGlobalID(entry.targetType, entry.targetId) : null) }),
    details: t.field({ type: 'JSON', resolve: (entry) => JSON.parse(entry.details) }),
    ip: t.exposeString('ip', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AuditFilter = builder.inputType('AuditFilter', {
  fields: (t) => ({
    action: t.field({ type: AuditAction }),
    actorId: t.id(),
    targetId: t.id(),
    since: t.field({ type: 'DateTime' }),
    until: t.field({ type: 'DateTime' }),
  }),
});

const QuotaInput = builder.inputType('QuotaInput', {
  description: 'Daily limits; null clears the override (the next level applies).',
  fields: (t) => ({ messagesPerDay: t.int(), tokensPerDay: t.int() }),
});

const quotaOf = (quota: typeof QuotaInput.$inferInput) => ({ messagesPerDay: quota.messagesPerDay ?? null, tokensPerDay: quota.tokensPerDay ?? null });

/** A global id of any type, as the database id inside it (audit filters name users, bots or sites). */
const anyId = (id: string | null | undefined) => (id ? (['User', 'Bot', 'Site'].map((type) => idOrNull(id, type)).find(Boolean) ?? id) : null);

builder.queryFields((t) => ({
  adminUsers: t.prismaField({
    type: ['User'],
    description: 'Users, newest first; `query` matches e-mail, name or id (admins only).',
    args: { query: t.arg.string(), role: t.arg({ type: Role }), disabled: t.arg.boolean(), first: t.arg.int(), after: t.arg.id() },
    resolve: (_query, _root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminUsers.search(args, page(args.first), cursorOf(args.after, 'User'));
    },
  }),
  adminBots: t.prismaField({
    type: ['Bot'],
    description: "Every bot, system and users', newest first (admins only).",
    args: { query: t.arg.string(), system: t.arg.boolean(), first: t.arg.int(), after: t.arg.id() },
    resolve: (query, _root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminBots.search(args, page(args.first), cursorOf(args.after, 'Bot'), query);
    },
  }),
  auditActions: t.field({
    type: [AuditAction],
    description: 'Every action the audit log records, for filters (admins only).',
    resolve: (_root, _args, ctx) => {
      requireAdminViewer(ctx);
      return AUDIT_ACTIONS.map((a) => a.toUpperCase().replace('.', '_'));
    },
  }),
  auditLog: t.field({
    type: [AuditEntryRef],
    description: 'Audit entries, newest first (admins only). `before`: the id of the last entry of the previous page.',
    args: { filter: t.arg({ type: AuditFilter }), first: t.arg.int(), before: t.arg.id() },
    resolve: (_root, args, ctx) => {
      requireAdminViewer(ctx);
      const filter = args.filter ?? {};
      return ctx.app.audit.list(
        { action: filter.action ? toAction(filter.action) : null, actorId: filter.actorId ? (idOrNull(filter.actorId, 'User') ?? filter.actorId) : null, targetId: anyId(filter.targetId), since: filter.since, until: filter.until },
        page(args.first),
        cursorOf(args.before, 'AuditEntry'),
      );
    },
  }),
}));

builder.mutationFields((t) => ({
  setUserDisabled: t.prismaField({
    type: 'User',
    description: "Disables (their tokens stop at once) or enables a user (admins only; not oneself).",
    args: { id: t.arg.id({ required: true }), disabled: t.arg.boolean({ required: true }) },
    resolve: (_query, _root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminUsers.setDisabled(requestOrigin(ctx), idOf(args.id, 'User'), args.disabled);
    },
  }),
  setUserRole: t.prismaField({
    type: 'User',
    description: 'Makes an account an admin or a user again (admins only; not oneself).',
    args: { id: t.arg.id({ required: true }), role: t.arg({ type: Role, required: true }) },
    resolve: (_query, _root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminUsers.setRole(requestOrigin(ctx), idOf(args.id, 'User'), args.role);
    },
  }),
  setUserQuota: t.prismaField({
    type: 'User',
    description: "Sets the user's own daily quota (admins only).",
    args: { id: t.arg.id({ required: true }), quota: t.arg({ type: QuotaInput, required: true }) },
    resolve: async (_query, _root, args, ctx) => {
      requireAdminViewer(ctx);
      const id = idOf(args.id, 'User');
      await ctx.app.quotaOverrides.setForUser(requestOrigin(ctx), id, quotaOf(args.quota));
      return ctx.app.adminUsers.find(id);
    },
  }),
  setSiteQuota: t.field({
    type: QuotaRef,
    description: "Sets the daily quota of a site's guests and host-site users (admins only).",
    args: { id: t.arg.id({ required: true }), quota: t.arg({ type: QuotaInput, required: true }) },
    resolve: (_root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.quotaOverrides.setForSite(requestOrigin(ctx), idOf(args.id, 'Site'), quotaOf(args.quota));
    },
  }),
  deleteUser: t.id({
    description: 'Deletes a user with everything they own (admins only; not oneself).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      requireAdminViewer(ctx);
      await ctx.app.adminUsers.delete(requestOrigin(ctx), idOf(args.id, 'User'));
      return args.id;
    },
  }),
  createSystemBot: t.field({
    type: Bot,
    description: 'Creates a bot every user can see (admins only).',
    args: { input: t.arg({ type: BotInput, required: true }) },
    resolve: (_root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminBots.createSystem(requestOrigin(ctx), args.input);
    },
  }),
  adminUpdateBot: t.field({
    type: Bot,
    description: "Edits any bot, system or a user's (admins only).",
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: BotInput, required: true }) },
    resolve: (_root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminBots.update(requestOrigin(ctx), idOf(args.id, 'Bot'), args.input);
    },
  }),
  setBotDisabled: t.field({
    type: Bot,
    description: 'Disables a bot (hidden from lists, refuses new messages) or enables it again (admins only).',
    args: { id: t.arg.id({ required: true }), disabled: t.arg.boolean({ required: true }) },
    resolve: (_root, args, ctx) => {
      requireAdminViewer(ctx);
      return ctx.app.adminBots.setDisabled(requestOrigin(ctx), idOf(args.id, 'Bot'), args.disabled);
    },
  }),
}));
