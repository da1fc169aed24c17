// Register, login, refresh and logout: what the auth mutations do, without GraphQL.
import type { Config } from '../config.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { conflict, unauthenticated } from '../errors.ts';
import { signAccessToken } from './access-tokens.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { issueRefreshToken, revokeRefreshToken, rotateRefreshToken } from './refresh-tokens.ts';

export interface Credentials {
  email: string;
  password: string;
}

export interface AuthResult {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  userId: string;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly auth: Config['auth'],
  ) {}

  async register({ email, password }: Credentials): Promise<AuthResult> {
    const normalized = normalizeEmail(email);
    const passwordHash = await hashPassword(password, this.auth.bcryptCost);
    try {
      const user = await this.db.user.create({ data: { email: normalized, passwordHash } });
      return this.signIn(user.id, user.role);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('email', 'An account with this email already exists.');
      throw error;
    }
  }

  async login({ email, password }: Credentials): Promise<AuthResult> {
    const user = await this.db.user.findUnique({ where: { email: normalizeEmail(email) } });
    const valid = user
      ? await verifyPassword(password, user.passwordHash)
      : await verifyAgainstDummy(password, this.auth.bcryptCost);
    if (!user || !valid) throw unauthenticated('Wrong email or password.');
    return this.signIn(user.id, user.role);
  }

  async refresh(refreshToken: string): Promise<AuthResult> {
    const rotated = await rotateRefreshToken(this.db, refreshToken, this.auth.refreshTokenTtlMs);
    if (!rotated.ok) {
      throw unauthenticated(
        rotated.reason === 'reused' ? 'This sign-in was ended because its refresh token was used twice.' : 'Sign in again.',
      );
    }
    const user = await this.db.user.findUniqueOrThrow({ where: { id: rotated.userId } });
    const access = await signAccessToken(this.auth, { userId: user.id, role: user.role });
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

  private async signIn(userId: string, role: 'USER' | 'ADMIN'): Promise<AuthResult> {
    const [access, refresh] = await Promise.all([
      signAccessToken(this.auth, { userId, role }),
      issueRefreshToken(this.db, userId, this.auth.refreshTokenTtlMs),
    ]);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      userId,
    };
  }
}
