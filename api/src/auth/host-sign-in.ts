// Sign-in from the host site: its server signs a short-lived identity token for its user, the page
// hands it to the widget, and we exchange it for our own tokens. The site's user (site, sub) maps to
// one of our users, who belongs to that site and reaches nothing of any other.
import type { Config } from '../config.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { clientError } from '../errors.ts';
import { IdentityError, verifyIdentityToken } from '../sites/identity-tokens.ts';
import type { RequestSite, SiteService } from '../sites/sites.ts';
import { type AuthResult, startSignIn } from './sign-in.ts';

export class HostSignIn {
  constructor(
    private readonly db: Db,
    private readonly auth: Config['auth'],
    private readonly sites: SiteService,
  ) {}

  async signIn(site: RequestSite, token: string): Promise<AuthResult> {
    try {
      const verifier = site.key ? await this.sites.identityVerifier(site.id) : null;
      if (!verifier || !site.key) throw new IdentityError('not-enabled', 'This site does not sign its users in.');
      const claims = await verifyIdentityToken(token, verifier, site.key);
      await this.useOnce(site.id, claims.jti, claims.expiresAt);
      const user = await this.userFor(site.id, claims.subject, claims.name ?? null, claims.email ?? null);
      return await startSignIn(this.db, this.auth, user);
    } catch (error) {
      if (error instanceof IdentityError) throw clientError('UNAUTHENTICATED', error.message, { reason: error.reason });
      throw error;
    }
  }

  /** Replay protection: a jti is accepted once per site (rows are kept until the token's expiry). */
  private async useOnce(siteId: string, jti: string, expiresAt: Date): Promise<void> {
    try {
      await this.db.usedTokenId.create({ data: { siteId, jti, expiresAt } });
    } catch (error) {
      if (isUniqueViolation(error)) throw new IdentityError('replayed', 'This identity token was used already.');
      throw error;
    }
  }

  private async userFor(siteId: string, subject: string, name: string | null, email: string | null) {
    const known = await this.db.externalIdentity.findUnique({ where: { siteId_subject: { siteId, subject } }, include: { user: true } });
    if (known) {
      if (known.user.name !== name || known.email !== email) {
        await this.db.externalIdentity.update({ where: { id: known.id }, data: { email } });
        return this.db.user.update({ where: { id: known.userId }, data: { name } });
      }
      return known.user;
    }
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { role: 'USER', siteId, name } });
        await tx.externalIdentity.create({ data: { siteId, subject, email, userId: user.id } });
        return user;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // The same person signing in twice at once: the other request made the mapping.
      const winner = await this.db.externalIdentity.findUniqueOrThrow({ where: { siteId_subject: { siteId, subject } }, include: { user: true } });
      return winner.user;
    }
  }

  /** Forgets used token ids past their expiry. */
  async sweepUsedTokenIds(): Promise<void> {
    await this.db.usedTokenId.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }
}
