// The one schema builder: plugins, context, scalars and root types. Domain types live in their own files.
import type PrismaTypes from '@multi-bot-chat/prisma/pothos-types';
import { getDatamodel } from '@multi-bot-chat/prisma/pothos-types';
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin, { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLError } from 'graphql';
import type { App } from '../app.ts';
import { warnOnUnusedQueries } from '../config.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { RequestOrigin } from '../admin/audit.ts';
import { type RequestSite, requireAdmin } from '../sites/sites.ts';
import { badInput, notFound, unauthenticated } from '../errors.ts';

export interface Context {
  app: App;
  viewer: Viewer | null;
  /** Set when the request carried a bad token: raised by the first field that needs a viewer. */
  authError?: GraphQLError;
  /** The site the request comes from (X-MBC-Site, the token's site, or the default site), read once. */
  site: () => Promise<RequestSite>;
  /** Set when the request must be refused for its site: raised like authError. */
  siteError?: GraphQLError;
  requestId: string;
  /** The client's address (from X-Forwarded-For only when TRUST_PROXY is on). */
  ip: string;
  request: Request;
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
    ID: { Input: string; Output: string };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [RelayPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // node and nodes are defined in nodes.ts: looked up scoped to the viewer, one query per type.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    nodeTypeOptions: {},
    pageInfoTypeOptions: {},
    mutationInputArgOptions: {},
    clientMutationIdInputOptions: {},
    clientMutationIdFieldOptions: {},
  },
  prisma: {
    client: (ctx) => ctx.app.db,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    defaultConnectionSize: 20,
    maxConnectionSize: 100,
    onUnusedQuery: warnOnUnusedQueries ? 'warn' : null,
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date and time in UTC.',
  // Events that crossed Redis carry dates as strings; both serialize the same.
  serialize: (value) => new Date(value).toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw badInput('DateTime', 'Not an ISO-8601 date.');
    return date;
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

/** The viewer, or null when the request carries no token; a bad token or a refused site throws. */
export function optionalViewer(ctx: Context): Viewer | null {
  if (ctx.siteError) throw ctx.siteError;
  if (ctx.authError) throw ctx.authError;
  return ctx.viewer;
}

export function requireViewer(ctx: Context): Viewer {
  const viewer = optionalViewer(ctx);
  if (!viewer) throw unauthenticated();
  return viewer;
}

/** The viewer, who must be an admin: FORBIDDEN for anyone else (UNAUTHENTICATED without a token). */
export function requireAdminViewer(ctx: Context): Viewer {
  const viewer = requireViewer(ctx);
  requireAdmin(viewer);
  return viewer;
}

/** Who is asking and from where, for the audit log. */
export function requestOrigin(ctx: Context, actorEmail?: string): RequestOrigin {
  return { actor: ctx.viewer, actorEmail, ip: ctx.ip, userAgent: ctx.request.headers.get('user-agent') };
}

/** The database id inside a global ID of the expected type; anything else is not found. */
export function idOf(globalId: string, typename: string, what: string = typename): string {
  const id = idOrNull(globalId, typename);
  if (id === null) throw notFound(what);
  return id;
}

/** For nullable lookups: an ID of another type, or no ID at all, finds nothing. */
export function idOrNull(globalId: string, typename: string): string | null {
  const decoded = decodeId(globalId);
  return decoded?.typename === typename ? decoded.id : null;
}

/** The type and database id inside a global ID, or null for anything that is not one. */
export function decodeId(globalId: string): { typename: string; id: string } | null {
  try {
    const { typename, id } = decodeGlobalID(globalId);
    return typename && id ? { typename, id } : null;
  } catch {
    return null;
  }
}
