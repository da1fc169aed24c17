// The one place that reads the environment. Everything else receives a Config.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration like 900s, 15m, 12h or 30d')
  .transform(parseDurationMs);

const boolean = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const csv = z.string().transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));
// TRUST_PROXY=true trusts one proxy hop; a number trusts that many (e.g. a CDN in front of a load balancer).
const proxyHops = z
  .string()
  .regex(/^(true|false|\d+)$/, 'true, false or a number of proxy hops')
  .transform((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)));

const WEAK_SECRETS = new Set(['secret', 'changeme', 'change-me', 'jwt_secret', 'development', 'password']);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATA_DIR: z.string().default('./data'),
    DATABASE_URL: z.string().default('file:./data/chat.db'),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    MIGRATE_ON_START: boolean.prefault('false'),
    REDIS_URL: z.string().url().optional(),
    JWT_SECRET: z.string().optional(),
    JWT_ISSUER: z.string().default('multi-bot-chat'),
    JWT_AUDIENCE: z.string().default('multi-bot-chat'),
    ACCESS_TOKEN_TTL: duration.prefault('15m'),
    REFRESH_TOKEN_TTL: duration.prefault('30d'),
    REFRESH_REUSE_INTERVAL: duration.prefault('30s'),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    LLM_PROVIDER: z.enum(['groq', 'openai-compatible', 'offline']).optional(),
    GROQ_API_KEY: z.string().optional(),
    GROQ_BASE_URL: z.string().url().optional(),
    OPENAI_BASE_URL: z.string().url().optional(),
    OPENAI_API_KEY: z.string().optional(),
    DEFAULT_MODEL: z.string().optional(),
    LLM_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
    LLM_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    LLM_RETRY_BASE_MS: z.coerce.number().int().min(0).default(250),
    OFFLINE_CHUNK_DELAY_MS: z.coerce.number().int().min(0).default(25),
    CONTEXT_TOKEN_BUDGET: z.coerce.number().int().min(256).default(6000),
    MAX_REPLY_TOKENS: z.coerce.number().int().min(16).default(1024),
    MESSAGE_MAX_LENGTH: z.coerce.number().int().min(1).default(8000),
    STREAM_FLUSH_MS: z.coerce.number().int().min(0).default(250),
    STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(5000),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
    MEMORY_CAP_PER_USER: z.coerce.number().int().min(1).default(200),
    RATE_LIMIT_AUTH_PER_IP: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_LOGIN_FAILURES: z.coerce.number().int().min(1).default(5),
    RATE_LIMIT_LOGIN_FAILURES_ACCOUNT: z.coerce.number().int().min(1).default(50),
    RATE_LIMIT_SENDS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_CONCURRENT_REPLIES: z.coerce.number().int().min(1).default(3),
    RATE_LIMIT_GUEST_SENDS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
    RATE_LIMIT_GUEST_MESSAGES_PER_DAY: z.coerce.number().int().min(1).default(50),
    RATE_LIMIT_GUEST_CONCURRENT_REPLIES: z.coerce.number().int().min(1).default(1),
    RATE_LIMIT_GUEST_STARTS_PER_IP: z.coerce.number().int().min(1).default(20),
    GUEST_RETENTION: duration.prefault('30d'),
    DEMO_IDENTITY_SECRET: z.string().min(32, 'must have at least 32 characters').optional(),
    TRUST_PROXY: proxyHops.prefault('false'),
    CORS_ORIGINS: csv.prefault('*'),
    GRAPHIQL: boolean.optional(),
    INTROSPECTION: boolean.optional(),
    MAX_REQUEST_BYTES: z.coerce.number().int().min(1000).default(100_000),
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).default(20),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).default(2000),
    GRAPHQL_MAX_COST: z.coerce.number().int().min(1).default(5000),
    PERSISTED_OPERATIONS_FILE: z.string().optional(),
    PERSISTED_OPERATIONS_ONLY: boolean.prefault('false'),
    METRICS_TOKEN: z.string().min(16, 'must have at least 16 characters').optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    WIDGET_DIST: z.string().optional(),
    ADMIN_DIST: z.string().optional(),
    ADMIN_EMAILS: csv.prefault(''),
    AUDIT_RETENTION: duration.prefault('365d'),
    ANALYTICS_ROLLUP_INTERVAL: duration.prefault('5m'),
    QUOTA_USER_MESSAGES_PER_DAY: z.coerce.number().int().min(0).default(500),
    QUOTA_USER_TOKENS_PER_DAY: z.coerce.number().int().min(0).default(500_000),
    QUOTA_GUEST_MESSAGES_PER_DAY: z.coerce.number().int().min(0).default(50),
    QUOTA_GUEST_TOKENS_PER_DAY: z.coerce.number().int().min(0).default(50_000),
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  dataDir: string;
  database: { url: string; provider: 'sqlite' | 'postgresql'; poolSize: number; migrateOnStart: boolean };
  redisUrl?: string;
  auth: {
    jwtSecret: Uint8Array;
    issuer: string;
    audience: string;
    accessTokenTtlMs: number;
    refreshTokenTtlMs: number;
    /** A rotated refresh token presented again this soon gets the same new pair (two tabs refreshing at once); later it revokes its sign-in. */
    refreshReuseIntervalMs: number;
    bcryptCost: number;
  };
  llm: {
    provider: 'groq' | 'openai-compatible' | 'offline';
    groqApiKey?: string;
    groqBaseUrl?: string;
    openaiBaseUrl?: string;
    openaiApiKey?: string;
    defaultModel: string;
    requestTimeoutMs: number;
    retries: number;
    retryBaseDelayMs: number;
    offlineChunkDelayMs: number;
  };
  chat: {
    contextTokenBudget: number;
    maxReplyTokens: number;
    messageMaxLength: number;
    flushIntervalMs: number;
    /** Quiet streaming replies are touched this often; one untouched for 3× is orphaned. */
    heartbeatMs: number;
    shutdownGraceMs: number;
    /** Facts remembered per user (over all bots); beyond it the least recently used go. */
    memoryCap: number;
  };
  http: {
    corsOrigins: string[];
    graphiql: boolean;
    introspection: boolean;
    /** Proxy hops whose X-Forwarded-For entries are trusted (0: use the socket's address). */
    trustedProxies: number;
    maxRequestBytes: number;
    /** When set, /metrics wants `Authorization: Bearer <token>`. */
    metricsToken?: string;
    persistedOperations?: { file: string; only: boolean };
  };
  graphqlLimits: { maxDepth: number; maxAliases: number; maxTokens: number; maxCost: number };
  limits: {
    /** Sign-in and sign-up attempts per IP per minute. */
    authPerIpPerMinute: number;
    /** Wrong passwords per account from one IP per 15 minutes (a correct one from elsewhere still works). */
    loginFailuresPerAccountAndIp: number;
    /** Wrong passwords per account from anywhere per hour (slows distributed guessing). */
    loginFailuresPerAccount: number;
    /** Messages a user may send per minute. */
    sendsPerUserPerMinute: number;
    /** Replies a user may have streaming at once. */
    concurrentRepliesPerUser: number;
    /** Guests' own, stricter limits. */
    guest: { sendsPerMinute: number; messagesPerDay: number; concurrentReplies: number; startsPerIpPerMinute: number };
  };
  sites: {
    /** Guests without activity for this long are deleted with everything they had. */
    guestRetentionMs: number;
    /** When set, the demo's sites are seeded (npm start sets it; the demo's server signs identity tokens with it). */
    demoIdentitySecret?: string;
  };
  admin: {
    /** Accounts with these e-mails are admins (made so at start-up and when they register). */
    emails: string[];
    /** Audit entries older than this are swept. */
    auditRetentionMs: number;
    /** How often the analytics roll-up redoes yesterday and today: how fresh analytics are. */
    rollupIntervalMs: number;
    /** Daily quotas per role, unless the user's site or the user has an override. Admins have none. */
    quotas: Record<'USER' | 'GUEST', { messagesPerDay: number; tokensPerDay: number }>;
  };
  logLevel: Env['LOG_LEVEL'];
  widgetDist: string;
  /** Where the console's bundle (admin.js) is built. */
  adminDist: string;
}

