import type { ComplaintStore } from '../../../shared/app/ports.js';
import { byDealerAndTime, type Complaint } from '../../../shared/domain/complaints.js';
import { byteOrder, copy } from './order.js';
import { complaintKeys } from '../../../shared/store/keys.js';

/** Complaints in memory, by id, written on the same conditions as the DynamoDB store. */
export class MemoryComplaintStore implements ComplaintStore {
  private readonly complaints = new Map<string, Complaint>();

  async find(ids: readonly string[]): Promise<Map<string, Complaint>> {
    const found = new Map<string, Complaint>();
    for (const id of ids) {
      const complaint = this.complaints.get(id);
      if (complaint !== undefined) found.set(id, copy(complaint));
    }
    return found;
  }

  async create(complaint: Complaint): Promise<'created' | 'exists'> {
    if (this.complaints.has(complaint.complaint_id)) return 'exists';
    this.complaints.set(complaint.complaint_id, copy({ ...complaint, version: 1 }));
    return 'created';
  }

  async replace(complaint: Complaint): Promise<'updated' | 'conflict'> {
    if (this.complaints.get(complaint.complaint_id)?.version !== complaint.version - 1) return 'conflict';
    this.complaints.set(complaint.complaint_id, copy(complaint));
    return 'updated';
  }

  /** The index is complete from the beginning here, as on a table whose complaints were all recorded with it kept. */
  async open(from: string): Promise<Complaint[]> {
    return [...this.complaints.values()]
      .filter((c) => c.closed_at === null && c.received_at.slice(0, 7) >= from)
      .map(copy)
      .sort((a, b) => (a.received_at < b.received_at ? -1 : a.received_at > b.received_at ? 1 : a.complaint_id < b.complaint_id ? -1 : 1));
  }

  async ofDealer(dealer: string, from: string, to: string): Promise<Complaint[]> {
    return this.received(from, to, dealer);
  }

  async indexMonths(from: string, to: string): Promise<{ readonly open: number; readonly dealer_copies: number }> {
    const all = await this.received(from, to);
    return { open: all.filter((c) => c.closed_at === null).length, dealer_copies: all.length };
  }

  async monthPage(month: string, page: { readonly after?: string; readonly limit: number; readonly dealer?: string }): Promise<{ complaints: Complaint[]; more: boolean }> {
    const keyOf = (c: Complaint) => complaintKeys.gsi1sk(c.dealer_code, c.received_at, c.complaint_id);
    const all = [...this.complaints.values()]
      .filter((c) => c.received_at.slice(0, 7) === month && (page.dealer === undefined || c.dealer_code === page.dealer) && (page.after === undefined || byteOrder(keyOf(c), page.after) > 0))
      .sort((a, b) => byteOrder(keyOf(a), keyOf(b)));
    return { complaints: all.slice(0, page.limit).map(copy), more: all.length > page.limit };
  }

  async received(from: string, to: string, dealer?: string): Promise<Complaint[]> {
    return [...this.complaints.values()]
      .filter((c) => c.received_at.slice(0, 7) >= from && c.received_at.slice(0, 7) <= to && (dealer === undefined || c.dealer_code === dealer))
      .map(copy)
      .sort(byDealerAndTime);
  }
}
