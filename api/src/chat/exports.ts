// Taking data out: one chat as Markdown or JSON (the widget's "Export"), and everything stored about
// the viewer as one JSON document (the GDPR right of access). Secrets (password hashes, token
// hashes, site secrets) are never part of an export.
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';
import { ownMemories, ownSessions } from './access.ts';

export type ExportFormat = 'MARKDOWN' | 'JSON';

export interface ExportFile {
  filename: string;
  mimeType: string;
  content: string;
}

const MESSAGE_FIELDS = { id: true, position: true, role: true, text: true, status: true, model: true, createdAt: true } as const;

/** A file name made of the title's letters and digits, so that no title can name a path. */
const fileStem = (title: string) =>
  title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .toLowerCase() || 'chat';

export class ExportService {
  constructor(private readonly db: Db) {}

  async session(viewer: Viewer, sessionId: string, format: ExportFormat): Promise<ExportFile> {
    const session = await this.db.chatSession.findFirst({
      where: { id: sessionId, ...ownSessions(viewer) },
      include: { bot: { select: { name: true } }, messages: { select: MESSAGE_FIELDS, orderBy: { position: 'asc' } } },
    });
    if (!session) throw notFound('Session');
    const stem = fileStem(session.title);
    if (format === 'JSON') {
      const { id, title, createdAt, bot, messages } = session;
      return { filename: `${stem}.json`, mimeType: 'application/json', content: JSON.stringify({ id, title, bot: bot.name, createdAt, messages }, null, 2) };
    }
    const lines = [`# ${session.title}`, '', `Chat with ${session.bot.name}, started ${session.createdAt.toISOString()}.`];
    for (const message of session.messages) {
      const who = message.role === 'USER' ? 'You' : session.bot.name;
      const state = message.status === 'COMPLETE' ? '' : ` (${message.status.toLowerCase()})`;
      lines.push('', `**${who}** · ${message.createdAt.toISOString()}${state}`, '', message.text);
    }
    return { filename: `${stem}.md`, mimeType: 'text/markdown', content: `${lines.join('\n')}\n` };
  }

  /** Everything stored about the viewer, as one JSON document. */
  async everything(viewer: Viewer): Promise<ExportFile> {
    const [user, bots, sessions, memories, shares, identities] = await Promise.all([
      this.db.user.findUniqueOrThrow({ where: { id: viewer.userId }, select: { id: true, email: true, name: true, role: true, createdAt: true, lastActiveAt: true } }),
      this.db.bot.findMany({
        where: { ownerId: viewer.userId },
        select: { id: true, slug: true, name: true, description: true, avatar: true, model: true, systemPrompt: true, temperature: true, settings: true, createdAt: true },
      }),
      this.db.chatSession.findMany({
        where: ownSessions(viewer),
        select: { id: true, title: true, createdAt: true, bot: { select: { id: true, name: true } }, messages: { select: MESSAGE_FIELDS, orderBy: { position: 'asc' } } },
        orderBy: { createdAt: 'asc' },
      }),
      this.db.userMemory.findMany({ where: ownMemories(viewer), select: { id: true, botId: true, key: true, value: true, createdAt: true, updatedAt: true, lastUsedAt: true } }),
      this.db.chatShare.findMany({ where: { userId: viewer.userId }, select: { sessionId: true, title: true, createdAt: true } }),
      this.db.externalIdentity.findMany({ where: { userId: viewer.userId }, select: { subject: true, email: true, createdAt: true, site: { select: { name: true } } } }),
    ]);
    const document = { exportedAt: new Date(), user, identities, bots, sessions, memories, shares };
    return { filename: 'my-data.json', mimeType: 'application/json', content: JSON.stringify(document, null, 2) };
  }
}
