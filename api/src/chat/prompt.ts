// The prompt sent to a model: the bot's system prompt, what it remembers of the user (the facts
// most relevant to the question first, within a share of the budget), and as many recent turns of
// the reply's own path as fit the token budget (newest first, so the conversation's end is never
// cut). The path, not the session: on a branched chat the other branches are not context.
import type { Db } from '../db.ts';
import { estimateTokens } from '../llm/estimate-usage.ts';
import type { ChatTurn } from '../llm/types.ts';
import type { MemoryService } from './memories.ts';
import { pathTurns } from './branch-store.ts';
import { rankFacts } from './memory-relevance.ts';

// Enough to fill any sensible budget without reading a long history whole.
const MAX_TURNS_READ = 200;
/** What a chat-completions API adds around each message (role markers). */
const TOKENS_PER_TURN = 4;
/** At most this share of the budget goes to remembered facts: the conversation matters more. */
const MEMORY_BUDGET_SHARE = 0.2;

export interface PromptInput {
  userId: string;
  bot: { id: string; systemPrompt: string };
  /** The parent of the reply being generated (the question it answers): it and its ancestors are the context. */
  parentId: string;
  tokenBudget: number;
}

const turnCost = (text: string) => estimateTokens(text) + TOKENS_PER_TURN;

export async function buildPrompt(db: Db, memories: MemoryService, input: PromptInput): Promise<ChatTurn[]> {
  const [{ userMemories, botMemories }, recent] = await Promise.all([
    memories.forPrompt(input.userId, input.bot.id),
    pathTurns(db, input.parentId, MAX_TURNS_READ),
  ]);

  let system = input.bot.systemPrompt;
  if (botMemories.length) {
    system += `\n\nFacts you know:\n${botMemories.map((m) => `- ${m.key}: ${m.value}`).join('\n')}`;
  }
  // The question is the newest user turn; facts sharing its words go first, then the recently used.
  const question = recent.find((message) => message.role === 'USER')?.text ?? '';
  let factBudget = Math.floor(input.tokenBudget * MEMORY_BUDGET_SHARE);
  const carried = [];
  for (const fact of rankFacts(userMemories, question)) {
    const line = `- ${fact.key.startsWith('note:') ? fact.value : `${fact.key}: ${fact.value}`}`;
    const cost = estimateTokens(line) + 1;
    if (cost > factBudget) continue;
    factBudget -= cost;
    carried.push({ id: fact.id, line });
  }
  if (carried.length) {
    system += `\n\nWhat you remember about this user:\n${carried.map((fact) => fact.line).join('\n')}`;
    await memories.used(carried.map((fact) => fact.id));
  }

  let budget = input.tokenBudget - turnCost(system);
  const turns: ChatTurn[] = [];
  for (const message of recent) {
    if (!message.text) continue;
    const cost = turnCost(message.text);
    // The newest turn (the user's question) always goes in, even if it alone exceeds the budget.
    if (turns.length > 0 && cost > budget) break;
    budget -= cost;
    turns.push({ role: message.role === 'USER' ? 'user' : 'assistant', content: message.text });
  }
  return [{ role: 'system', content: system }, ...turns.reverse()];
}
