import type { VerificationStore } from '../../../shared/app/ports.js';
import type { VerificationCall } from '../../../shared/domain/verification.js';
import { byteOrder, copy } from './order.js';

/** The maker's calls in memory, written on the same conditions as the DynamoDB store. */
export class MemoryVerificationStore implements VerificationStore {
  private readonly stored = new Map<string, VerificationCall>();

  private static key = (dealer: string, period: string, repair_id: string): string => `${dealer}\u0000${period}\u0000${repair_id}`;

  async calls(dealer: string, period: string): Promise<VerificationCall[]> {
    return [...this.stored.values()].filter((c) => c.dealer === dealer && c.period === period).sort((a, b) => (a.repair_id < b.repair_id ? -1 : 1)).map(copy);
  }

  async monthCalls(period: string, first: string, last: string): Promise<VerificationCall[]> {
    return [...this.stored.values()]
      .filter((c) => c.period === period && c.dealer >= first && c.dealer <= last)
      .sort((a, b) => byteOrder(a.dealer, b.dealer) || byteOrder(a.repair_id, b.repair_id))
      .map(copy);
  }

  async find(dealer: string, period: string, repair_id: string): Promise<VerificationCall | undefined> {
    const call = this.stored.get(MemoryVerificationStore.key(dealer, period, repair_id));
    return call === undefined ? undefined : copy(call);
  }

  /** Every stored item is listed in the month's index already. */
  async indexMonth(dealer: string, period: string): Promise<number> {
    return (await this.calls(dealer, period)).length;
  }

  async save(call: VerificationCall): Promise<'saved' | 'conflict'> {
    const key = MemoryVerificationStore.key(call.dealer, call.period, call.repair_id);
    const held = this.stored.get(key);
    if (call.version === 1 ? held !== undefined : held?.version !== call.version - 1) return 'conflict';
    this.stored.set(key, copy(call));
    return 'saved';
  }
}
