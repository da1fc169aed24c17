// Sites: the places that embed the widget, each with its settings and public key. Admins manage
// them; every widget request names its site by key, and is checked against the site's origins.
import { randomBytes } from 'node:crypto';
import type { Site, SiteKey } from '@multi-bot-chat/prisma/sqlite';
import { importSPKI } from 'jose';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import { parseInput } from '../chat/validation.ts';
import type { Db } from '../db.ts';
import { badInput, forbidden, notFound } from '../errors.ts';
import { IDENTITY_ALGORITHMS, type IdentityAlgorithm, type IdentityVerifier, MIN_SECRET_BYTES } from './identity-tokens.ts';
import type { SecretBox } from './secret-box.ts';

export type IdentityMode = Site['identityMode'];

/** A site as the API shows it: lists parsed, the current key, the secret only as "has one". */
export interface SiteView {
  id: string;
  name: string;
  isDefault: boolean;
  publicKey: string | null;
  allowedOrigins: string[];
  botIds: string[];
  defaultBotId: string | null;
  allowGuests: boolean;
  allowAccounts: boolean;
  identity: {
    mode: IdentityMode;
    algorithms: string[];
    issuer: string | null;
    jwksUrl: string | null;
    publicKey: string | null;
    maxTokenAgeSeconds: number;
    hasSecret: boolean;
  };
  disclosure: string;
  welcome: string;
  /** The daily quota of the site's guests and host-site users (null fields: the role's default). */
  quota: { messagesPerDay: number | null; tokensPerDay: number | null };
  createdAt: Date;
  updatedAt: Date;
}

/** The site a request named (or the default one), as the rest of the API uses it. */
export interface RequestSite {
  id: string;
  isDefault: boolean;
  key: string | null;
  allowedOrigins: string[];
  botIds: string[];
  allowGuests: boolean;
  allowAccounts: boolean;
}

const origin = z.string().transform((value, ctx) => {
  try {
    const parsed = new URL(value.trim());
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin !== 'null') return parsed.origin.toLowerCase();
  } catch {}
  ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 100)}" is not an origin like https://shop.example.` });
  return z.NEVER;
});

const identityInput = z
  .object({
    mode: z.enum(['NONE', 'HS256', 'PUBLIC_KEY', 'JWKS']),
    secret: z.string().max(1000).nullish(),
    publicKey: z.string().max(10_000).nullish(),
    jwksUrl: z.string().url('The JWKS URL is not a URL.').max(2000).nullish(),
    algorithms: z.array(z.enum(IDENTITY_ALGORITHMS)).max(4).nullish(),
    issuer: z.string().trim().min(1).max(500).nullish(),
    maxTokenAgeSeconds: z.number().int().min(10, 'At least 10 seconds.').max(600, 'At most 600 seconds (10 minutes).').nullish(),
  })
  .nullish();

const siteFields = {
  name: z.string().trim().min(1, 'The name is empty.').max(100, 'The name is longer than 100 characters.'),
  allowedOrigins: z.array(origin).max(50, 'At most 50 origins.'),
  botIds: z.array(z.string()).max(50),
  defaultBotId: z.string().nullish(),
  allowGuests: z.boolean(),
  allowAccounts: z.boolean(),
  identity: identityInput,
  disclosure: z.string().trim().max(300, 'The disclosure is longer than 300 characters.'),
  welcome: z.string().trim().max(1000, 'The welcome text is longer than 1000 characters.'),
};
export const createSiteInput = z.object({
  ...siteFields,
  allowedOrigins: siteFields.allowedOrigins.nullish(),
  botIds: siteFields.botIds.nullish(),
  allowGuests: siteFields.allowGuests.nullish(),
  allowAccounts: siteFields.allowAccounts.nullish(),
  disclosure: siteFields.disclosure.nullish(),
  welcome: siteFields.welcome.nullish(),
});
export const updateSiteInput = createSiteInput.extend({ name: siteFields.name.nullish() });

const newKey = () => `pk_${randomBytes(18).toString('base64url')}`;
const parseList = (json: string): string[] => {
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
};

export class SiteService {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  // ---- what every request needs ----

