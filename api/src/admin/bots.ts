// What an admin does to bots, system and users' alike: list, create system bots, edit, disable.
// A disabled bot leaves visitors' lists and refuses new messages; its sessions stay readable.
import type { Bot, Prisma } from '@multi-bot-chat/prisma/sqlite';
import { botChanges, createBotInput, newBotData, uniqueSlug, updateBotInput } from '../chat/bots.ts';
import { parseInput } from '../chat/validation.ts';
import { type Db, isUniqueViolation } from '../db.ts';
import { conflict, notFound } from '../errors.ts';
import type { AuditService, RequestOrigin } from './audit.ts';

export interface BotSearch {
  query?: string | null;
  /** True: system bots only; false: users' bots only. */
  system?: boolean | null;
  ownerId?: string | null;
}

export class AdminBotService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  search<Q extends object>(search: BotSearch, first: number, after?: string | null, query?: Q) {
    const text = search.query?.trim();
    const where: Prisma.BotWhereInput = {
      ownerId: search.ownerId ?? (search.system === true ? null : search.system === false ? { not: null } : undefined),
      ...(text ? { OR: [{ name: { contains: text } }, { slug: { contains: text.toLowerCase() } }, { id: text }] } : {}),
    };
    return this.db.bot.findMany({
      ...query,
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first,
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
    });
  }

  async createSystem(origin: RequestOrigin, raw: unknown): Promise<Bot> {
    const input = parseInput(createBotInput, raw);
    try {
      const slug = await uniqueSlug(this.db, null, input.name);
      const bot = await this.db.bot.create({ data: { ...newBotData(input), ownerId: null, slug } });
      await this.audit.record(origin, { action: 'bot.created', target: { type: 'Bot', id: bot.id }, details: { system: true } });
      return bot;
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('name', 'A system bot with this name already exists.');
      throw error;
    }
  }

  async update(origin: RequestOrigin, id: string, raw: unknown): Promise<Bot> {
    const input = parseInput(updateBotInput, raw);
    const { count } = await this.db.bot.updateMany({ where: { id }, data: botChanges(input) });
    if (count === 0) throw notFound('Bot');
    const changed = Object.keys(input).filter((key) => input[key as keyof typeof input] != null);
    await this.audit.record(origin, { action: 'bot.updated', target: { type: 'Bot', id }, details: { fields: changed } });
    return this.find(id);
  }

  async setDisabled(origin: RequestOrigin, id: string, disabled: boolean): Promise<Bot> {
    const { count } = await this.db.bot.updateMany({ where: { id }, data: { disabledAt: disabled ? new Date() : null } });
    if (count === 0) throw notFound('Bot');
    await this.audit.record(origin, { action: disabled ? 'bot.disabled' : 'bot.enabled', target: { type: 'Bot', id } });
    return this.find(id);
  }

  async find(id: string): Promise<Bot> {
    const bot = await this.db.bot.findUnique({ where: { id } });
    if (!bot) throw notFound('Bot');
    return bot;
  }
}