/**
 * Whether the schema should warn about Prisma selections no field used. The schema is built when its
 * modules load, before loadConfig() runs, so this one setting is read at import time.
 */
export const warnOnUnusedQueries = process.env.NODE_ENV === 'development';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment once; every problem is one line of the error. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const values = withoutEmptyValues(source);
  const parsed = envSchema.safeParse(values);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'} ${i.message}`)),
    ...crossFieldProblems(values),
  ];
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const env = parsed.data;
  const provider =
    env.LLM_PROVIDER ?? (env.GROQ_API_KEY ? 'groq' : env.OPENAI_BASE_URL ? 'openai-compatible' : 'offline');

  const isProduction = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir: env.DATA_DIR,
    database: {
      url: env.DATABASE_URL,
      provider: /^postgres(ql)?:\/\//.test(env.DATABASE_URL) ? 'postgresql' : 'sqlite',
      poolSize: env.DATABASE_POOL_SIZE,
      migrateOnStart: env.MIGRATE_ON_START,
    },
    redisUrl: env.REDIS_URL,
    auth: {
      jwtSecret: new TextEncoder().encode(env.JWT_SECRET ?? developmentSecret(env.DATA_DIR)),
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTokenTtlMs: env.ACCESS_TOKEN_TTL,
      refreshTokenTtlMs: env.REFRESH_TOKEN_TTL,
      refreshReuseIntervalMs: env.REFRESH_REUSE_INTERVAL,
      bcryptCost: env.BCRYPT_COST,
    },
    llm: {
      provider,
      groqApiKey: env.GROQ_API_KEY,
      groqBaseUrl: env.GROQ_BASE_URL,
      openaiBaseUrl: env.OPENAI_BASE_URL,
      openaiApiKey: env.OPENAI_API_KEY,
      defaultModel: env.DEFAULT_MODEL ?? (provider === 'groq' ? 'llama-3.1-8b-instant' : provider === 'offline' ? 'offline' : 'llama3.1'),
      requestTimeoutMs: env.LLM_TIMEOUT_MS,
      retries: env.LLM_RETRIES,
      retryBaseDelayMs: env.LLM_RETRY_BASE_MS,
      offlineChunkDelayMs: env.OFFLINE_CHUNK_DELAY_MS,
    },
    chat: {
      contextTokenBudget: env.CONTEXT_TOKEN_BUDGET,
      maxReplyTokens: env.MAX_REPLY_TOKENS,
      messageMaxLength: env.MESSAGE_MAX_LENGTH,
      flushIntervalMs: env.STREAM_FLUSH_MS,
      heartbeatMs: env.STREAM_HEARTBEAT_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      memoryCap: env.MEMORY_CAP_PER_USER,
    },
    http: {
      corsOrigins: env.CORS_ORIGINS,
      graphiql: env.GRAPHIQL ?? !isProduction,
      introspection: env.INTROSPECTION ?? !isProduction,
      trustedProxies: env.TRUST_PROXY,
      maxRequestBytes: env.MAX_REQUEST_BYTES,
      metricsToken: env.METRICS_TOKEN,
      persistedOperations: env.PERSISTED_OPERATIONS_FILE
        ? { file: path.resolve(env.PERSISTED_OPERATIONS_FILE), only: env.PERSISTED_OPERATIONS_ONLY }
        : undefined,
    },
    graphqlLimits: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxCost: env.GRAPHQL_MAX_COST,
    },
    limits: {
      authPerIpPerMinute: env.RATE_LIMIT_AUTH_PER_IP,
      loginFailuresPerAccountAndIp: env.RATE_LIMIT_LOGIN_FAILURES,
      loginFailuresPerAccount: env.RATE_LIMIT_LOGIN_FAILURES_ACCOUNT,
      sendsPerUserPerMinute: env.RATE_LIMIT_SENDS_PER_MINUTE,
      concurrentRepliesPerUser: env.RATE_LIMIT_CONCURRENT_REPLIES,
      guest: {
        sendsPerMinute: env.RATE_LIMIT_GUEST_SENDS_PER_MINUTE,
        messagesPerDay: env.RATE_LIMIT_GUEST_MESSAGES_PER_DAY,
        concurrentReplies: env.RATE_LIMIT_GUEST_CONCURRENT_REPLIES,
        startsPerIpPerMinute: env.RATE_LIMIT_GUEST_STARTS_PER_IP,
      },
    },
    sites: { guestRetentionMs: env.GUEST_RETENTION, demoIdentitySecret: env.DEMO_IDENTITY_SECRET },
    admin: {
      emails: env.ADMIN_EMAILS.map((email) => email.toLowerCase()),
      auditRetentionMs: env.AUDIT_RETENTION,
      rollupIntervalMs: env.ANALYTICS_ROLLUP_INTERVAL,
      quotas: {
        USER: { messagesPerDay: env.QUOTA_USER_MESSAGES_PER_DAY, tokensPerDay: env.QUOTA_USER_TOKENS_PER_DAY },
        GUEST: { messagesPerDay: env.QUOTA_GUEST_MESSAGES_PER_DAY, tokensPerDay: env.QUOTA_GUEST_TOKENS_PER_DAY },
      },
    },
    logLevel: env.LOG_LEVEL,
    adminDist: env.ADMIN_DIST ?? path.resolve(import.meta.dirname, '../../admin/dist'),
    widgetDist: env.WIDGET_DIST ?? path.resolve(import.meta.dirname, '../../widget/dist'),
  };
}

