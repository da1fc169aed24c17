import type { ChatTurn, Usage } from './types.ts';

/**
 * Token counts when the provider reports none (the offline provider, servers that ignore
 * `include_usage`). About four characters per token for English text: good enough for quotas and display.
 */
export function estimateUsage(messages: ChatTurn[], reply: string): Usage {
  const promptChars = messages.reduce((sum, turn) => sum + turn.content.length, 0);
  return { promptTokens: Math.ceil(promptChars / 4), completionTokens: Math.ceil(reply.length / 4) };
}
