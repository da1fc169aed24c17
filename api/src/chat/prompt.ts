// The prompt sent to a model: the bot's system prompt, what it remembers, and as many recent
// turns as fit the token budget (newest first, so the conversation's end is never cut).
import type { Db } from '../db.ts';
import type { ChatTurn } from '../llm/types.ts';
import { promptSources } from './message-sql.ts';

/** A cheap, provider-neutral estimate: about four characters per token, plus framing. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

// Enough to fill any sensible budget without reading a long history whole.
const MAX_TURNS_READ = 200;

export interface PromptInput {
  sessionId: string;
  userId: string;
  bot: { id: string; systemPrompt: string };
  /** The bot message being generated: turns before it are the context. */
  beforePosition: number;
  tokenBudget: number;
}

export async function buildPrompt(db: Db, input: PromptInput): Promise<ChatTurn[]> {
  const { userMemories, botMemories, recent } = await promptSources(db, {
    sessionId: input.sessionId,
    userId: input.userId,
    botId: input.bot.id,
    beforePosition: input.beforePosition,
    turns: MAX_TURNS_READ,
  });

  let system = input.bot.systemPrompt;
  if (botMemories.length) {
    system += `\n\nFacts you know:\n${botMemories.map((m) => `- ${m.key}: ${m.value}`).join('\n')}`;
  }
  if (userMemories.length) {
    system += `\n\nWhat you remember about this user:\n${userMemories.map((m) => `- ${m.key}: ${m.value}`).join('\n')}`;
  }

  let budget = input.tokenBudget - estimateTokens(system);
  const turns: ChatTurn[] = [];
  for (const message of recent) {
    if (!message.text) continue;
    const cost = estimateTokens(message.text);
    // The newest turn (the user's question) always goes in, even if it alone exceeds the budget.
    if (turns.length > 0 && cost > budget) break;
    budget -= cost;
    turns.push({ role: message.role === 'USER' ? 'user' : 'assistant', content: message.text });
  }
  return [{ role: 'system', content: system }, ...turns.reverse()];
}
