// What an admin does to users: find them, disable or enable them, change their role, or delete
// them. Each change is audited. A disabled user's sign-ins end at once (their refresh
// tokens are revoked, and the per-request viewer check refuses their access tokens).
import type { Prisma, User } from '@multi-bot-chat/prisma/sqlite';
import type { Db } from '../db.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import type { AuditService, RequestOrigin } from './audit.ts';

export type Role = User['role'];

export interface UserSearch {
  query?: string | null;
  role?: Role | null;
  disabled?: boolean | null;
}

export class AdminUserService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    /** Ends the replies and subscriptions of sessions deleted with a user. */
    private readonly endSessions: (sessions: Array<{ id: string; userId: string }>) => Promise<void>,
  ) {}

  /** Newest first; `query` matches e-mail, name or id. `after`: the last id of the previous page. */
  search(search: UserSearch, first: number, after?: string | null): Promise<User[]> {
    const text = search.query?.trim();
    const where: Prisma.UserWhereInput = {
      role: search.role ?? undefined,
      disabledAt: search.disabled === true ? { not: null } : search.disabled === false ? null : undefined,
      ...(text ? { OR: [{ email: { contains: text.toLowerCase() } }, { name: { contains: text } }, { id: text }] } : {}),
    };
    return this.db.user.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
  }

  async setDisabled(origin: RequestOrigin, userId: string, disabled: boolean): Promise<User> {
    this.notSelf(origin, userId, disabled ? 'disable' : 'enable');
    const user = await this.update(userId, { disabledAt: disabled ? new Date() : null });
    if (disabled) await this.db.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await this.audit.record(origin, { action: disabled ? 'user.disabled' : 'user.enabled', target: { type: 'User', id: userId } });
    return user;
  }

  async setRole(origin: RequestOrigin, userId: string, role: Role): Promise<User> {
    this.notSelf(origin, userId, 'change the role of');
    const before = await this.find(userId);
    if (before.role === 'GUEST' || role === 'GUEST') throw badInput('role', 'Guests stay guests; accounts are USER or ADMIN.');
    const user = await this.update(userId, { role });
    await this.audit.record(origin, { action: 'user.role_changed', target: { type: 'User', id: userId }, details: { from: before.role, to: role } });
    return user;
  }

  /** Deletes the user with everything they own; their streaming replies stop. */
  async delete(origin: RequestOrigin, userId: string): Promise<void> {
    this.notSelf(origin, userId, 'delete');
    const sessions = await this.db.chatSession.findMany({ where: { userId }, select: { id: true, userId: true } });
    const { count } = await this.db.user.deleteMany({ where: { id: userId } });
    if (count === 0) throw notFound('User');
    await this.endSessions(sessions);
    await this.audit.record(origin, { action: 'user.deleted', target: { type: 'User', id: userId } });
  }

  async find(userId: string): Promise<User> {
    const user = await this.db.user.findUnique({ where: { id: userId } });
    if (!user) throw notFound('User');
    return user;
  }

  private async update(userId: string, data: Prisma.UserUpdateManyMutationInput): Promise<User> {
    const { count } = await this.db.user.updateMany({ where: { id: userId }, data });
    if (count === 0) throw notFound('User');
    return this.find(userId);
  }

  /** An admin cannot lock themselves out: someone else must do it. */
  private notSelf(origin: RequestOrigin, userId: string, verb: string): void {
    if (origin.actor?.userId === userId) throw forbidden(`You cannot ${verb} yourself.`);
  }
}

