// The services one API instance runs with, wired once at start-up and shared by every request.
import type { DirectReader } from '@multi-bot-chat/prisma/adapters';
import { seedSystemBots } from '@multi-bot-chat/prisma/seed';
import { setTimeout as delay } from 'node:timers/promises';
import pino, { type Logger } from 'pino';
import { AdminBotService } from './admin/bots.ts';
import { AnalyticsService } from './admin/analytics.ts';
import { rollUpRecentDays } from './admin/analytics-rollup.ts';
import { AuditService } from './admin/audit.ts';
import { QuotaOverrides } from './admin/quota-overrides.ts';
import { AdminUserService } from './admin/users.ts';
import { AccountDeletion } from './auth/account-deletion.ts';
import { AuthService } from './auth/auth-service.ts';
import { GuestService } from './auth/guests.ts';
import { HostSignIn } from './auth/host-sign-in.ts';
import { BotService } from './chat/bots.ts';
import { BranchService } from './chat/branches.ts';
import { FeedbackService } from './chat/feedback.ts';
import { ExportService } from './chat/exports.ts';
import { MemoryService } from './chat/memories.ts';
import { MessageService } from './chat/messages.ts';
import { ModelService } from './chat/models.ts';
import { QuotaService } from './chat/quotas.ts';
import { failOrphanedReplies } from './chat/recovery.ts';
import { ReplyGenerator } from './chat/replies.ts';
import { createSearchIndex } from './chat/search-index.ts';
import { SearchService } from './chat/search.ts';
import { SessionService } from './chat/sessions.ts';
import { ShareService } from './chat/shares.ts';
import type { Config } from './config.ts';
import { createDb, createDirectReader, type Db, tuneDb } from './db.ts';
import { Limits } from './limits.ts';
import { createLlmProvider } from './llm/index.ts';
import { applyMigrations } from './migrations.ts';
import type { LlmProvider } from './llm/types.ts';
import { Metrics } from './metrics.ts';
import { SecretBox } from './sites/secret-box.ts';
import { SiteService } from './sites/sites.ts';
import { createAppPubSub, type PubSub } from './pubsub.ts';

export interface App {
  config: Config;
  db: Db;
  /** Prepared reads beside Prisma, for the viewer check every authenticated request runs. */
  directReader: DirectReader;
  pubsub: PubSub;
  llm: LlmProvider;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  guests: GuestService;
  hostSignIn: HostSignIn;
  sites: SiteService;
  bots: BotService;
  sessions: SessionService;
  messages: MessageService;
  branches: BranchService;
  feedback: FeedbackService;
  models: ModelService;
  memories: MemoryService;
  search: SearchService;
  exports: ExportService;
  shares: ShareService;
  accountDeletion: AccountDeletion;
  replies: ReplyGenerator;
  limits: Limits;
  quotas: QuotaService;
  audit: AuditService;
  adminUsers: AdminUserService;
  adminBots: AdminBotService;
  quotaOverrides: QuotaOverrides;
  analytics: AnalyticsService;
  /** True once shutdown has begun: new requests are sent elsewhere. */
  readonly closing: boolean;
  /** Database (and Redis) reachable, and not shutting down: what /readyz reports. */
  ready(): Promise<boolean>;
  /** Finishes replies in flight within the grace period, then closes pools. */
  close(): Promise<void>;
}

const READY_CHECK_TIMEOUT_MS = 2000;
const GUEST_SWEEP_INTERVAL_MS = 60 * 60_000;
// After the last replies end, their final events still have to travel (through Redis) to subscribers.
const FINAL_EVENTS_GRACE_MS = 200;

export function createLogger(config: Config): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'multi-bot-chat-api' },
    // Secrets and message text never reach the logs, even by accident.
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'accessToken', 'refreshToken', '*.refreshToken', 'text', '*.text', 'authorization', '*.authorization', 'headers.authorization'],
      censor: '[redacted]',
    },
  });
}

