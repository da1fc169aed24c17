// viewerEvents: the events of all the viewer's sessions over one subscription, so that a browser
// needs one event connection whatever the number of chats and tabs (HTTP/1.1 allows 6 per origin).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { filter, pipe } from 'graphql-yoga';
import type { SessionEvent } from '../chat/events.ts';
import { badInput } from '../errors.ts';
import { assertBotAllowsOrigin } from '../origins.ts';
import { builder, type Context, idOf, requireViewer } from './builder.ts';
import { SessionEventType } from './messages.ts';

/** More than a browser follows at once; a bigger list is a mistake, not a use. */
const MAX_SESSION_IDS = 100;

interface ViewerEventValue {
  sessionId: string;
  event: SessionEvent;
}

const ViewerEvent = builder.objectRef<ViewerEventValue>('ViewerEvent').implement({
  description: 'An event of one of the viewer’s sessions.',
  fields: (t) => ({
    sessionId: t.id({ resolve: (e) => encodeGlobalID('ChatSession', e.sessionId) }),
    event: t.field({ type: SessionEventType, resolve: (e) => e.event }),
  }),
});

builder.subscriptionField('viewerEvents', (t) =>
  t.field({
    type: ViewerEvent,
    description:
      'Events of the viewer’s sessions, each naming its session: all of them, or those in sessionIds.\n' +
      'Resume a message after a reconnect from its stored text and seq, as with sessionEvents.',
    args: { sessionIds: t.arg.idList({ required: false }) },
    subscribe: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      if (args.sessionIds && args.sessionIds.length > MAX_SESSION_IDS) {
        throw badInput('sessionIds', `At most ${MAX_SESSION_IDS} sessions per subscription.`);
      }
      const sessions = sessionCheck(ctx);
      const followed = args.sessionIds ? new Set(args.sessionIds.map((id) => idOf(id, 'ChatSession', 'Session'))) : null;
      // Named sessions are checked before the stream opens: another user's id is NOT_FOUND, like a missing one.
      if (followed) for (const id of followed) await sessions.verify(id);
      return pipe(
        ctx.app.pubsub.subscribe('viewerEvents', viewer.userId),
        filter(async ({ sessionId, event }: ViewerEventValue) => {
          if (followed && !followed.has(sessionId)) return false;
          // A deleted session can no longer be looked up; the owner's topic carried it, and it passes unless refused before.
          return event.kind === 'SessionDeleted' ? sessions.forget(sessionId) : sessions.allows(sessionId);
        }),
      );
    },
    resolve: (value) => value,
  }),
);

/**
 * Whether a session's events may reach this subscriber: the viewer's own session, of a bot that
 * allows the requesting site. Every event passes `allows`; each session is looked up once per subscription.
 */
function sessionCheck(ctx: Context) {
  const known = new Map<string, Promise<boolean>>();
  /** Throws NOT_FOUND or FORBIDDEN like sessionEvents does. */
  const verify = async (sessionId: string): Promise<void> => {
    const session = await ctx.app.sessions.find(requireViewer(ctx), sessionId);
    assertBotAllowsOrigin(ctx, session.bot);
    known.set(sessionId, Promise.resolve(true));
  };
  const allows = (sessionId: string): Promise<boolean> => {
    let verdict = known.get(sessionId);
    if (!verdict) {
      verdict = verify(sessionId).then(
        () => true,
        () => false,
      );
      known.set(sessionId, verdict);
    }
    return verdict;
  };
  /** A deleted session: true unless its events were refused before; its verdict is dropped. */
  const forget = async (sessionId: string): Promise<boolean> => {
    const verdict = known.get(sessionId);
    known.delete(sessionId);
    return (await verdict) !== false;
  };
  return { verify, allows, forget };
}
