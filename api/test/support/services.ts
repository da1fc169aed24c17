// Suites that need PostgreSQL, Redis or Chromium run when these are reachable and say loudly when
// they are not. With REQUIRE_SERVICES=1 (as .ci/run sets) a missing service fails the run instead.
import { Redis } from 'ioredis';
import { postgresAvailable } from './databases.ts';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function redisAvailable(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** True when the service is there; otherwise warns (or throws under REQUIRE_SERVICES=1) and returns false. */
export function requireService(name: string, available: boolean, suite: string): boolean {
  if (available) return true;
  const message = `${suite} needs ${name}, which is not reachable`;
  if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${message} (REQUIRE_SERVICES=1 forbids skipping)`);
  console.warn(`\n*** SKIPPED: ${message}. ***\n`);
  return false;
}

export const hasPostgres = () => postgresAvailable();
export const hasRedis = () => redisAvailable();
