// The models a chat can use: what the provider offers, and a chat's own choice among them.
import type { ChatSession } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { badInput, clientError, notFound } from '../errors.ts';
import type { LlmProvider } from '../llm/types.ts';
import { ownSessions } from './access.ts';

/** Providers change their lists rarely; one listing a minute keeps the editor fast and the provider unbothered. */
const LIST_TTL_MS = 60_000;

export class ModelService {
  private cached: { at: number; ids: Promise<string[]> } | null = null;

  constructor(private readonly deps: { db: Db; llm: LlmProvider; defaultModel: string }) {}

  /** The provider's models, the configured default first. */
  async list(): Promise<string[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > LIST_TTL_MS) {
      const ids = this.deps.llm.listModels();
      this.cached = { at: now, ids };
      ids.catch(() => (this.cached = null)); // a failed listing is asked again next time
    }
    let ids: string[];
    try {
      ids = await this.cached.ids;
    } catch {
      throw clientError('UNAVAILABLE', 'The language model provider did not say which models it offers. Try again later.');
    }
    const { defaultModel } = this.deps;
    return ids.includes(defaultModel) ? [defaultModel, ...ids.filter((id) => id !== defaultModel)] : ids;
  }

  /** Makes a chat use `model` (one the provider offers) instead of its bot's; null goes back to the bot's. */
  async chooseForSession(viewer: Viewer, sessionId: string, model: string | null): Promise<ChatSession> {
    const { db } = this.deps;
    const session = await db.chatSession.findFirst({ where: { id: sessionId, ...ownSessions(viewer) } });
    if (!session) throw notFound('Session');
    const chosen = model === null ? null : model.trim();
    if (chosen !== null && !(await this.list()).includes(chosen)) throw badInput('model', 'This model is not offered by the provider.');
    const { count } = await db.chatSession.updateMany({ where: { id: session.id, ...ownSessions(viewer) }, data: { model: chosen } });
    if (count === 0) throw notFound('Session'); // deleted meanwhile
    return { ...session, model: chosen };
  }
}