  /** The site a request names by key, or the default site; NOT_FOUND for an unknown key, FORBIDDEN for a revoked one. */
  async forRequest(key: string | null): Promise<RequestSite> {
    const row = key
      ? await this.db.siteKey.findUnique({ where: { key }, include: { site: true } })
      : { key: null, revokedAt: null, site: await this.defaultSite() };
    if (!row) throw notFound('Site');
    if (row.revokedAt) throw forbidden('This site key was revoked. Ask the site owner for the new one.');
    return requestSiteOf(row.site, row.key);
  }

  /** The site a guest's or host-site user's token belongs to (its key may have been rotated since). */
  async forRequestById(id: string): Promise<RequestSite> {
    const site = await this.db.site.findUnique({ where: { id }, include: { keys: { where: { revokedAt: null } } } });
    if (!site) throw notFound('Site');
    return requestSiteOf(site, site.keys[0]?.key ?? null);
  }

  /** The public settings of a site, for the widget before anyone signs in. */
  async publicConfig(key: string | null) {
    const site = await this.forRequest(key);
    const row = await this.db.site.findUniqueOrThrow({ where: { id: site.id } });
    return { ...this.view(row, null), hostSignIn: row.identityMode !== 'NONE' };
  }

  /** How the site's identity tokens are verified, or null when it has no host sign-in. */
  async identityVerifier(siteId: string): Promise<IdentityVerifier | null> {
    const site = await this.db.site.findUniqueOrThrow({ where: { id: siteId } });
    if (site.identityMode === 'NONE') return null;
    const key =
      site.identityMode === 'HS256'
        ? site.identitySecret && this.secrets.open(site.identitySecret)
        : site.identityMode === 'PUBLIC_KEY'
          ? site.identityPublicKey
          : site.identityJwksUrl;
    if (!key) return null;
    return {
      mode: site.identityMode,
      key,
      algorithms: parseList(site.identityAlgorithms) as IdentityAlgorithm[],
      issuer: site.identityIssuer ?? undefined,
      maxAgeSeconds: site.identityMaxAgeSeconds,
    };
  }

  // ---- administration (admins only) ----

  async list(viewer: Viewer): Promise<SiteView[]> {
    requireAdmin(viewer);
    const rows = await this.db.site.findMany({ include: { keys: true }, orderBy: [{ isDefault: 'desc' }, { createdAt: 'asc' }] });
    return rows.map((row) => this.view(row, row.keys));
  }

  async get(viewer: Viewer, id: string): Promise<SiteView | null> {
    requireAdmin(viewer);
    const row = await this.db.site.findUnique({ where: { id }, include: { keys: true } });
    return row ? this.view(row, row.keys) : null;
  }

  async create(viewer: Viewer, raw: unknown): Promise<SiteView> {
    requireAdmin(viewer);
    const input = parseInput(createSiteInput, raw);
    const data = await this.dataOf(input, null);
    const row = await this.db.site.create({
      data: { ...data, name: input.name, keys: { create: { key: newKey() } } },
      include: { keys: true },
    });
    return this.view(row, row.keys);
  }

  async update(viewer: Viewer, id: string, raw: unknown): Promise<SiteView> {
    requireAdmin(viewer);
    const input = parseInput(updateSiteInput, raw);
    const existing = await this.db.site.findUnique({ where: { id } });
    if (!existing) throw notFound('Site');
    const data = await this.dataOf(input, existing);
    const row = await this.db.site.update({ where: { id }, data: { ...data, name: input.name ?? undefined }, include: { keys: true } });
    return this.view(row, row.keys);
  }

  /** Deletes the site, and with it the guests and host-site users that belong to it. */
  async delete(viewer: Viewer, id: string): Promise<void> {
    requireAdmin(viewer);
    const site = await this.db.site.findUnique({ where: { id } });
    if (!site) throw notFound('Site');
    if (site.isDefault) throw forbidden('The default site cannot be deleted.');
    await this.db.site.delete({ where: { id } });
  }

  /** A new public key; the old one is revoked at once (pages still using it get a clear error). */
  async rotateKey(viewer: Viewer, id: string): Promise<SiteView> {
    requireAdmin(viewer);
    await this.findEmbeddable(id);
    await this.db.$transaction([
      this.db.siteKey.updateMany({ where: { siteId: id, revokedAt: null }, data: { revokedAt: new Date() } }),
      this.db.siteKey.create({ data: { siteId: id, key: newKey() } }),
    ]);
    return (await this.get(viewer, id))!;
  }