export function parseDurationMs(value: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(value);
  if (!match) throw new Error(`not a duration: ${value}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

// Rules across variables, checked on the raw values so that every problem is reported at once.
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production') {
    if (!env.JWT_SECRET) problems.push('JWT_SECRET is required when NODE_ENV=production');
    else if (isWeakSecret(env.JWT_SECRET)) problems.push('JWT_SECRET is too weak: use at least 32 random characters');
  }
  if (isTrue(env.PERSISTED_OPERATIONS_ONLY) && !env.PERSISTED_OPERATIONS_FILE) {
    problems.push('PERSISTED_OPERATIONS_ONLY needs PERSISTED_OPERATIONS_FILE');
  }
  if (env.LLM_PROVIDER === 'groq' && !env.GROQ_API_KEY) problems.push('GROQ_API_KEY is required when LLM_PROVIDER=groq');
  if (env.LLM_PROVIDER === 'openai-compatible' && !env.OPENAI_BASE_URL) {
    problems.push('OPENAI_BASE_URL is required when LLM_PROVIDER=openai-compatible');
  }
  return problems;
}

// A long secret of few distinct characters ("aaaa…", "12341234…") is as guessable as a short one.
function isWeakSecret(secret: string): boolean {
  return secret.length < 32 || new Set(secret).size < 10 || WEAK_SECRETS.has(secret.toLowerCase());
}

const isTrue = (value: string | undefined) => value === 'true' || value === '1';

function withoutEmptyValues(source: Record<string, string | undefined>) {
  return Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
}

// Development only: a random secret kept under the data directory, so restarts don't sign users out.
function developmentSecret(dataDir: string): string {
  const file = path.join(dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    const secret = randomBytes(48).toString('base64url');
    mkdirSync(dataDir, { recursive: true });
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      return readFileSync(file, 'utf8').trim(); // another process wrote it first
    }
  }
}
