import type { MessageStore } from '../../../shared/app/ports.js';
import type { MailState, Message } from '../../../shared/domain/notices.js';

/** Messages in memory, by recipient and id. */
export class MemoryMessageStore implements MessageStore {
  private readonly messages = new Map<string, Message>();

  private static key = (recipient: string, id: string): string => `${recipient}\u0000${id}`;

  async put(message: Message): Promise<{ created: boolean; message: Message }> {
    const key = MemoryMessageStore.key(message.recipient, message.id);
    const kept = this.messages.get(key);
    if (kept !== undefined) return { created: false, message: structuredClone(kept) };
    this.messages.set(key, structuredClone(message));
    return { created: true, message: structuredClone(message) };
  }

  async list(recipient: string): Promise<Message[]> {
    return [...this.messages.values()]
      .filter((m) => m.recipient === recipient)
      .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? -1 : 1))
      .map((m) => structuredClone(m));
  }

  async get(recipient: string, id: string): Promise<Message | undefined> {
    const kept = this.messages.get(MemoryMessageStore.key(recipient, id));
    return kept === undefined ? undefined : structuredClone(kept);
  }

  async markRead(recipient: string, id: string, at: string): Promise<boolean> {
    const key = MemoryMessageStore.key(recipient, id);
    const kept = this.messages.get(key);
    if (kept === undefined) return false;
    if (kept.read_at === null) this.messages.set(key, { ...kept, read_at: at });
    return true;
  }

  async setMail(recipient: string, id: string, mail: MailState): Promise<void> {
    const key = MemoryMessageStore.key(recipient, id);
    const kept = this.messages.get(key);
    if (kept === undefined) throw new Error(`no message ${id} for ${recipient}`);
    this.messages.set(key, { ...kept, mail: structuredClone(mail) });
  }
}
