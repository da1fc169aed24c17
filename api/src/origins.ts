// Per-bot allowed origins for the widget. A bot's settings may list the sites that may use it from a
// browser: `{ "allowedOrigins": ["https://shop.example"] }`. Empty or absent: any site that
// CORS_ORIGINS lets in. Browsers send Origin and pages cannot forge it, so this keeps a bot on the
// sites that embed it; clients outside a browser send no Origin and are bound by sign-in alone.
import type { Bot } from '@multi-bot-chat/prisma/sqlite';
import type { SessionWithBot } from './chat/session-store.ts';
import type { Viewer } from './auth/viewer.ts';
import { forbidden } from './errors.ts';
import type { Context } from './schema/builder.ts';

type RequestContext = Pick<Context, 'app' | 'request'>;

/** The bot's allowed origins, normalized ("https://shop.example"); unreadable entries are ignored. */
function allowedOriginsOf(settings: string): string[] {
  let list: unknown;
  try {
    list = (JSON.parse(settings) as { allowedOrigins?: unknown } | null)?.allowedOrigins;
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((entry) => {
    const origin = typeof entry === 'string' ? normalizeOrigin(entry) : null;
    return origin ? [origin] : [];
  });
}

/** Throws FORBIDDEN when a browser on a site the bot does not allow tries to use it. */
export function assertBotAllowsOrigin(ctx: Pick<Context, 'request'>, bot: { settings: string }): void {
  const origin = foreignOrigin(ctx.request);
  if (!origin) return;
  const allowed = allowedOriginsOf(bot.settings);
  if (allowed.length && !allowed.includes(origin)) throw forbidden('This bot cannot be used from this site.');
}

/**
 * The same check by bot id (createSession); a bot the viewer cannot see stays NOT_FOUND. Returns
 * the bot when it had to read it, so the caller need not read it again.
 */
export async function assertBotIdAllowsOrigin(ctx: RequestContext, viewer: Viewer, botId: string): Promise<Bot | undefined> {
  if (!foreignOrigin(ctx.request)) return; // most requests: no database round trip
  const bot = await ctx.app.bots.find(viewer, botId);
  assertBotAllowsOrigin(ctx, bot);
  return bot;
}

/** The same check by session id (sendMessage); another user's session stays NOT_FOUND. Returns the session it read, if any. */
export async function assertSessionAllowsOrigin(ctx: RequestContext, viewer: Viewer, sessionId: string): Promise<SessionWithBot | undefined> {
  if (!foreignOrigin(ctx.request)) return;
  const session = await ctx.app.sessions.find(viewer, sessionId);
  assertBotAllowsOrigin(ctx, session.bot);
  return session;
}

/**
 * The Origin of a browser request from another site, or null: no Origin (not a browser) or the
 * API's own origin (its GraphiQL, or the widget on the API's own pages).
 */
export function foreignOrigin(request: Request): string | null {
  const header = request.headers.get('origin');
  const origin = header ? normalizeOrigin(header) : null;
  if (!header) return null;
  if (!origin) return header; // "null" (sandboxed frames, file://): never on an allowlist
  return new URL(origin).host === new URL(request.url).host ? null : origin;
}

function normalizeOrigin(value: string): string | null {
  try {
    const { origin } = new URL(value.trim());
    return origin === 'null' ? null : origin.toLowerCase();
  } catch {
    return null;
  }
}
