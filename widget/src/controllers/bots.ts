// The bots the user can talk to: the system ones and their own.
import type { Bot, BotInput } from './api.js';
import type { Connection } from './connection.js';

export class Bots {
  constructor(private readonly conn: Connection) {}

  load(): Promise<Bot[] | undefined> {
    const { conn } = this;
    return conn.once('bots', async () => {
      conn.data.bots = await conn.client.bots.list();
      conn.changed();
      return conn.data.bots;
    });
  }

  async save(id: string | null, input: BotInput): Promise<Bot> {
    const { conn } = this;
    const bot = id ? await conn.client.bots.update(id, input) : await conn.client.bots.create(input as Required<BotInput>);
    conn.data.bots = id ? conn.data.bots.map((b) => (b.id === id ? bot : b)) : [...conn.data.bots, bot];
    conn.changed();
    return bot;
  }

  async delete(id: string): Promise<void> {
    const { conn } = this;
    await conn.client.bots.delete(id);
    conn.data.bots = conn.data.bots.filter((b) => b.id !== id);
    delete conn.data.sessions[id];
    conn.outbox.remove((item) => item.botId === id);
    conn.changed();
  }
}
