import type { ChatTurn, Usage } from './types.ts';

/**
 * A cheap, provider-neutral token count: about four characters per token for English text. Good
 * enough for prompt budgets, quotas and display; the one estimate the API uses.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Token counts when the provider reports none (the offline provider, servers that ignore `include_usage`). */
export function estimateUsage(messages: ChatTurn[], reply: string): Usage {
  return { promptTokens: messages.reduce((sum, turn) => sum + estimateTokens(turn.content), 0), completionTokens: estimateTokens(reply) };
}
