// The services one API instance runs with, wired once at start-up and shared by every request.
import { seedSystemBots } from '@multi-bot-chat/prisma/seed';
import pino, { type Logger } from 'pino';
import { AuthService } from './auth/auth-service.ts';
import { MessageService } from './chat/messages.ts';
import { failOrphanedReplies } from './chat/recovery.ts';
import { ReplyGenerator } from './chat/replies.ts';
import type { Config } from './config.ts';
import { createDb, type Db, tuneDb } from './db.ts';
import { Limits } from './limits.ts';
import { createLlmProvider } from './llm/index.ts';
import type { LlmProvider } from './llm/types.ts';
import { Metrics } from './metrics.ts';
import { createAppPubSub, type PubSub } from './pubsub.ts';

export interface App {
  config: Config;
  db: Db;
  pubsub: PubSub;
  llm: LlmProvider;
  logger: Logger;
  metrics: Metrics;
  auth: AuthService;
  messages: MessageService;
  replies: ReplyGenerator;
  limits: Limits;
  /** Database (and Redis) reachable: what /readyz reports. */
  ready(): Promise<boolean>;
  /** Finishes replies in flight within the grace period, then closes pools. */
  close(): Promise<void>;
}

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
  const db = createDb(config.database);
  await tuneDb(db, config.database.provider);
  await seedSystemBots(db);
  const orphans = await failOrphanedReplies(db, config, true);
  if (orphans) logger.warn({ count: orphans }, 'marked replies interrupted by a previous crash as FAILED');

  const { pubsub, redis, close: closePubSub } = createAppPubSub(config.redisUrl);
  const llm = createLlmProvider(config.llm);
  const metrics = new Metrics();
  const deps = { db, pubsub, llm, config, logger, metrics };
  const replies = new ReplyGenerator(deps);
  const messages = new MessageService(deps, replies);

  // A cancel may arrive at any instance; the one generating the reply stops it.
  const control = pubsub.subscribe('replyControl');
  void (async () => {
    for await (const command of control) {
      if (command.action === 'cancel') replies.stop(command.messageId, 'cancel');
    }
  })();
  const sweeper = setInterval(() => {
    failOrphanedReplies(db, config, false).catch((error) => logger.error({ err: error }, 'orphan sweep failed'));
  }, config.chat.heartbeatMs * 3);
  sweeper.unref();

  logger.info({ provider: llm.name, database: config.database.provider, redis: Boolean(redis) }, 'app ready');
  return {
    config,
    db,
    pubsub,
    llm,
    logger,
    metrics,
    auth: new AuthService(db, config.auth),
    messages,
    replies,
    limits: new Limits(db, config.limits, redis),
    async ready() {
      try {
        await db.$queryRawUnsafe('SELECT 1');
        if (redis) await redis.ping();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      clearInterval(sweeper);
      await replies.drain(config.chat.shutdownGraceMs);
      await control.return?.();
      await closePubSub();
      await db.$disconnect();
    },
  };
}
