// The provider used when no model is configured: the product runs, demos and tests with nothing
// outside, and the reply says plainly that it is a placeholder and how to get a real model.

import { abortedError, sleepUnlessAborted } from './abort.ts';
import { estimateUsage } from './estimate-usage.ts';
import type { ChatTurn, LlmProvider, StreamChunk, StreamRequest } from './types.ts';

export interface OfflineProviderOptions {
  /** Pause between word chunks, so the reply streams like a model's; 0 sends them at once. */
  chunkDelayMs: number;
}

const HOW_TO_CONFIGURE =
  'set GROQ_API_KEY, or set OPENAI_BASE_URL to an OpenAI-compatible server such as Ollama or vLLM, then restart the API';

/** The one model the offline provider offers: its placeholder replies. */
export const OFFLINE_MODEL = 'offline';

type Voice = (quote: string) => string;

/** Matched against the bot's name; the first match speaks. */
const voices: Array<{ name: RegExp; voice: Voice }> = [
  {
    name: /\bsupport/i,
    voice: (quote) =>
      `Thank you for your message ${quote}. I am sorry, but I cannot give you a real answer at the moment: ` +
      `no language model is configured on this server. To enable answers, an administrator can ${HOW_TO_CONFIGURE}.`,
  },
  {
    name: /\btutor/i,
    voice: (quote) =>
      `You asked ${quote}, and I would love to explain. Here is what is going on: this server has no language ` +
      `model configured, so I can only send this prepared reply instead of a real explanation. ` +
      `To learn with a real model, ${HOW_TO_CONFIGURE}.`,
  },
  {
    name: /\bfun\b/i,
    voice: (quote) =>
      `Ooh, ${quote}! I would riff on that all day, but my brain is unplugged: no language model is configured. ` +
      `Plug me in (${HOW_TO_CONFIGURE}) and let's play!`,
  },
];

const neutralVoice: Voice = (quote) =>
  `You wrote ${quote}. No language model is configured, so this is a built-in placeholder, not a real answer. ` +
  `To enable a model, ${HOW_TO_CONFIGURE}.`;

export function createOfflineProvider({ chunkDelayMs }: OfflineProviderOptions): LlmProvider {
  return {
    name: 'offline',
    stream: (request) => streamOfflineReply(request, chunkDelayMs),
    listModels: async () => [OFFLINE_MODEL],
  };
}

async function* streamOfflineReply(request: StreamRequest, chunkDelayMs: number): AsyncGenerator<StreamChunk> {
  const reply = offlineReply(request);
  const words = reply.match(/\S+\s*/g) ?? [];
  for (const [index, word] of words.entries()) {
    if (request.signal?.aborted) throw abortedError();
    if (chunkDelayMs > 0 && index > 0) await sleepUnlessAborted(chunkDelayMs, request.signal);
    yield { type: 'text', text: word };
  }
  yield { type: 'usage', usage: estimateUsage(request.messages, reply) };
}

function offlineReply({ botName = '', messages }: StreamRequest): string {
  const voice = voices.find(({ name }) => name.test(botName))?.voice ?? neutralVoice;
  return `(offline mode) ${voice(quoteLastUserMessage(messages))}`;
}

function quoteLastUserMessage(messages: ChatTurn[]): string {
  const text = messages.findLast((turn) => turn.role === 'user')?.content.replace(/\s+/g, ' ').trim() ?? '';
  const maxChars = 60;
  return `“${text.length > maxChars ? `${text.slice(0, maxChars - 1).trimEnd()}…` : text}”`;
}
