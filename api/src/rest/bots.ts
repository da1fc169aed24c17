// /bots: the shared system bots (changed only by admins) and the viewer's own.
import type { Bot as BotRow } from '@multi-bot-chat/prisma/sqlite';
import { z } from 'zod';
import { createBotInput, updateBotInput } from '../chat/bots.ts';
import { named, operation, timestamp } from './operation.ts';

const Bot = named(
  'Bot',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    avatar: z.string(),
    model: z.string().describe('"default" means the server\'s configured default model.'),
    system_prompt: z.string(),
    temperature: z.number(),
    owner_id: z.string().nullable().describe('null for the shared system bots.'),
    created_at: timestamp(),
    updated_at: timestamp(),
  }),
);

const BotWithSettings = named(
  'BotWithSettings',
  Bot.extend({ settings: z.record(z.string(), z.unknown()).describe('e.g. { "allowedOrigins": ["https://shop.example"] }') }),
);

// The services' own field rules, under the contract's snake_case names.
const fieldsOf = (input: typeof createBotInput | typeof updateBotInput) => ({
  name: input.shape.name,
  description: input.shape.description,
  avatar: input.shape.avatar,
  model: input.shape.model,
  system_prompt: input.shape.systemPrompt,
  temperature: input.shape.temperature,
  settings: input.shape.settings,
});
const NewBot = named('NewBot', z.strictObject(fieldsOf(createBotInput)));
const BotChanges = named('BotChanges', z.strictObject(fieldsOf(updateBotInput)), 'Fields left out keep their values.');

type BotFields = z.output<typeof BotChanges>;
const serviceInput = ({ system_prompt, ...rest }: BotFields) => ({ ...rest, systemPrompt: system_prompt });

function bot(row: BotRow): z.output<typeof Bot> {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    avatar: row.avatar,
    model: row.model,
    system_prompt: row.systemPrompt,
    temperature: row.temperature,
    owner_id: row.ownerId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

const withSettings = (row: BotRow): z.output<typeof BotWithSettings> => ({ ...bot(row), settings: JSON.parse(row.settings) });

export const botOperations = [
  operation({
    method: 'GET',
    path: '/bots',
    tag: 'Bots',
    summary: "List the system bots and the viewer's own",
    auth: true,
    responses: { 200: { description: 'System bots first, then your own by age.', schema: z.array(Bot) } },
    async handle(rest, { viewer }) {
      const bots = await rest.app.bots.list(viewer);
      return { status: 200, body: bots.map(bot) };
    },
  }),
  operation({
    method: 'GET',
    path: '/bots/{id}',
    tag: 'Bots',
    summary: 'Read a bot with its settings',
    auth: true,
    responses: { 200: { description: 'The bot.', schema: BotWithSettings } },
    async handle(rest, { viewer }) {
      return { status: 200, body: withSettings(await rest.app.bots.find(viewer, rest.params.id)) };
    },
  }),
  operation({
    method: 'POST',
    path: '/bots',
    tag: 'Bots',
    summary: 'Create a bot of your own',
    auth: true,
    body: { schema: NewBot },
    responses: { 201: { description: 'The new bot.', schema: BotWithSettings } },
    errors: { 403: 'You have as many bots as a user may have.', 409: 'Another bot of yours with this name was created at the same moment: try again.' },
    async handle(rest, { viewer, body }) {
      return { status: 201, body: withSettings(await rest.app.bots.create(viewer, serviceInput(body))) };
    },
  }),
  operation({
    method: 'PUT',
    path: '/bots/{id}',
    tag: 'Bots',
    summary: 'Change a bot',
    description: 'Your own bots; the system bots only as an admin (403 otherwise).',
    auth: true,
    body: { schema: BotChanges },
    responses: { 200: { description: 'The changed bot.', schema: BotWithSettings } },
    errors: { 403: 'A system bot, and you are not an admin.' },
    async handle(rest, { viewer, body }) {
      return { status: 200, body: withSettings(await rest.app.bots.update(viewer, rest.params.id, serviceInput(body))) };
    },
  }),
  operation({
    method: 'DELETE',
    path: '/bots/{id}',
    tag: 'Bots',
    summary: 'Delete a bot with its sessions',
    description: 'Your own bots; the system bots only as an admin (403 otherwise).',
    auth: true,
    responses: { 204: { description: 'Deleted.' } },
    errors: { 403: 'A system bot, and you are not an admin.' },
    async handle(rest, { viewer }) {
      await rest.app.bots.delete(viewer, rest.params.id);
      return { status: 204 };
    },
  }),
];
