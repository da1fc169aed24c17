// Cross-site request forgery: a page on any site can make a visitor's browser POST here without a
// CORS preflight, but only as a form or a "simple" fetch, whose content type is one of these three
// (or none). GraphQL over HTTP is sent as JSON, so such a POST never comes from a real client, and
// refusing it before parsing means a forged request can never run a mutation. GET needs no check:
// Yoga runs only queries and subscriptions over GET (a mutation gets 405).
import type { IncomingMessage } from 'node:http';

const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', '']);

export function isForgeablePost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return SIMPLE_CONTENT_TYPES.has(mediaType);
}