export async function createApp(config: Config, logger: Logger = createLogger(config)): Promise<App> {
  if (config.database.migrateOnStart) {
    await applyMigrations(config.database.url);
    logger.info({ database: config.database.provider }, 'migrations applied');
  }
  const db = createDb(config.database);
  await tuneDb(db, config.database.provider);
  const directReader = createDirectReader(config.database, db); // after tuneDb: SQLite is in WAL mode
  await seedSystemBots(db);
  const sites = new SiteService(db, new SecretBox(config.auth.jwtSecret));
  await sites.defaultSite();
  if (config.sites.demoIdentitySecret) await sites.seedDemoSites(config.sites.demoIdentitySecret);
  const orphans = await failOrphanedReplies(db, config, true);
  if (orphans) logger.warn({ count: orphans }, 'marked replies interrupted by a previous crash as FAILED');

  const { pubsub, redis, close: closePubSub } = createAppPubSub(config.redisUrl, logger);
  const llm = createLlmProvider(config.llm);
  const metrics = new Metrics();
  const memories = new MemoryService(db, config.chat.memoryCap);
  const deps = { db, pubsub, llm, config, logger, metrics, memories };
  const replies = new ReplyGenerator(deps);
  // Deleting a bot ends its sessions' replies and subscriptions, as deleting a session does.
  const bots: BotService = new BotService(db, (ended) => sessions.ended(ended));
  const sessions = new SessionService({ db, pubsub, replies, bots });
  const quotas = new QuotaService(db, config.admin.quotas);
  const messages = new MessageService(deps, replies, sessions, quotas);
  const audit = new AuditService(db);
  if (config.admin.emails.length) await db.user.updateMany({ where: { email: { in: config.admin.emails }, role: 'USER' }, data: { role: 'ADMIN' } });

  // A cancel or a delete may arrive at any instance; the one generating the reply stops it.
  const control = pubsub.subscribe('replyControl');
  void (async () => {
    for await (const command of control) {
      if (command.action === 'cancel') replies.stop(command.messageId, 'cancel');
      else replies.stopSession(command.sessionId);
    }
  })();
  const sweeper = setInterval(() => {
    failOrphanedReplies(db, config, false).catch((error) => logger.error({ err: error }, 'orphan sweep failed'));
  }, config.chat.heartbeatMs * 3);
  sweeper.unref();
  const guests = new GuestService(db, config.auth);
  const hostSignIn = new HostSignIn(db, config.auth, sites);
  // Guests idle past the retention go, with everything they had; used identity-token ids past expiry too.
  const sweepGuests = async () => {
    const deleted = await guests.sweep(config.sites.guestRetentionMs);
    if (deleted) logger.info({ count: deleted }, 'deleted idle guests');
    await hostSignIn.sweepUsedTokenIds();
  };
  const guestSweeper = setInterval(() => void sweepGuests().catch((error) => logger.error({ err: error }, 'guest sweep failed')), GUEST_SWEEP_INTERVAL_MS);
  guestSweeper.unref();
  void sweepGuests().catch((error) => logger.error({ err: error }, 'guest sweep failed'));
  // Audit entries past the retention go with the same hourly sweep's rhythm; the analytics roll-up runs more often.
  const sweepAudit = () => audit.sweep(config.admin.auditRetentionMs).catch((error) => logger.error({ err: error }, 'audit sweep failed'));
  const rollUp = () => rollUpRecentDays(db).catch((error) => logger.error({ err: error }, 'analytics roll-up failed'));
  const auditSweeper = setInterval(() => void sweepAudit(), GUEST_SWEEP_INTERVAL_MS);
  const rollUpTimer = setInterval(() => void rollUp(), config.admin.rollupIntervalMs);
  auditSweeper.unref();
  rollUpTimer.unref();
  void sweepAudit();
  void rollUp();

  logger.info({ provider: llm.name, database: config.database.provider, redis: Boolean(redis) }, 'app ready');
  let closing = false;
  return {
    config,
    db,
    directReader,
    pubsub,
    llm,
    logger,
    metrics,
    auth: new AuthService(db, config.auth, config.admin.emails),
    guests,
    hostSignIn,
    sites,
    bots,
    sessions,
    messages,
    branches: new BranchService({ db, pubsub, sessions }),
    feedback: new FeedbackService({ db, bots }),
    models: new ModelService({ db, llm, defaultModel: config.llm.defaultModel }),
    memories,
    search: new SearchService(db, createSearchIndex(db, config.database.provider)),
    exports: new ExportService(db),
    shares: new ShareService(db),
    accountDeletion: new AccountDeletion(db, (ended) => sessions.ended(ended)),
    replies,
    limits: new Limits(config.limits, redis),
    quotas,
    audit,
    adminUsers: new AdminUserService(db, audit, (ended) => sessions.ended(ended)),
    adminBots: new AdminBotService(db, audit),
    quotaOverrides: new QuotaOverrides(db, audit, quotas),
    analytics: new AnalyticsService(db),
    get closing() {
      return closing;
    },
    async ready() {
      if (closing) return false;
      return succeedsWithin(Promise.all([db.$queryRawUnsafe('SELECT 1'), redis?.ping()]), READY_CHECK_TIMEOUT_MS);
    },
    async close() {
      closing = true;
      clearInterval(sweeper);
      clearInterval(guestSweeper);
      clearInterval(auditSweeper);
      clearInterval(rollUpTimer);
      await replies.drain(config.chat.shutdownGraceMs);
      await delay(FINAL_EVENTS_GRACE_MS);
      await control.return?.();
      await closePubSub();
      await db.$disconnect();
      await directReader.close();
    },
  };
}

/** Whether the promise fulfils in time; an unreachable host would otherwise hang the probe. */
async function succeedsWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
