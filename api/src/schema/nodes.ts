// node(id) and nodes(ids): any object by its global ID, as the viewer may see it. Ids are grouped
// by type and each type is read with one query scoped to the viewer, so a request costs one query
// per type whatever the number of ids; the list is capped so that no single request can be made
// arbitrarily expensive. Garbage, ids of types the schema does not expose, and other users'
// objects all read as null, exactly like a missing object.
import { brandWithType } from '@pothos/core';
import { ownMessages } from '../chat/message-store.ts';
import { clientError } from '../errors.ts';
import type { Viewer } from '../auth/viewer.ts';
import { builder, type Context, decodeId, optionalViewer } from './builder.ts';

export const MAX_NODE_IDS = 100;

type Loader = (ctx: Context, viewer: Viewer, ids: string[]) => Promise<Array<{ id: string }>>;

/** The types node(id) can return, by the name their global IDs carry. */
const LOADERS: Record<string, Loader> = {
  User: (ctx, viewer, ids) => ctx.app.auth.byIds(viewer, ids),
  Bot: (ctx, viewer, ids) => ctx.app.bots.byIds(viewer, ids),
  ChatSession: (ctx, viewer, ids) => ctx.app.sessions.byIds(viewer, ids),
  Message: (ctx, viewer, ids) => ownMessages(ctx.app.db, viewer, ids),
  Memory: (ctx, viewer, ids) => ctx.app.memories.byIds(viewer, ids),
};

async function loadNodes(ctx: Context, globalIds: readonly string[]): Promise<Array<object | null>> {
  if (globalIds.length > MAX_NODE_IDS) {
    throw clientError('QUERY_TOO_COMPLEX', `Ask for at most ${MAX_NODE_IDS} ids at once.`, { field: 'ids', max: MAX_NODE_IDS });
  }
  const viewer = optionalViewer(ctx);
  const decoded = globalIds.map((globalId) => decodeId(globalId));
  if (!viewer) return decoded.map(() => null);
  const byType = new Map<string, Set<string>>();
  for (const entry of decoded) {
    if (!entry || !(entry.typename in LOADERS)) continue;
    if (!byType.has(entry.typename)) byType.set(entry.typename, new Set());
    byType.get(entry.typename)!.add(entry.id);
  }
  const found = new Map<string, object>();
  await Promise.all(
    [...byType].map(async ([typename, ids]) => {
      for (const row of await LOADERS[typename](ctx, viewer, [...ids])) {
        brandWithType(row, typename as never); // the Node interface resolves the type from this brand
        found.set(`${typename}:${row.id}`, row);
      }
    }),
  );
  return decoded.map((entry) => (entry ? (found.get(`${entry.typename}:${entry.id}`) ?? null) : null));
}

const Node = builder.nodeInterfaceRef();

builder.queryFields((t) => ({
  node: t.field({
    type: Node,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => (await loadNodes(ctx, [args.id]))[0] as never,
  }),
  nodes: t.field({
    type: [Node],
    nullable: { list: false, items: true },
    description: `At most ${MAX_NODE_IDS} ids per request.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, args, ctx) => loadNodes(ctx, args.ids) as never,
  }),
}));
