// Bots: the shared system bots (changed only by admins) and each user's own.
import { DEFAULT_MODEL } from '@multi-bot-chat/prisma/seed';
import { z } from 'zod';
import type { Viewer } from '../auth/viewer.ts';
import type { Db } from '../db.ts';
import { forbidden } from '../errors.ts';
import { findVisibleBot, visibleBotsWhere } from './access.ts';
import { parseInput } from './validation.ts';

export const MAX_BOTS_PER_USER = 50;

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
};

export const createBotInput = z.object({
  name: botFields.name,
  systemPrompt: botFields.systemPrompt,
  description: botFields.description.nullish(),
  avatar: botFields.avatar.nullish(),
  model: botFields.model.nullish(),
  temperature: botFields.temperature.nullish(),
  settings: botFields.settings.nullish(),
});

export const updateBotInput = z.object({
  name: botFields.name.nullish(),
  systemPrompt: botFields.systemPrompt.nullish(),
  description: botFields.description.nullish(),
  avatar: botFields.avatar.nullish(),
  model: botFields.model.nullish(),
  temperature: botFields.temperature.nullish(),
  settings: botFields.settings.nullish(),
});

/** `query` is the GraphQL layer's select/include, so relations load in the same query. */
export function listBots<Q extends object>(db: Db, viewer: Viewer, query?: Q) {
  // System bots first (NULL owner), then the user's own by age.
  return db.bot.findMany({ ...query, where: visibleBotsWhere(viewer), orderBy: [{ ownerId: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }] });
}

export async function createBot(db: Db, viewer: Viewer, raw: unknown) {
  const input = parseInput(createBotInput, raw);
  const owned = await db.bot.count({ where: { ownerId: viewer.userId } });
  if (owned >= MAX_BOTS_PER_USER) throw forbidden(`You can have at most ${MAX_BOTS_PER_USER} bots.`);
  return db.bot.create({
    data: {
      ownerId: viewer.userId,
      slug: await uniqueSlug(db, viewer.userId, input.name),
      name: input.name,
      systemPrompt: input.systemPrompt,
      description: input.description ?? '',
      avatar: input.avatar ?? '',
      model: input.model ?? DEFAULT_MODEL,
      temperature: input.temperature ?? 0.7,
      settings: JSON.stringify(input.settings ?? {}),
    },
  });
}

export async function updateBot(db: Db, viewer: Viewer, id: string, raw: unknown) {
  const bot = await findEditableBot(db, viewer, id);
  const input = parseInput(updateBotInput, raw);
  return db.bot.update({
    where: { id: bot.id },
    data: {
      name: input.name ?? undefined,
      systemPrompt: input.systemPrompt ?? undefined,
      description: input.description ?? undefined,
      avatar: input.avatar ?? undefined,
      model: input.model ?? undefined,
      temperature: input.temperature ?? undefined,
      settings: input.settings ? JSON.stringify(input.settings) : undefined,
    },
  });
}

export async function deleteBot(db: Db, viewer: Viewer, id: string): Promise<void> {
  const bot = await findEditableBot(db, viewer, id);
  await db.bot.delete({ where: { id: bot.id } });
}

export function canEdit(viewer: Viewer | null, bot: { ownerId: string | null }): boolean {
  if (!viewer) return false;
  return bot.ownerId === null ? viewer.role === 'ADMIN' : bot.ownerId === viewer.userId;
}

async function findEditableBot(db: Db, viewer: Viewer, id: string) {
  const bot = await findVisibleBot(db, viewer, id);
  if (!canEdit(viewer, bot)) throw forbidden('Only an admin can change a system bot.');
  return bot;
}

async function uniqueSlug(db: Db, ownerId: string, name: string): Promise<string> {
  const base = name.toLowerCase().normalize('NFKD').replace(/[^\w]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'bot';
  const taken = new Set(
    (await db.bot.findMany({ where: { ownerId, slug: { startsWith: base } }, select: { slug: true } })).map((b) => b.slug),
  );
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}
