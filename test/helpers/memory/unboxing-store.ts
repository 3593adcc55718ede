import type { UnboxingStore } from '../../../shared/app/ports.js';
import type { UnboxingCase } from '../../../shared/domain/unboxing.js';
import { byteOrder, copy } from './order.js';

/** Unboxing cases in memory, written on the same conditions as the DynamoDB store. */
export class MemoryUnboxingStore implements UnboxingStore {
  private readonly stored = new Map<string, UnboxingCase>();

  async cases(dealer: string, period: string): Promise<UnboxingCase[]> {
    return [...this.stored.values()].filter((c) => c.dealer === dealer && c.period === period).map(copy);
  }

  async monthCases(period: string, first: string, last: string): Promise<UnboxingCase[]> {
    return [...this.stored.values()]
      .filter((c) => c.period === period && c.dealer >= first && c.dealer <= last)
      .sort((a, b) => byteOrder(a.dealer, b.dealer) || byteOrder(a.install_id, b.install_id))
      .map(copy);
  }

  /** Every stored item is listed in the month's index already. */
  async indexMonth(dealer: string, period: string): Promise<number> {
    return (await this.cases(dealer, period)).length;
  }

  async save(c: UnboxingCase): Promise<'saved' | 'conflict'> {
    const key = `${c.dealer}\u0000${c.period}\u0000${c.install_id}`;
    const held = this.stored.get(key);
    if (c.version === 1 ? held !== undefined : held?.version !== c.version - 1) return 'conflict';
    this.stored.set(key, copy(c));
    return 'saved';
  }
}
