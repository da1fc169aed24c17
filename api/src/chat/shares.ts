// Read-only links to a chat as it stood when shared. The transcript is copied into the share, so
// nothing said later, and nothing else of the user's, is reachable through the link. One link per
// chat: sharing again replaces the snapshot and the old link stops working; revoking deletes it.
import { randomBytes } from 'node:crypto';
import type { ChatShare } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import { type Db, isForeignKeyViolation, isUniqueViolation } from '../db.ts';
import { notFound } from '../errors.ts';
import { ownSessions } from './access.ts';

export interface SharedMessage {
  role: 'USER' | 'BOT';
  text: string;
  createdAt: string;
}

/** 32 random bytes: 256 bits, base64url (43 characters). */
const newToken = () => randomBytes(32).toString('base64url');
const SHARE_TOKEN = /^[\w-]{43}$/;

export class ShareService {
  constructor(private readonly db: Db) {}

  /** Shares the viewer's session as it stands now: a new link, replacing any earlier one. */
  async share(viewer: Viewer, sessionId: string): Promise<ChatShare> {
    const session = await this.db.chatSession.findFirst({
      where: { id: sessionId, ...ownSessions(viewer) },
      select: {
        title: true,
        bot: { select: { name: true } },
        // Replies still streaming or that failed are not part of what was said.
        messages: { where: { status: { in: ['COMPLETE', 'CANCELLED'] } }, select: { role: true, text: true, createdAt: true }, orderBy: { position: 'asc' } },
      },
    });
    if (!session) throw notFound('Session');
    const snapshot = {
      token: newToken(),
      botName: session.bot.name,
      title: session.title,
      transcript: JSON.stringify(session.messages.filter((m) => m.text).map((m) => ({ ...m, createdAt: m.createdAt.toISOString() }))),
      createdAt: new Date(),
    };
    const where = { sessionId };
    try {
      return await this.db.chatShare.upsert({ where, create: { ...snapshot, userId: viewer.userId, sessionId }, update: snapshot });
    } catch (error) {
      // The session was deleted meanwhile.
      if (isForeignKeyViolation(error)) throw notFound('Session');
      // Shared twice at once: the other insert won, so this one replaces its snapshot.
      if (!isUniqueViolation(error)) throw error;
      return this.db.chatShare.update({ where, data: snapshot });
    }
  }

  /** Revokes the session's link; false when it had none. */
  async unshare(viewer: Viewer, sessionId: string): Promise<boolean> {
    const session = await this.db.chatSession.findFirst({ where: { id: sessionId, ...ownSessions(viewer) }, select: { id: true } });
    if (!session) throw notFound('Session');
    const { count } = await this.db.chatShare.deleteMany({ where: { sessionId, userId: viewer.userId } });
    return count > 0;
  }

  /** The link of one of the viewer's sessions, if shared. */
  ofSession(viewer: Viewer, sessionId: string): Promise<ChatShare | null> {
    return this.db.chatShare.findFirst({ where: { sessionId, userId: viewer.userId } });
  }

  /** What a link shows, or null for a token that is malformed, revoked or never existed. */
  async byToken(token: string): Promise<{ title: string; botName: string; createdAt: Date; messages: SharedMessage[] } | null> {
    if (!SHARE_TOKEN.test(token)) return null;
    const share = await this.db.chatShare.findUnique({ where: { token }, select: { title: true, botName: true, createdAt: true, transcript: true } });
    return share && { title: share.title, botName: share.botName, createdAt: share.createdAt, messages: JSON.parse(share.transcript) as SharedMessage[] };
  }
}
