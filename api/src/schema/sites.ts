// Sites: where the widget is embedded. Visitors read a site's public settings and sign in as
// guests or through the host site; admins manage sites and their keys.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { requireAdmin, type SiteView } from '../sites/sites.ts';
import { AuthPayload, QuotaRef } from './auth.ts';
import { builder, type Context, idOf, idOrNull, requestOrigin, requireAdminViewer, requireViewer } from './builder.ts';
import type { AuditAction } from '../admin/audit.ts';

const IdentityMode = builder.enumType('SiteIdentityMode', {
  description: 'How a site signs its users in: not at all, with a shared HS256 secret, a public key (PEM), or a JWKS URL.',
  values: ['NONE', 'HS256', 'PUBLIC_KEY', 'JWKS'] as const,
});

const SiteIdentity = builder.objectRef<SiteView['identity']>('SiteIdentity').implement({
  fields: (t) => ({
    mode: t.expose('mode', { type: IdentityMode }),
    algorithms: t.exposeStringList('algorithms'),
    issuer: t.exposeString('issuer', { nullable: true }),
    jwksUrl: t.exposeString('jwksUrl', { nullable: true }),
    publicKey: t.exposeString('publicKey', { nullable: true }),
    maxTokenAgeSeconds: t.exposeInt('maxTokenAgeSeconds'),
    hasSecret: t.exposeBoolean('hasSecret', { description: 'An HS256 secret is set (it is never shown).' }),
  }),
});

const siteId = (site: { id: string }) => encodeGlobalID('Site', site.id);

