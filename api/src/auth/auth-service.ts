// Register, login, refresh and logout: what the auth mutations do, without GraphQL.
import type { User } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { conflict, unauthenticated } from '../errors.ts';
import { signAccessToken } from './access-tokens.ts';
import { normalizeEmail } from './email.ts';
import { assertAcceptablePassword } from './password-policy.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { revokeRefreshToken, rotateRefreshToken } from './refresh-tokens.ts';
import { type AuthResult, startSignIn } from './sign-in.ts';
import type { Viewer } from './viewer.ts';

export type { AuthResult };

/** What a new account must satisfy (sign-in checks only the password, whatever it looks like). */
export const registration = z.object({
  email: z.string().trim().max(254, 'The email is too long.').email('Enter a valid email address.'),
  password: z.string(), // and the rules for a new password, which need the list of common ones: password-policy.ts
});

export interface Credentials {
  email: string;
  password: string;
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly auth: Config['auth'],
    /** ADMIN_EMAILS: these accounts are admins from registration on. */
    private readonly adminEmails: string[] = [],
  ) {}

  async register({ email, password }: Credentials): Promise<AuthResult> {
    await assertAcceptablePassword(password);
    const normalized = normalizeEmail(email);
    const passwordHash = await hashPassword(password, this.auth.bcryptCost);
    try {
      const role = this.adminEmails.includes(normalized) ? 'ADMIN' : 'USER';
      const user = await this.db.user.create({ data: { email: normalized, passwordHash, role } });
      return startSignIn(this.db, this.auth, user);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('email', 'An account with this email already exists.');
      throw error;
    }
  }

  async login({ email, password }: Credentials): Promise<AuthResult> {
    const user = await this.db.user.findUnique({ where: { email: normalizeEmail(email) } });
    // Users without a password (host-site users) answer like an unknown address, in the same time.
    const valid = user?.passwordHash
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password, this.auth.bcryptCost);
    if (!user || !valid) throw unauthenticated('Wrong email or password.');
    return startSignIn(this.db, this.auth, user);
  }

  async refresh(refreshToken: string): Promise<AuthResult> {
    const rotated = await rotateRefreshToken(this.db, refreshToken, {
      secret: this.auth.jwtSecret,
      ttlMs: this.auth.refreshTokenTtlMs,
      reuseIntervalMs: this.auth.refreshReuseIntervalMs,
    });
    if (!rotated.ok) {
      throw unauthenticated(
        rotated.reason === 'reused' ? 'This sign-in was ended because its refresh token was used twice.' : 'Sign in again.',
      );
    }
    const user = await this.db.user.findUnique({ where: { id: rotated.userId } });
    if (!user) throw unauthenticated('This account no longer exists.');
    if (user.disabledAt) throw unauthenticated('This account is disabled.');
    const access = await signAccessToken(
      this.auth,
      { userId: user.id, role: user.role, familyId: rotated.familyId, siteId: user.siteId ?? undefined },
      rotated.next.issuedAt,
    );
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: rotated.next.token,
      refreshTokenExpiresAt: rotated.next.expiresAt,
      userId: user.id,
    };
  }

  logout(refreshToken: string): Promise<void> {
    return revokeRefreshToken(this.db, refreshToken);
  }

  /** A user by id (the viewer, or the one just signed in). `query`: the GraphQL layer's select/include. */
  user<Q extends object>(userId: string, query?: Q) {
    return this.db.user.findUnique({ ...query, where: { id: userId } });
  }

  /** The viewer's own row, as the viewer check read it with the token: no second query. */
  me(viewer: Viewer): User {
    return viewer.user as User; // all but the password hash, which no field exposes
  }

  /** Users among `ids` the viewer may load: only themselves. */
  byIds(viewer: Viewer, ids: string[]) {
    return this.db.user.findMany({ where: { id: { in: ids.filter((id) => id === viewer.userId) } } });
  }
}
