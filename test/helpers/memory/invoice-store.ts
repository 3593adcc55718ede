import type { ChargeState, InvoiceStore, PeriodIndexEntry, StoredInvoice } from '../../../shared/app/ports.js';
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

  async byNumbers(period: string, forms: readonly Pick<PeriodIndexEntry, 'invoice_no' | 'dealer'>[]): Promise<StoredInvoice[]> {
    const found = new Map((await this.byPeriod(period)).map((i) => [`${i.dealer.code}#${i.invoice_no}`, i]));
    return forms.flatMap((f) => found.get(`${f.dealer}#${f.invoice_no}`) ?? []);
  }

  async byPeriod(period: string, dealer?: string): Promise<StoredInvoice[]> {
    if (dealer !== undefined) return this.sorted(this.dealerInvoices(dealer), invoiceKeys.invoicePrefix(period));
    return [...this.invoices.values()]
      .flatMap((invoices) => this.sorted(invoices, invoiceKeys.invoicePrefix(period)))
      .sort((a, b) => byteOrder(a.invoice_no, b.invoice_no));
  }
}
