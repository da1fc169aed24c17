// Admins set a site's or a user's own daily quota (null: fall back to the next level); audited.
import { z } from 'zod';
import type { QuotaOverride, QuotaService } from '../chat/quotas.ts';
import { parseInput } from '../chat/validation.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';
import type { AuditService, RequestOrigin } from './audit.ts';

const quotaValue = z.number().int().min(0, 'A quota cannot be negative.').max(1_000_000_000, 'A quota must be at most 1000000000.').nullable();
const quotaOverrideInput = z.object({ messagesPerDay: quotaValue, tokensPerDay: quotaValue });

export class QuotaOverrides {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly quotas: QuotaService,
  ) {}

  async setForUser(origin: RequestOrigin, userId: string, raw: QuotaOverride): Promise<void> {
    const quota = parseInput(quotaOverrideInput, raw);
    if (!(await this.db.user.findUnique({ where: { id: userId }, select: { id: true } }))) throw notFound('User');
    await this.quotas.setUserOverride(userId, quota);
    await this.audit.record(origin, { action: 'quota.changed', target: { type: 'User', id: userId }, details: { ...quota } });
  }

  async setForSite(origin: RequestOrigin, siteId: string, raw: QuotaOverride): Promise<QuotaOverride> {
    const quota = parseInput(quotaOverrideInput, raw);
    if (!(await this.db.site.findUnique({ where: { id: siteId }, select: { id: true } }))) throw notFound('Site');
    await this.quotas.setSiteOverride(siteId, quota);
    await this.audit.record(origin, { action: 'quota.changed', target: { type: 'Site', id: siteId }, details: { ...quota } });
    return quota;
  }
}
