// /sessions: conversations with a bot, addressed by the id the client chose when creating them.
import { randomUUID } from 'node:crypto';
import type { ChatSession } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import type { SessionWithBot } from '../chat/session-store.ts';
import { createSessionInput } from '../chat/sessions.ts';
import { assertBotIdAllowsOrigin } from '../origins.ts';
import { RestError } from './errors.ts';
import { named, operation, timestamp } from './operation.ts';
import type { RestRequest } from './request.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Session = named(
  'Session',
  z.strictObject({
    id: z.string().describe("The server's id."),
    session_id: z
      .string()
      .describe('The id the client gave at creation: the {session_id} of the paths. The server id for sessions created without one (through GraphQL).'),
    bot_id: z.string(),
    title: z.string(),
    created_at: timestamp(),
    last_message_at: timestamp(),
  }),
);

const NewSession = named(
  'NewSession',
  z.strictObject({
    bot_id: z.string().max(100),
    session_id: createSessionInput.shape.clientId.describe('A UUID chosen by the client; the server picks one when it is left out.'),
    title: createSessionInput.shape.title,
  }),
  'Creating is idempotent per session_id: the same request again returns the same session.',
);

const SessionPage = z.strictObject({
  bot_id: z.string().max(100).optional().describe('Only the sessions with this bot.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

function session(row: ChatSession): z.output<typeof Session> {
  return {
    id: row.id,
    session_id: row.clientId ?? row.id,
    bot_id: row.botId,
    title: row.title,
    created_at: row.createdAt.toISOString(),
    last_message_at: row.lastMessageAt.toISOString(),
  };
}

/** The viewer's session named by {session_id}: a UUID is the client's id, anything else the server's. */
export function sessionInPath(rest: RestRequest, viewer: Viewer): Promise<SessionWithBot> {
  const id = rest.params.session_id;
  return UUID.test(id) ? rest.app.sessions.findByClientId(viewer, id) : rest.app.sessions.find(viewer, id);
}

export const sessionOperations = [
  operation({
    method: 'POST',
    path: '/sessions',
    tag: 'Sessions',
    summary: 'Start a session with a bot',
    auth: true,
    body: { schema: NewSession },
    responses: { 201: { description: 'The session (the existing one for a session_id used before).', schema: Session } },
    errors: {
      403: "The request comes from a site the bot's settings do not allow (Origin).",
      404: 'No such bot (or not yours).',
      409: 'This session_id is already used for a session with another bot.',
    },
    async handle(rest, { viewer, body }) {
      const checked = await assertBotIdAllowsOrigin(rest, viewer, body.bot_id);
      const clientId = body.session_id ?? randomUUID();
      // REST clients are not embedded in a page: they are the default site's.
      const site = await rest.app.sites.forRequest(null);
      const created = await rest.app.sessions.create(viewer, { botId: body.bot_id, clientId, title: body.title }, site, checked);
      if (created.botId !== body.bot_id) throw new RestError(409, 'This session_id is already used for a session with another bot.');
      return { status: 201, body: session(created) };
    },
  }),
  operation({
    method: 'GET',
    path: '/sessions',
    tag: 'Sessions',
    summary: 'List your sessions',
    auth: true,
    query: SessionPage,
    responses: { 200: { description: 'Newest activity first.', schema: z.array(Session) } },
    async handle(rest, { viewer, query }) {
      const rows = await rest.app.sessions.list(viewer, query.bot_id ?? null, { take: query.limit, skip: query.offset });
      return { status: 200, body: rows.map(session) };
    },
  }),
  operation({
    method: 'GET',
    path: '/sessions/{session_id}',
    tag: 'Sessions',
    summary: 'Read a session',
    auth: true,
    responses: { 200: { description: 'The session.', schema: Session } },
    async handle(rest, { viewer }) {
      return { status: 200, body: session(await sessionInPath(rest, viewer)) };
    },
  }),
  operation({
    method: 'DELETE',
    path: '/sessions/{session_id}',
    tag: 'Sessions',
    summary: 'Delete a session with its messages',
    auth: true,
    responses: { 204: { description: 'Deleted.' } },
    async handle(rest, { viewer }) {
      await rest.app.sessions.delete(viewer, (await sessionInPath(rest, viewer)).id);
      return { status: 204 };
    },
  }),
];
