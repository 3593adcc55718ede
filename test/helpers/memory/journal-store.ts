import type { JournalRead, JournalStore } from '../../../shared/app/ports.js';
import type { JournalEntry } from '../../../shared/domain/journal.js';
import { copy } from './order.js';

/** The journal in memory with the DynamoDB store's guarantees: append after the position read, or 'conflict'. */
export class MemoryJournalStore implements JournalStore {
  private readonly journals = new Map<string, JournalEntry[]>();

  async read(dealer: string): Promise<JournalRead> {
    const entries = this.journals.get(dealer) ?? [];
    return { seq: entries.length, entries: copy(entries) };
  }

  async append(dealer: string, expectedSeq: number, entries: readonly JournalEntry[]): Promise<'appended' | 'conflict'> {
    const journal = this.journals.get(dealer) ?? [];
    if (journal.length !== expectedSeq) return 'conflict';
    this.journals.set(dealer, [...journal, ...copy(entries)]);
    return 'appended';
  }
}
