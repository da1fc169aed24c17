// Memories: what the bots remember about the viewer.
import type { AuthState } from './auth';
import { DeleteMemoryMutation, MemoriesQuery, toMemory } from './documents';
import type { Memory } from './types';

/** `chat.memories`: the facts bots remember about the viewer, which the viewer may delete. */
export interface MemoriesApi {
  /** The viewer's memories, optionally only those of one bot. */
  list(input?: { botId?: string }): Promise<Memory[]>;
  /** Forgets one memory. Resolves with the deleted id. */
  delete(id: string): Promise<string>;
}

export function createMemoriesApi(auth: AuthState): MemoriesApi {
  return {
    async list({ botId } = {}) {
      const { memories } = await auth.request(MemoriesQuery, { botId });
      return memories.map(toMemory);
    },
    async delete(id) {
      const { deleteMemory } = await auth.request(DeleteMemoryMutation, { id });
      return deleteMemory;
    },
  };
}
