// Rate limits for a public chat endpoint. In memory on one instance; through Redis when it is
// configured, so every instance counts against the same budget.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { normalizeEmail } from './auth/email.ts';
import type { Viewer } from './auth/viewer.ts';
import type { Config } from './config.ts';
import { rateLimited } from './errors.ts';

export class Limits {
  private readonly authByIp: RateLimiterAbstract;
  private readonly failuresByAccountAndIp: RateLimiterAbstract;
  private readonly failuresByAccount: RateLimiterAbstract;
  private readonly sendsByUser: RateLimiterAbstract;
  private readonly sendsByGuest: RateLimiterAbstract;
  private readonly guestStartsByIp: RateLimiterAbstract;

  constructor(config: Config['limits'], redis?: Redis) {
    // If Redis fails, each instance counts in memory meanwhile rather than refusing every request.
    const make = (keyPrefix: string, points: number, duration: number) =>
      redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `mbc:${keyPrefix}`,
            points,
            duration,
            // While Redis is down, straight to memory: queued for ioredis's reconnection attempts,
            // each send and sign-in waited ~4 s before falling back (test/resilience/redis-outage).
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
          })
        : new RateLimiterMemory({ keyPrefix, points, duration });
    this.authByIp = make('auth-ip', config.authPerIpPerMinute, 60);
    this.failuresByAccountAndIp = make('login-fail-account-ip', config.loginFailuresPerAccountAndIp, 15 * 60);
    this.failuresByAccount = make('login-fail-account', config.loginFailuresPerAccount, 60 * 60);
    this.sendsByUser = make('send-user', config.sendsPerUserPerMinute, 60);
    this.sendsByGuest = make('send-guest', config.guest.sendsPerMinute, 60);
    this.guestStartsByIp = make('guest-start-ip', config.guest.startsPerIpPerMinute, 60);
  }

  /** Runs a sign-in attempt under the brute-force limits; wrong passwords count, a success clears its record. */
  async guardLogin<T>(ip: string, email: string, attempt: () => Promise<T>): Promise<T> {
    const account = normalizeEmail(email);
    await consume(this.authByIp, ip, 'Too many sign-in attempts from your network. Try again later.');
    await check(this.failuresByAccountAndIp, `${account}|${ip}`, 'Too many wrong passwords. Try again later.');
    await check(this.failuresByAccount, account, 'Too many wrong passwords for this account. Try again later.');
    try {
      const result = await attempt();
      await this.failuresByAccountAndIp.delete(`${account}|${ip}`);
      return result;
    } catch (error) {
      if ((error as { extensions?: { code?: string } }).extensions?.code === 'UNAUTHENTICATED') {
        await Promise.allSettled([
          this.failuresByAccountAndIp.penalty(`${account}|${ip}`),
          this.failuresByAccount.penalty(account),
        ]);
      }
      throw error;
    }
  }

  async guardRegister(ip: string): Promise<void> {
    await consume(this.authByIp, ip, 'Too many sign-up attempts from your network. Try again later.');
  }

  /** Sends per minute. The concurrent-reply limit is taken atomically with the send itself (chat/message-store.ts). */
  async guardSend(viewer: Viewer): Promise<void> {
    const limiter = viewer.role === 'GUEST' ? this.sendsByGuest : this.sendsByUser;
    await consume(limiter, viewer.userId, 'You are sending messages too fast. Try again shortly.');
  }

  /** New guests per address: a script cannot mint guests (and their message allowances) without end. */
  async guardGuestStart(ip: string): Promise<void> {
    await consume(this.guestStartsByIp, ip, 'Too many new chats from your network. Try again later.');
  }
}

async function consume(limiter: RateLimiterAbstract, key: string, message: string) {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw rateLimited(Math.ceil(error.msBeforeNext / 1000), message);
    throw error;
  }
}

async function check(limiter: RateLimiterAbstract, key: string, message: string) {
  const state = await limiter.get(key);
  if (state && state.consumedPoints >= limiter.points) throw rateLimited(Math.ceil(state.msBeforeNext / 1000), message);
}