const Site = builder.objectRef<SiteView>('Site').implement({
  description: 'A place that embeds the widget, with its own settings (admins only).',
  fields: (t) => ({
    id: t.id({ resolve: siteId }),
    name: t.exposeString('name'),
    isDefault: t.exposeBoolean('isDefault', { description: 'Stands for embeds without a site attribute.' }),
    publicKey: t.exposeString('publicKey', { nullable: true, description: 'The current key, as in <multi-bot-chat site="pk_…">; null when revoked.' }),
    allowedOrigins: t.exposeStringList('allowedOrigins'),
    botIds: t.idList({ resolve: (site) => site.botIds.map((id) => encodeGlobalID('Bot', id)) }),
    defaultBotId: t.id({ nullable: true, resolve: (site) => (site.defaultBotId ? encodeGlobalID('Bot', site.defaultBotId) : null) }),
    allowGuests: t.exposeBoolean('allowGuests'),
    allowAccounts: t.exposeBoolean('allowAccounts'),
    identity: t.field({ type: SiteIdentity, resolve: (site) => site.identity }),
    disclosure: t.exposeString('disclosure'),
    welcome: t.exposeString('welcome'),
    quota: t.field({ type: QuotaRef, description: "Daily quota of the site's guests and host-site users.", resolve: (site) => site.quota }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

type PublicSite = SiteView & { hostSignIn: boolean };

const SiteConfig = builder.objectRef<PublicSite>('SiteConfig').implement({
  description: "A site's public settings: what the widget needs before anyone signs in.",
  fields: (t) => ({
    name: t.exposeString('name'),
    bots: t.prismaField({
      type: ['Bot'],
      description: 'The system bots the site shows.',
      resolve: (query, site, _args, ctx) => ctx.app.bots.shownBy(site, query),
    }),
    defaultBotId: t.id({ nullable: true, resolve: (site) => (site.defaultBotId ? encodeGlobalID('Bot', site.defaultBotId) : null) }),
    allowGuests: t.exposeBoolean('allowGuests'),
    allowAccounts: t.exposeBoolean('allowAccounts', { description: 'E-mail and password sign-in is offered.' }),
    hostSignIn: t.exposeBoolean('hostSignIn', { description: 'The host site signs its users in with identity tokens.' }),
    disclosure: t.exposeString('disclosure', { description: 'Shown under the composer, e.g. "You are chatting with an AI assistant".' }),
    welcome: t.exposeString('welcome'),
  }),
});

const SiteIdentityInput = builder.inputType('SiteIdentityInput', {
  fields: (t) => ({
    mode: t.field({ type: IdentityMode, required: true }),
    secret: t.string({ description: 'HS256: the shared secret, at least 32 bytes. Omit to keep the current one.' }),
    publicKey: t.string({ description: 'PUBLIC_KEY: the PEM public key (SPKI).' }),
    jwksUrl: t.string({ description: 'JWKS: the https URL of the key set.' }),
    algorithms: t.stringList({ description: 'HS256, or any of RS256, ES256, EdDSA.' }),
    issuer: t.string({ description: 'When set, tokens must carry this iss.' }),
    maxTokenAgeSeconds: t.int({ description: 'Refuse tokens issued longer ago than this (10..600, default 600).' }),
  }),
});

const SiteInput = builder.inputType('SiteInput', {
  fields: (t) => ({
    name: t.string(),
    allowedOrigins: t.stringList(),
    botIds: t.idList({ description: 'The system bots the site shows (empty: all of them).' }),
    defaultBotId: t.id(),
    allowGuests: t.boolean(),
    allowAccounts: t.boolean(),
    identity: t.field({ type: SiteIdentityInput }),
    disclosure: t.string(),
    welcome: t.string(),
  }),
});

/** The input with global bot ids turned into database ids (a wrong one stays unknown and is refused). */
function siteInput(input: typeof SiteInput.$inferInput) {
  return {
    ...input,
    botIds: input.botIds?.map((id) => idOrNull(id, 'Bot') ?? id),
    defaultBotId: input.defaultBotId ? (idOrNull(input.defaultBotId, 'Bot') ?? input.defaultBotId) : input.defaultBotId,
  };
}

async function requestSite(ctx: Context) {
  if (ctx.siteError) throw ctx.siteError;
  return ctx.site();
}

builder.queryFields((t) => ({
  siteConfig: t.field({
    type: SiteConfig,
    description: "The public settings of the site with this key (the widget's site attribute), or of the default site.",
    args: { key: t.arg.string() },
    resolve: (_root, args, ctx) => ctx.app.sites.publicConfig(args.key ?? null),
  }),
  sites: t.field({
    type: [Site],
    description: 'Every site (admins only).',
    resolve: (_root, _args, ctx) => ctx.app.sites.list(requireViewer(ctx)),
  }),
  site: t.field({
    type: Site,
    nullable: true,
    description: 'A site by id (admins only).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      requireAdmin(viewer);
      const id = idOrNull(args.id, 'Site');
      return id ? ctx.app.sites.get(viewer, id) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  startGuest: t.field({
    type: AuthPayload,
    description: 'Signs a visitor in as a guest of the request\'s site (X-MBC-Site), if the site allows guests.',
    resolve: async (_root, _args, ctx) => {
      const site = await requestSite(ctx);
      await ctx.app.limits.guardGuestStart(ctx.ip);
      return ctx.app.guests.start(site);
    },
  }),
  signInWithIdentity: t.field({
    type: AuthPayload,
    description:
      "Exchanges an identity token signed by the host site's server for our tokens. Refusals are UNAUTHENTICATED with extensions.reason.",
    args: { token: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const site = await requestSite(ctx);
      await ctx.app.limits.guardRegister(ctx.ip);
      return ctx.app.hostSignIn.signIn(site, args.token);
    },
  }),
  createSite: t.field({
    type: Site,
    description: 'Creates a site with its first key (admins only).',
    args: { input: t.arg({ type: SiteInput, required: true }) },
    resolve: async (_root, args, ctx) => audited(ctx, 'site.created', await ctx.app.sites.create(requireViewer(ctx), siteInput(args.input)), changedFields(args.input)),
  }),
  updateSite: t.field({
    type: Site,
    description: "Changes a site's settings (admins only).",
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: SiteInput, required: true }) },
    resolve: async (_root, args, ctx) =>
      audited(ctx, 'site.updated', await ctx.app.sites.update(requireAdminViewer(ctx), idOf(args.id, 'Site'), siteInput(args.input)), changedFields(args.input)),
  }),
  deleteSite: t.id({
    description: 'Deletes the site with its guests and host-site users (admins only).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireAdminViewer(ctx);
      const id = idOf(args.id, 'Site');
      await ctx.app.sites.delete(viewer, id);
      await audited(ctx, 'site.deleted', { id });
      return args.id;
    },
  }),
  rotateSiteKey: t.field({
    type: Site,
    description: 'Issues a new public key; the old one is revoked at once (admins only).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => audited(ctx, 'site.key_rotated', await ctx.app.sites.rotateKey(requireAdminViewer(ctx), idOf(args.id, 'Site'))),
  }),
  revokeSiteKey: t.field({
    type: Site,
    description: 'Revokes the current key: no new sign-ins on the site until a rotation (admins only).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => audited(ctx, 'site.key_revoked', await ctx.app.sites.revokeKey(requireAdminViewer(ctx), idOf(args.id, 'Site'))),
  }),
}));

/** Records a site change (field names only: an identity secret never reaches the log) and passes the site on. */
async function audited<T extends { id: string }>(ctx: Context, action: AuditAction, site: T, fields?: string[]): Promise<T> {
  await ctx.app.audit.record(requestOrigin(ctx), { action, target: { type: 'Site', id: site.id }, details: fields ? { fields } : {} });
  return site;
}

const changedFields = (input: Record<string, unknown>) => Object.keys(input).filter((key) => input[key] != null);