  /** Revokes the current key without a successor: the site stops signing anyone in until a rotation. */
  async revokeKey(viewer: Viewer, id: string): Promise<SiteView> {
    requireAdmin(viewer);
    await this.findEmbeddable(id);
    await this.db.siteKey.updateMany({ where: { siteId: id, revokedAt: null }, data: { revokedAt: new Date() } });
    return (await this.get(viewer, id))!;
  }

  // ---- seeding ----

  /** The default site (no key): today's behaviour for embeds without a `site` attribute. */
  async defaultSite(): Promise<Site> {
    const existing = await this.db.site.findFirst({ where: { isDefault: true }, orderBy: { createdAt: 'asc' } });
    if (existing) return existing;
    try {
      return await this.db.site.create({ data: { id: 'default-site', name: 'Default site', isDefault: true } });
    } catch {
      return this.db.site.findUniqueOrThrow({ where: { id: 'default-site' } }); // another instance seeded it first
    }
  }

  /**
   * The demo's two sites, with fixed keys: the shop signs its customers in with identity tokens
   * (HS256, the given secret), and the guest page lets anyone chat at once.
   */
  async seedDemoSites(identitySecret: string): Promise<void> {
    const demo = [
      { id: 'demo-shop', key: 'pk_demo_shop', name: 'Coffee shop (demo)', allowAccounts: false, allowGuests: false, identity: true },
      { id: 'demo-guests', key: 'pk_demo_guests', name: 'Coffee shop, guest page (demo)', allowAccounts: true, allowGuests: true, identity: false },
    ];
    for (const site of demo) {
      if (await this.db.site.findUnique({ where: { id: site.id } })) continue;
      try {
        await this.db.site.create({
          data: {
            id: site.id,
            name: site.name,
            allowAccounts: site.allowAccounts,
            allowGuests: site.allowGuests,
            disclosure: 'You are chatting with an AI assistant.',
            welcome: 'Hi! Ask us anything about your order or our coffee.',
            ...(site.identity ? { identityMode: 'HS256' as const, identitySecret: this.secrets.seal(identitySecret), identityAlgorithms: '["HS256"]' } : {}),
            keys: { create: { key: site.key } },
          },
        });
      } catch {
        // another instance seeded it first
      }
    }
  }

  // ---- helpers ----

  private async findEmbeddable(id: string): Promise<Site> {
    const site = await this.db.site.findUnique({ where: { id } });
    if (!site) throw notFound('Site');
    if (site.isDefault) throw badInput('id', 'The default site has no key: it serves embeds without a site attribute.');
    return site;
  }

  /** The columns an input sets, checked against each other and the current row. */
  private async dataOf(input: z.output<typeof updateSiteInput>, existing: Site | null) {
    const botIds = input.botIds ?? (existing ? parseList(existing.botIds) : []);
    if (input.botIds) {
      const known = await this.db.bot.count({ where: { id: { in: input.botIds }, ownerId: null } });
      if (known !== new Set(input.botIds).size) throw badInput('botIds', 'Every bot of a site must be a system bot.');
    }
    const defaultBotId = input.defaultBotId === undefined ? (existing?.defaultBotId ?? null) : input.defaultBotId;
    if (defaultBotId) {
      const shown = botIds.length ? botIds.includes(defaultBotId) : (await this.db.bot.count({ where: { id: defaultBotId, ownerId: null } })) > 0;
      if (!shown) throw badInput('defaultBotId', 'The bot that opens first must be one of the bots the site shows.');
    }
    return {
      allowedOrigins: input.allowedOrigins ? JSON.stringify([...new Set(input.allowedOrigins)]) : undefined,
      botIds: input.botIds ? JSON.stringify([...new Set(input.botIds)]) : undefined,
      defaultBotId,
      allowGuests: input.allowGuests ?? undefined,
      allowAccounts: input.allowAccounts ?? undefined,
      disclosure: input.disclosure ?? undefined,
      welcome: input.welcome ?? undefined,
      ...(input.identity ? await this.identityData(input.identity, existing) : {}),
    };
  }

