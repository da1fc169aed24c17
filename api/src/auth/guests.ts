// Guests: visitors of a site that allows it chat at once, as an anonymous user (role GUEST) with
// the same tokens as anyone. Their data is deleted after GUEST_RETENTION without activity; a guest
// who creates an account or signs in keeps every chat.
import type { Config } from '../config.ts';
import type { Db } from '../db.ts';
import { forbidden } from '../errors.ts';
import type { RequestSite } from '../sites/sites.ts';
import { type AuthResult, startSignIn } from './sign-in.ts';
import type { Viewer } from './viewer.ts';

export class GuestService {
  constructor(
    private readonly db: Db,
    private readonly auth: Config['auth'],
  ) {}

  /** A new guest of the site, signed in. */
  async start(site: RequestSite): Promise<AuthResult> {
    if (!site.allowGuests) throw forbidden('This site does not let guests chat. Sign in instead.');
    const user = await this.db.user.create({ data: { role: 'GUEST', siteId: site.id } });
    return startSignIn(this.db, this.auth, user);
  }

  /**
   * The guest signed in to an account (`accountId`): their sessions and memories move to it in one
   * transaction, and the guest is deleted, which ends its sign-ins and tokens at once. A memory the
   * account already has (same bot and key) is kept as the account's; a session whose client id the
   * account already uses keeps its messages but loses that id.
   */
  async adopt(guest: Viewer, accountId: string): Promise<void> {
    if (guest.role !== 'GUEST' || guest.userId === accountId) return;
    await this.db.$transaction(async (tx) => {
      const taken = await tx.chatSession.findMany({ where: { userId: accountId, clientId: { not: null } }, select: { clientId: true } });
      await tx.chatSession.updateMany({
        where: { userId: guest.userId, clientId: { in: taken.map((s) => s.clientId!) } },
        data: { clientId: null },
      });
      await tx.chatSession.updateMany({ where: { userId: guest.userId }, data: { userId: accountId } });
      const known = await tx.userMemory.findMany({ where: { userId: accountId }, select: { botId: true, key: true } });
      for (const { botId, key } of known) await tx.userMemory.deleteMany({ where: { userId: guest.userId, botId, key } });
      await tx.userMemory.updateMany({ where: { userId: guest.userId }, data: { userId: accountId } });
      await tx.user.deleteMany({ where: { id: guest.userId, role: 'GUEST' } });
    });
  }

  /** Deletes guests idle for longer than the retention, with everything they had; returns how many. */
  async sweep(retentionMs: number): Promise<number> {
    const { count } = await this.db.user.deleteMany({ where: { role: 'GUEST', lastActiveAt: { lt: new Date(Date.now() - retentionMs) } } });
    return count;
  }
}
