// The audit log: who did what, when and from where, for the operations an owner must be able to
// account for (sign-ins, role and quota changes, bot and site changes, key rotations …). Entries
// hold ids, field names and small settings — never message text, passwords, tokens or secrets.
import type { AuditEntry, Prisma } from '@multi-bot-chat/prisma/sqlite';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';

/** Where a request came from; every audited call carries it. */
export interface RequestOrigin {
  actor: Pick<Viewer, 'userId'> | null;
  /** For attempts by someone not signed in (a failed sign-in): the address they typed. */
  actorEmail?: string;
  ip: string;
  userAgent: string | null;
}

export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.password_changed',
  'account.deleted',
  'account.exported',
  'bot.created',
  'bot.updated',
  'bot.deleted',
  'bot.disabled',
  'bot.enabled',
  'site.created',
  'site.updated',
  'site.deleted',
  'site.key_rotated',
  'site.key_revoked',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'quota.changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEvent {
  action: AuditAction;
  target?: { type: 'User' | 'Bot' | 'Site'; id: string };
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: AuditAction | null;
  actorId?: string | null;
  targetId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

const USER_AGENT_MAX = 300;

export class AuditService {
  constructor(private readonly db: Db) {}

  async record(origin: RequestOrigin, event: AuditEvent): Promise<void> {
    await this.db.auditEntry.create({
      data: {
        action: event.action,
        actorId: origin.actor?.userId ?? null,
        actorEmail: origin.actorEmail ?? null,
        targetType: event.target?.type ?? null,
        targetId: event.target?.id ?? null,
        details: JSON.stringify(event.details ?? {}),
        ip: origin.ip,
        userAgent: origin.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      },
    });
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(filter: AuditFilter, first: number, before?: string | null): Promise<AuditEntry[]> {
    const where: Prisma.AuditEntryWhereInput = {
      action: filter.action ?? undefined,
      actorId: filter.actorId ?? undefined,
      targetId: filter.targetId ?? undefined,
      createdAt: { gte: filter.since ?? undefined, lte: filter.until ?? undefined },
    };
    return this.db.auditEntry.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first,
      ...(before ? { cursor: { id: before }, skip: 1 } : {}),
    });
  }

  /** Deletes entries older than the retention; returns how many. */
  async sweep(retentionMs: number, now = new Date()): Promise<number> {
    const { count } = await this.db.auditEntry.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - retentionMs) } } });
    return count;
  }
}