  private async identityData(identity: NonNullable<z.output<typeof identityInput>>, existing: Site | null) {
    const field = (name: string) => `identity.${name}`;
    if (identity.mode === 'NONE') {
      return { identityMode: 'NONE' as const, identitySecret: null, identityPublicKey: null, identityJwksUrl: null, identityAlgorithms: '[]' };
    }
    const algorithms = identity.algorithms?.length ? [...new Set(identity.algorithms)] : identity.mode === 'HS256' ? ['HS256' as const] : [];
    if (!algorithms.length) throw badInput(field('algorithms'), 'Name the algorithms the site signs with (RS256, ES256 or EdDSA).');
    if (identity.mode === 'HS256' ? algorithms.some((a) => a !== 'HS256') : algorithms.includes('HS256')) {
      throw badInput(field('algorithms'), 'A shared secret signs with HS256 only; a public key or JWKS with RS256, ES256 or EdDSA.');
    }
    const common = {
      identityMode: identity.mode,
      identityAlgorithms: JSON.stringify(algorithms),
      identityIssuer: identity.issuer ?? null,
      identityMaxAgeSeconds: identity.maxTokenAgeSeconds ?? existing?.identityMaxAgeSeconds ?? 600,
    };
    switch (identity.mode) {
      case 'HS256': {
        if (!identity.secret) {
          if (existing?.identityMode === 'HS256' && existing.identitySecret) return common; // keep the secret it has
          throw badInput(field('secret'), 'HS256 needs the secret shared with the site.');
        }
        if (new TextEncoder().encode(identity.secret).length < MIN_SECRET_BYTES) {
          throw badInput(field('secret'), `The secret must have at least ${MIN_SECRET_BYTES} bytes (use 32 random bytes or more).`);
        }
        return { ...common, identitySecret: this.secrets.seal(identity.secret), identityPublicKey: null, identityJwksUrl: null };
      }
      case 'PUBLIC_KEY': {
        const pem = identity.publicKey?.trim();
        if (!pem) throw badInput(field('publicKey'), 'Paste the public key (PEM, "-----BEGIN PUBLIC KEY-----").');
        const fits = await Promise.all(algorithms.map((alg) => importSPKI(pem, alg).then(() => true, () => false)));
        if (fits.some((ok) => !ok)) throw badInput(field('publicKey'), 'This is not a PEM public key for the chosen algorithms.');
        return { ...common, identityPublicKey: pem, identitySecret: null, identityJwksUrl: null };
      }
      case 'JWKS': {
        const url = identity.jwksUrl ? new URL(identity.jwksUrl) : null;
        const loopback = url && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
        if (!url || (url.protocol !== 'https:' && !(loopback && url.protocol === 'http:'))) {
          throw badInput(field('jwksUrl'), 'The JWKS URL must be https (http only for localhost).');
        }
        return { ...common, identityJwksUrl: url.toString(), identitySecret: null, identityPublicKey: null };
      }
    }
  }

  private view(site: Site, keys: SiteKey[] | null): SiteView {
    return {
      id: site.id,
      name: site.name,
      isDefault: site.isDefault,
      publicKey: keys?.find((k) => !k.revokedAt)?.key ?? null,
      allowedOrigins: parseList(site.allowedOrigins),
      botIds: parseList(site.botIds),
      defaultBotId: site.defaultBotId,
      allowGuests: site.allowGuests,
      allowAccounts: site.allowAccounts,
      identity: {
        mode: site.identityMode,
        algorithms: parseList(site.identityAlgorithms),
        issuer: site.identityIssuer,
        jwksUrl: site.identityJwksUrl,
        publicKey: site.identityPublicKey,
        maxTokenAgeSeconds: site.identityMaxAgeSeconds,
        hasSecret: Boolean(site.identitySecret),
      },
      disclosure: site.disclosure,
      welcome: site.welcome,
      quota: { messagesPerDay: site.quotaMessagesPerDay, tokensPerDay: site.quotaTokensPerDay },
      createdAt: site.createdAt,
      updatedAt: site.updatedAt,
    };
  }
}

function requestSiteOf(site: Site, key: string | null): RequestSite {
  return {
    id: site.id,
    isDefault: site.isDefault,
    key,
    allowedOrigins: parseList(site.allowedOrigins),
    botIds: parseList(site.botIds),
    allowGuests: site.allowGuests,
    allowAccounts: site.allowAccounts,
  };
}

export function requireAdmin(viewer: Viewer): void {
  if (viewer.role !== 'ADMIN') throw forbidden('Only an admin can do this.');
}
