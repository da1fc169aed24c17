// Bots: the shared system bots and the viewer's own.
import type { AuthState } from './auth';
import { BotQuery, BotsQuery, CreateBotMutation, DeleteBotMutation, toBot, UpdateBotMutation } from './documents';
import { NotFoundError } from './errors';
import type { Bot, BotInput } from './types';

/** `chat.bots`: the bots the viewer can talk to, and the viewer's own bots. */
export interface BotsApi {
  /** The system bots first, then the viewer's own, oldest first. */
  list(): Promise<Bot[]>;
  /** @throws {@link NotFoundError} when the bot does not exist or is someone else's. */
  get(id: string): Promise<Bot>;
  /**
   * Creates a bot owned by the viewer.
   * @throws {@link ValidationError} (`field` says which input), {@link AuthError} when signed out or over the bot limit.
   */
  create(input: BotInput & { name: string; systemPrompt: string }): Promise<Bot>;
  /**
   * Changes the given fields of a bot.
   * @throws {@link AuthError} (`FORBIDDEN`) for a bot the viewer may not edit, {@link NotFoundError}, {@link ValidationError}.
   */
  update(id: string, input: BotInput): Promise<Bot>;
  /** Deletes one of the viewer's bots with its sessions. Resolves with the deleted id. */
  delete(id: string): Promise<string>;
}

export function createBotsApi(auth: AuthState): BotsApi {
  return {
    async list() {
      const { bots } = await auth.request(BotsQuery, {});
      return bots.map(toBot);
    },
    async get(id) {
      const { bot } = await auth.request(BotQuery, { id });
      if (!bot) throw new NotFoundError('Bot not found.', { code: 'NOT_FOUND' });
      return toBot(bot);
    },
    async create(input) {
      const { createBot } = await auth.request(CreateBotMutation, { input });
      return toBot(createBot);
    },
    async update(id, input) {
      const { updateBot } = await auth.request(UpdateBotMutation, { id, input });
      return toBot(updateBot);
    },
    async delete(id) {
      const { deleteBot } = await auth.request(DeleteBotMutation, { id });
      return deleteBot;
    },
  };
}
