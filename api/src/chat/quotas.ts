// Daily quotas: how many messages and tokens a user may spend per UTC day. Defaults come per role
// (config), a site may override them for its guests and host-site users, and a user may have their
// own; admins have none. Messages are counted when sent (atomically, in insertPair); a reply's tokens
// are known only when it ends, so they are charged then and checked before the next send: the send
// that crosses the token quota finishes, the one after it is refused.
import type { User } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { dayEnd, usageDay, usageOn } from './usage-store.ts';

type Role = User['role'];

export interface QuotaLimits {
  messagesPerDay: number;
  tokensPerDay: number;
}

export interface Usage {
  messagesToday: number;
  tokensToday: number;
  /** Null for admins, who have no quota. */
  limits: QuotaLimits | null;
  resetsAt: Date;
}

export interface QuotaOverride {
  messagesPerDay: number | null;
  tokensPerDay: number | null;
}

export class QuotaService {
  constructor(
    private readonly db: Db,
    private readonly defaults: Config['admin']['quotas'],
  ) {}

  /**
   * The limits that apply to the user now (null: none). One plain statement, since every send asks:
   * a Prisma query would add ~1 ms of query compilation to the send path (see message-store.ts).
   */
  async limitsFor(userId: string): Promise<QuotaLimits | null> {
    const [row] = await this.db.$queryRaw<Array<{ role: Role; um: number | null; ut: number | null; sm: number | null; st: number | null }>>`
      SELECT u."role", u."quotaMessagesPerDay" AS "um", u."quotaTokensPerDay" AS "ut", s."quotaMessagesPerDay" AS "sm", s."quotaTokensPerDay" AS "st"
      FROM "User" u LEFT JOIN "Site" s ON s."id" = u."siteId" WHERE u."id" = ${userId}`;
    if (!row || row.role === 'ADMIN') return null;
    const defaults = this.defaults[row.role];
    return {
      messagesPerDay: Number(row.um ?? row.sm ?? defaults.messagesPerDay),
      tokensPerDay: Number(row.ut ?? row.st ?? defaults.tokensPerDay),
    };
  }

  async usage(viewer: Viewer, now = new Date()): Promise<Usage> {
    const [limits, used] = await Promise.all([this.limitsFor(viewer.userId), usageOn(this.db, viewer.userId, usageDay(now))]);
    return { messagesToday: used.messages, tokensToday: used.tokens, limits, resetsAt: dayEnd(now) };
  }

  async setUserOverride(userId: string, quota: QuotaOverride): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { quotaMessagesPerDay: quota.messagesPerDay, quotaTokensPerDay: quota.tokensPerDay } });
  }

  async setSiteOverride(siteId: string, quota: QuotaOverride): Promise<void> {
    await this.db.site.update({ where: { id: siteId }, data: { quotaMessagesPerDay: quota.messagesPerDay, quotaTokensPerDay: quota.tokensPerDay } });
  }
}
