// Deleting one's own account: the user row goes, and with it (by cascade) their bots, sessions,
// messages, memories, shares, identities and sign-ins. Tokens stop working at once: every request
// checks its user still exists (viewer.ts). Replies streaming in the user's sessions stop, and
// their subscribers are told, as when a session is deleted.
import type { Db } from '../db.ts';
import { badInput, notFound } from '../errors.ts';
import { verifyPassword } from './passwords.ts';
import type { Viewer } from './viewer.ts';

/** What users without a password (guests, host-site users) type to confirm. */
export const DELETE_ACCOUNT_PHRASE = 'delete my account';

export class AccountDeletion {
  constructor(
    private readonly db: Db,
    private readonly sessionsEnded: (sessions: Array<{ id: string; userId: string }>) => Promise<void>,
  ) {}

  /** `confirmation`: the account's password, or the phrase for users who have none. */
  async delete(viewer: Viewer, confirmation: string): Promise<void> {
    const user = await this.db.user.findUnique({ where: { id: viewer.userId }, select: { passwordHash: true } });
    if (!user) throw notFound('Account');
    const confirmed = user.passwordHash
      ? await verifyPassword(confirmation, user.passwordHash)
      : confirmation.trim().toLowerCase() === DELETE_ACCOUNT_PHRASE;
    if (!confirmed) {
      throw badInput('confirmation', user.passwordHash ? 'The password is wrong.' : `Type "${DELETE_ACCOUNT_PHRASE}" to confirm.`);
    }
    const sessions = await this.db.chatSession.findMany({ where: { userId: viewer.userId }, select: { id: true, userId: true } });
    const { count } = await this.db.user.deleteMany({ where: { id: viewer.userId } });
    if (count === 0) throw notFound('Account');
    await this.sessionsEnded(sessions);
  }
}
