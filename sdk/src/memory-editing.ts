// Editing what the bots remember: a separate entry (`memoryEditor(chat)`), so that pages that only
// list memories, like the widget's first load, leave this code out.
import type { AuthState } from './auth';
import { authStateOf, type CoreClient } from './client';
import { toMemory } from './documents';
import { AddMemoryMutation, ForgetMemoriesMutation, RememberMessageMutation, UpdateMemoryMutation } from './occasional-documents';
import type { Memory } from './types';

/** Adding, editing and forgetting the facts bots remember about the viewer (listing and deleting one: `chat.memories`). */
export interface MemoryEditor {
  /**
   * Asks a bot to remember a fact (at most 500 characters); the same text twice is one fact.
   * @throws {@link ValidationError} (`field: 'text'`) for an empty or overlong fact, {@link NotFoundError} for an unknown bot.
   */
  add(input: { botId: string; text: string }): Promise<Memory>;
  /** "Remember this": a message's text becomes a fact for its session's bot. */
  rememberMessage(messageId: string): Promise<Memory>;
  /** Changes what a fact says. @throws {@link ValidationError} (`field: 'value'`). */
  update(id: string, value: string): Promise<Memory>;
  /** Forgets everything, or everything one bot remembers. Resolves with how many facts were forgotten. */
  forgetAll(input?: { botId?: string }): Promise<number>;
}

export function memoryEditor(client: CoreClient): MemoryEditor {
  const auth: AuthState = authStateOf(client);
  return {
    async add({ botId, text }) {
      return toMemory((await auth.request(AddMemoryMutation, { botId, text })).addMemory);
    },
    async rememberMessage(messageId) {
      return toMemory((await auth.request(RememberMessageMutation, { messageId })).rememberMessage);
    },
    async update(id, value) {
      return toMemory((await auth.request(UpdateMemoryMutation, { id, value })).updateMemory);
    },
    async forgetAll({ botId } = {}) {
      return (await auth.request(ForgetMemoriesMutation, { botId })).forgetMemories;
    },
  };
}
