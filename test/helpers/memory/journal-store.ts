import type { JournalRead, JournalStore } from '../../../shared/app/ports.js';
import type { DealerHead, FormMoney, JournalEntry, JournalHeads } from '../../../shared/domain/journal.js';
import { copy } from './order.js';

/**
 * The journal in memory with the DynamoDB store's guarantees: append after the position read, or
 * 'conflict'; the dealer's head written with the entries (out of date when none was given), and
 * a head-only write refused when a newer head is there.
 */
export class MemoryJournalStore implements JournalStore {
  private readonly journals = new Map<string, JournalEntry[]>();
  private readonly dealerHeads = new Map<string, DealerHead | { readonly seq: number; readonly charges_version: -1 }>();
  private readonly formHeads = new Map<string, FormMoney>();

  async read(dealer: string): Promise<JournalRead> {
    const entries = this.journals.get(dealer) ?? [];
    const head = this.dealerHeads.get(dealer);
    return { seq: entries.length, entries: copy(entries), ...(head && { head: { seq: head.seq, charges_version: head.charges_version } }) };
  }

  async append(dealer: string, expectedSeq: number, entries: readonly JournalEntry[], heads?: JournalHeads): Promise<'appended' | 'conflict'> {
    if (entries.length === 0 && heads === undefined) return 'appended';
    const journal = this.journals.get(dealer) ?? [];
    if (journal.length !== expectedSeq) return 'conflict';
    const seq = expectedSeq + entries.length;
    const head = heads === undefined ? { seq, charges_version: -1 as const } : { ...heads.dealer, seq };
    const before = this.dealerHeads.get(dealer);
    if (before !== undefined && !(before.seq < seq || (before.seq === seq && before.charges_version <= head.charges_version))) return 'conflict';
    this.journals.set(dealer, [...journal, ...copy(entries)]);
    this.dealerHeads.set(dealer, copy(head));
    for (const money of heads?.forms ?? []) this.formHeads.set(`${dealer}#${money.invoice_no}`, copy(money));
    return 'appended';
  }

  /** Forgets the dealer's heads, as a journal written before heads were kept has none. */
  forgetHeads(dealer: string): void {
    this.dealerHeads.delete(dealer);
    for (const key of [...this.formHeads.keys()]) if (key.startsWith(`${dealer}#`)) this.formHeads.delete(key);
  }

  async heads(dealers: readonly string[], forms: readonly { readonly dealer: string; readonly invoice_no: string }[] = []) {
    const found = { dealers: new Map<string, DealerHead>(), forms: new Map<string, FormMoney>() };
    for (const dealer of dealers) {
      const head = this.dealerHeads.get(dealer);
      if (head !== undefined && head.charges_version >= 0) found.dealers.set(dealer, copy(head as DealerHead));
    }
    for (const f of forms) {
      const money = this.formHeads.get(`${f.dealer}#${f.invoice_no}`);
      if (money !== undefined) found.forms.set(f.invoice_no, copy(money));
    }
    return found;
  }
}
