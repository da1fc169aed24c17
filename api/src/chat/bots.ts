// Bots: the shared system bots (changed only by admins) and each user's own.
import { DEFAULT_MODEL } from '@multi-bot-chat/prisma/seed';
import type { Bot } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { conflict, forbidden, notFound, unauthenticated } from '../errors.ts';
import { visibleBots } from './access.ts';
import type { RequestSite } from '../sites/sites.ts';
import { parseInput } from './validation.ts';

export const MAX_BOTS_PER_USER = 50;
/** Starter prompts shown on an empty chat: more would crowd a small widget. */
export const MAX_STARTERS = 4;
const BOT_ORDER = [{ ownerId: { sort: 'asc' as const, nulls: 'first' as const } }, { createdAt: 'asc' as const }];
/** Tries at a free slug when another bot of the same name is created at the same moment. */
const SLUG_ATTEMPTS = 5;

const botFields = {
  name: z.string().trim().min(1, 'The name is empty.').max(60, 'The name is longer than 60 characters.'),
  description: z.string().trim().max(500, 'The description is longer than 500 characters.'),
  avatar: z.string().trim().max(500, 'The avatar is longer than 500 characters.'),
  model: z.string().trim().min(1, 'The model is empty.').max(100, 'The model name is longer than 100 characters.'),
  systemPrompt: z.string().trim().min(1, 'The system prompt is empty.').max(8000, 'The system prompt is longer than 8000 characters.'),
  temperature: z.number().min(0, 'The temperature must be between 0 and 2.').max(2, 'The temperature must be between 0 and 2.'),
  settings: z
    .record(z.string(), z.unknown())
    .refine((v) => JSON.stringify(v).length <= 4000, 'The settings are larger than 4000 characters.'),
  topP: z.number().gt(0, 'top_p must be above 0 and at most 1.').max(1, 'top_p must be above 0 and at most 1.'),
  welcome: z.string().trim().max(500, 'The welcome message is longer than 500 characters.'),
  starters: z
    .array(z.string().trim().min(1, 'A starter prompt is empty.').max(200, 'A starter prompt is longer than 200 characters.'))
    .max(MAX_STARTERS, `A bot has at most ${MAX_STARTERS} starter prompts.`),
};
const optional = {
  description: botFields.description.nullish(),
  avatar: botFields.avatar.nullish(),
  model: botFields.model.nullish(),
  temperature: botFields.temperature.nullish(),
  settings: botFields.settings.nullish(),
  topP: botFields.topP.nullish(),
  welcome: botFields.welcome.nullish(),
  starters: botFields.starters.nullish(),
};

export const createBotInput = z.object({ name: botFields.name, systemPrompt: botFields.systemPrompt, ...optional });
export const updateBotInput = z.object({ name: botFields.name.nullish(), systemPrompt: botFields.systemPrompt.nullish(), ...optional });

/** The columns of a new bot from its validated input (owner and slug are the caller's). */
export function newBotData(input: z.infer<typeof createBotInput>) {
  return {
    name: input.name,
    systemPrompt: input.systemPrompt,
    description: input.description ?? '',
    avatar: input.avatar ?? '',
    model: input.model ?? DEFAULT_MODEL,
    temperature: input.temperature ?? 0.7,
    settings: JSON.stringify(input.settings ?? {}),
    topP: input.topP ?? null,
    welcome: input.welcome ?? '',
    starters: JSON.stringify(input.starters ?? []),
  };
}

/** The columns an update changes (absent fields stay as they are). */
export function botChanges(input: z.infer<typeof updateBotInput>) {
  return {
    name: input.name ?? undefined,
    systemPrompt: input.systemPrompt ?? undefined,
    description: input.description ?? undefined,
    avatar: input.avatar ?? undefined,
    model: input.model ?? undefined,
    temperature: input.temperature ?? undefined,
    settings: input.settings ? JSON.stringify(input.settings) : undefined,
    topP: input.topP ?? undefined,
    welcome: input.welcome ?? undefined,
    starters: input.starters ? JSON.stringify(input.starters) : undefined,
  };
}

export function canEdit(viewer: Viewer | null, bot: { ownerId: string | null }): boolean {
  if (!viewer) return false;
  return bot.ownerId === null ? viewer.role === 'ADMIN' : bot.ownerId === viewer.userId;
}

export class BotService {
  constructor(
    private readonly db: Db,
    /** Ends the replies and subscriptions of sessions deleted with a bot. */
    private readonly endSessions: (sessions: Array<{ id: string; userId: string }>) => Promise<void>,
  ) {}

