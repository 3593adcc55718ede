import type { ChargeState, InvoiceStore, PeriodHead, PeriodIndexEntry, StoredInvoice } from '../../../shared/app/ports.js';
import type { Fen } from '../../../shared/domain/money.js';
import { invoiceNumber } from '../../../shared/domain/invoice.js';
import { invoiceKeys } from '../../../shared/store/keys.js';
import { byteOrder, copy } from './order.js';

/**
 * Invoices in memory with the DynamoDB store's guarantees: numbers per period without gaps,
 * a new invoice refused as 'stale' when the dealer's charges moved on since they were read,
 * a status change refused as 'conflict' when the invoice's status changed since it was read.
 */
export class MemoryInvoiceStore implements InvoiceStore {
  private readonly counters = new Map<string, number>();
  /** The period's head as its counter keeps it: the sum of the totals and how many forms it counts. */
  private readonly periodTotals = new Map<string, { total: number; counted: number }>();
  private readonly charges = new Map<string, number>();
  /** By the invoice's sort key under its dealer, `INVOICE#<period>#<number>`. */
  private readonly invoices = new Map<string, Map<string, StoredInvoice>>();

  private dealerInvoices(dealer: string): Map<string, StoredInvoice> {
    const found = this.invoices.get(dealer) ?? new Map<string, StoredInvoice>();
    this.invoices.set(dealer, found);
    return found;
  }

  private sorted(invoices: Map<string, StoredInvoice>, prefix: string): StoredInvoice[] {
    return [...invoices.keys()]
      .filter((sk) => sk.startsWith(prefix))
      .sort(byteOrder)
      .map((sk) => copy(invoices.get(sk)!));
  }

  async chargeState(dealer: string): Promise<ChargeState> {
    return { version: this.charges.get(dealer) ?? 0, invoices: this.sorted(this.dealerInvoices(dealer), invoiceKeys.invoicePrefix()) };
  }

  async create(
    dealer: string,
    period: string,
    expectedVersion: number,
    build: (invoice_no: string) => StoredInvoice,
  ): Promise<{ status: 'created'; invoice: StoredInvoice } | { status: 'stale' }> {
    if ((this.charges.get(dealer) ?? 0) !== expectedVersion) return { status: 'stale' };
    const seq = (this.counters.get(period) ?? 0) + 1;
    const invoice = build(invoiceNumber(period, seq));
    this.counters.set(period, seq);
    const head = this.periodTotals.get(period) ?? { total: 0, counted: 0 };
    this.periodTotals.set(period, { total: head.total + invoice.total, counted: head.counted + 1 });
    this.charges.set(dealer, expectedVersion + 1);
    this.dealerInvoices(dealer).set(invoiceKeys.invoice(dealer, period, invoice.invoice_no).sk, copy(invoice));
    return { status: 'created', invoice };
  }

  private stored(invoice: StoredInvoice): { sk: string; invoices: Map<string, StoredInvoice> } {
    return { sk: invoiceKeys.invoice(invoice.dealer.code, invoice.period, invoice.invoice_no).sk, invoices: this.dealerInvoices(invoice.dealer.code) };
  }

  async setWorkbook(invoice: StoredInvoice, key: string): Promise<void> {
    const { sk, invoices } = this.stored(invoice);
    const current = invoices.get(sk);
    if (current !== undefined) invoices.set(sk, { ...current, workbook_key: key });
  }

  async revise(invoice: StoredInvoice, next: StoredInvoice, chargesVersion?: number): Promise<'updated' | 'conflict'> {
    const { sk, invoices } = this.stored(invoice);
    const current = invoices.get(sk);
    const dealer = invoice.dealer.code;
    if (current === undefined || current.revision !== invoice.revision) return 'conflict';
    if (chargesVersion !== undefined && (this.charges.get(dealer) ?? 0) !== chargesVersion) return 'conflict';
    invoices.set(sk, copy(next));
    const head = this.periodTotals.get(invoice.period);
    if (head !== undefined) head.total += next.total - current.total;
    this.moveCharges(dealer);
    return 'updated';
  }

  /** The dealer's charge state moves on: what a ledger correction does too (see `memoryAdapters`). */
  moveCharges(dealer: string): void {
    this.charges.set(dealer, (this.charges.get(dealer) ?? 0) + 1);
  }

  async periodIndex(period: string): Promise<PeriodIndexEntry[]> {
    return (await this.byPeriod(period)).map((i) => ({ invoice_no: i.invoice_no, dealer: i.dealer.code, total: i.total }));
  }

  async periodHead(period: string): Promise<PeriodHead | undefined> {
    const count = this.counters.get(period) ?? 0;
    const head = this.periodTotals.get(period) ?? { total: 0, counted: 0 };
    return head.counted === count ? { count, total: head.total as Fen } : undefined;
  }

  async keepPeriodHead(period: string, head: PeriodHead): Promise<boolean> {
    if ((this.counters.get(period) ?? 0) !== head.count) return false;
    this.periodTotals.set(period, { total: head.total, counted: head.count });
    return true;
  }

  /** Forgets the period's head, as a counter from before heads were kept has none. */
  forgetPeriodHead(period: string): void {
    this.periodTotals.delete(period);
  }

  async periodPage(period: string, after: string | undefined, limit: number): Promise<{ invoices: StoredInvoice[]; more: boolean }> {
    const rest = (await this.byPeriod(period)).filter((i) => after === undefined || i.invoice_no > after);
    return { invoices: rest.slice(0, limit), more: rest.length > limit };
  }

  async chargeVersions(dealers: readonly string[]): Promise<Map<string, number>> {
    return new Map(dealers.map((dealer) => [dealer, this.charges.get(dealer) ?? 0]));
  }

  async byPeriod(period: string, dealer?: string): Promise<StoredInvoice[]> {
    if (dealer !== undefined) return this.sorted(this.dealerInvoices(dealer), invoiceKeys.invoicePrefix(period));
    return [...this.invoices.values()]
      .flatMap((invoices) => this.sorted(invoices, invoiceKeys.invoicePrefix(period)))
      .sort((a, b) => byteOrder(a.invoice_no, b.invoice_no));
  }
}
