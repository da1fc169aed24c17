// The client's address, which the per-IP rate limits key on.
import type { IncomingMessage } from 'node:http';

/**
 * Each trusted proxy appends the address it saw to X-Forwarded-For, so the client's address is the
 * entry `trustedProxies` places from the right. Entries further left were written by the client
 * itself and can be anything: trusting the leftmost one would let a brute-forcer pick a new
 * "address" for every attempt.
 */
export function clientIp(req: IncomingMessage, trustedProxies: number): string {
  const socketAddress = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return socketAddress;
  const chain = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // A shorter chain than configured means the request skipped an outer proxy: its first entry is still real.
  return chain[Math.max(chain.length - trustedProxies, 0)] ?? socketAddress;
}
