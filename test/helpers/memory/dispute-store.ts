import type { DisputeStore } from '../../../shared/app/ports.js';
import type { Dispute } from '../../../shared/domain/disputes.js';
import { byRaised } from '../../../shared/store/dynamo-dispute-store.js';
import { copy } from './order.js';

/** Disputes in memory, written on the same conditions as the DynamoDB store. */
export class MemoryDisputeStore implements DisputeStore {
  private readonly stored = new Map<string, Dispute>();

  private static key = (dealer: string, invoice_no: string, line: number): string => `${dealer}\u0000${invoice_no}\u0000${line}`;

  async find(dealer: string, invoice_no: string, line: number): Promise<Dispute | undefined> {
    const found = this.stored.get(MemoryDisputeStore.key(dealer, invoice_no, line));
    return found === undefined ? undefined : copy(found);
  }

  async create(dispute: Dispute): Promise<'created' | 'exists'> {
    const key = MemoryDisputeStore.key(dispute.dealer, dispute.invoice_no, dispute.line);
    if (this.stored.has(key)) return 'exists';
    this.stored.set(key, copy(dispute));
    return 'created';
  }

  async replace(dispute: Dispute): Promise<'updated' | 'conflict'> {
    const key = MemoryDisputeStore.key(dispute.dealer, dispute.invoice_no, dispute.line);
    if (this.stored.get(key)?.version !== dispute.version - 1) return 'conflict';
    this.stored.set(key, copy(dispute));
    return 'updated';
  }

  async list(dealer?: string): Promise<Dispute[]> {
    return [...this.stored.values()].filter((d) => dealer === undefined || d.dealer === dealer).map(copy).sort(byRaised);
  }
}