  /**
   * System bots first (NULL owner), then the viewer's own by age; on a site that names its bots,
   * only those of the system bots. `query`: the GraphQL layer's select/include.
   */
  list<Q extends object>(viewer: Viewer, site?: Pick<RequestSite, 'botIds'>, query?: Q) {
    const shown = site?.botIds.length ? { OR: [{ ownerId: { not: null } }, { id: { in: site.botIds } }] } : {};
    return this.db.bot.findMany({ ...query, where: { AND: [visibleBots(viewer), shown, { disabledAt: null }] }, orderBy: BOT_ORDER });
  }

  /** The system bots a site shows (all of them unless it names some), for visitors not signed in yet. */
  shownBy<Q extends object>(site: Pick<RequestSite, 'botIds'>, query?: Q) {
    return this.db.bot.findMany({ ...query, where: { ownerId: null, disabledAt: null, ...(site.botIds.length ? { id: { in: site.botIds } } : {}) }, orderBy: BOT_ORDER });
  }

  /** A bot the viewer can see, or null. */
  get<Q extends object>(viewer: Viewer, id: string, query?: Q) {
    return this.db.bot.findFirst({ ...query, where: { id, ...visibleBots(viewer) } });
  }

  /** A bot the viewer can see; NOT_FOUND otherwise. */
  async find(viewer: Viewer, id: string): Promise<Bot> {
    const bot = await this.get(viewer, id);
    if (!bot) throw notFound('Bot');
    return bot;
  }

  /** The bots among `ids` the viewer can see, in one query. */
  byIds(viewer: Viewer, ids: string[]): Promise<Bot[]> {
    return this.db.bot.findMany({ where: { id: { in: ids }, ...visibleBots(viewer) } });
  }

  /**
   * The count under the per-user cap and the slug are read and written in one transaction that
   * holds the owner's row lock, so concurrent creations can neither pass the cap nor pick one slug
   * twice; a slug taken by a concurrent system-bot seed or an old row is tried again.
   */
  async create(viewer: Viewer, raw: unknown): Promise<Bot> {
    if (viewer.role === 'GUEST') throw forbidden('Create an account to make bots of your own.');
    const input = parseInput(createBotInput, raw);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.$transaction(async (tx) => {
          const locked = await tx.$executeRaw`UPDATE "User" SET "email" = "email" WHERE "id" = ${viewer.userId}`;
          if (locked === 0) throw unauthenticated('This account no longer exists.');
          const owned = await tx.bot.count({ where: { ownerId: viewer.userId } });
          if (owned >= MAX_BOTS_PER_USER) throw forbidden(`You can have at most ${MAX_BOTS_PER_USER} bots.`);
          return tx.bot.create({
            data: { ...newBotData(input), ownerId: viewer.userId, slug: await uniqueSlug(tx as unknown as Db, viewer.userId, input.name) },
          });
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        if (attempt >= SLUG_ATTEMPTS) throw conflict('name', 'Another bot with this name was created at the same moment. Try again.');
      }
    }
  }

  async update(viewer: Viewer, id: string, raw: unknown): Promise<Bot> {
    const bot = await this.findEditable(viewer, id);
    const input = parseInput(updateBotInput, raw);
    const { count } = await this.db.bot.updateMany({
      where: { id: bot.id },
      data: botChanges(input),
    });
    if (count === 0) throw notFound('Bot'); // deleted meanwhile
    return this.find(viewer, bot.id);
  }

  /** Deletes the bot with its sessions; replies streaming in them stop and their subscribers are told. */
  async delete(viewer: Viewer, id: string): Promise<void> {
    const bot = await this.findEditable(viewer, id);
    const sessions = await this.db.chatSession.findMany({ where: { botId: bot.id }, select: { id: true, userId: true } });
    const { count } = await this.db.bot.deleteMany({ where: { id: bot.id } });
    if (count === 0) throw notFound('Bot');
    await this.endSessions(sessions);
  }

  private async findEditable(viewer: Viewer, id: string): Promise<Bot> {
    const bot = await this.find(viewer, id);
    if (!canEdit(viewer, bot)) throw forbidden('Only an admin can change a system bot.');
    return bot;
  }
}

export async function uniqueSlug(db: Db, ownerId: string | null, name: string): Promise<string> {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'bot';
  const taken = new Set(
    (await db.bot.findMany({ where: { ownerId, slug: { startsWith: base } }, select: { slug: true } })).map((b) => b.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}
