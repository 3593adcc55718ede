import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredInvoice } from '../shared/app/ports.js';
import { addMonths, nextPeriod, periodBounds } from '../shared/domain/dates.js';
import { buildInvoice, invoiceNumber, type InvoiceLineInput } from '../shared/domain/invoice.js';
import { dealerHeadOf, foldJournal, missingEntries, type JournalEntry } from '../shared/domain/journal.js';
import type { Dealer } from '../shared/domain/master.js';
import { parseYuan, type Fen } from '../shared/domain/money.js';
import { batchWrite, putRequest } from '../shared/store/batch.js';
import { invoiceKeys, journalKeys } from '../shared/store/keys.js';
import { formHeadItem, headItem } from '../shared/store/dynamo-journal-store.js';

/** The twelve months of history the benches write: 2025-12 to 2026-11. */
export const YEAR_MONTHS = Array.from({ length: 12 }, (_, i) => addMonths('2025-12-01', i).slice(0, 7));
const BY = 'bench';

/**
 * A year of forms and receivables journal for every dealer, written as the invoice and journal
 * stores lay their items out (their own key helpers), by BatchWriteItem: numbering 16,000 forms
 * one transaction at a time would take DynamoDB Local most of an hour. Each dealer, each month
 * of YEAR_MONTHS: a possession form (2 valves and a seal, ¥75.80), a credit note every third
 * month crediting a valve of the month before's form, each possession form paid in full the
 * next month (16 forms and 40 journal entries a dealer). Dealer i's possession form is its
 * period's (2i+1)th form, its credit note the (2i+2)th.
 */
export async function seedJournalYear(dynamo: DynamoDBDocumentClient, table: string, dealers: readonly Dealer[]): Promise<{ forms: number; entries: number }> {
  const valve = parseYuan('35.50');
  const seal = parseYuan('4.80');
  const lot = (dealer: string, month: string, n: number) => ({ lot_id: `${dealer}-${month}-${n}`, shipment_id: `S-${dealer}-${month}-${n}`, shipped_date: `${month}-01`, due_date: `${month}-28` });
  const formOf = (dealer: Dealer, month: string, kind: 'possession' | 'credit_note', lines: InvoiceLineInput[], corrects?: string) => (invoice_no: string): StoredInvoice => {
    const issued_on = periodBounds(month).last;
    return {
      ...buildInvoice({ invoice_no, kind, dealer: { code: dealer.dealer_code, name: dealer.dealer_name, payment_method: dealer.payment_method }, period: month, issued_on, tax_invoice_now: false, lines, ...(corrects && { corrects }) }),
      history: [{ status: 'draft', by: 'reconciliation', at: `${issued_on}T16:00:00.000Z`, reason: null }],
      as_of: issued_on,
      workbook_key: null,
    };
  };
  let forms = 0;
  let entries = 0;
  const totals = new Map<string, number>();
  for (let from = 0; from < dealers.length; from += 100) {
    const items: Record<string, unknown>[] = [];
    dealers.slice(from, from + 100).forEach((dealer, k) => {
      const i = from + k;
      const code = dealer.dealer_code;
      const made: StoredInvoice[] = [];
      const credited = new Map<string, Fen>();
      YEAR_MONTHS.forEach((month, m) => {
        made.push(formOf(dealer, month, 'possession', [
          { part_code: 'P-VALVE-01', part_name: '进水阀', qty: 2, unit_price: valve, reason: 'de_facto_possession', lot: lot(code, month, 1) },
          { part_code: 'P-SEAL-03', part_name: '密封圈', qty: 1, unit_price: seal, reason: 'de_facto_possession', lot: lot(code, month, 2) },
        ])(invoiceNumber(month, 2 * i + 1)));
        const before = YEAR_MONTHS[m - 1];
        if (m % 3 !== 2 || before === undefined) return;
        const corrects = invoiceNumber(before, 2 * i + 1);
        made.push(formOf(dealer, month, 'credit_note', [
          { part_code: 'P-VALVE-01', part_name: '进水阀', qty: -1, unit_price: valve, reason: 'credit', lot: lot(code, before, 1), corrects },
        ], corrects)(invoiceNumber(month, 2 * i + 2)));
        credited.set(corrects, valve);
      });
      const payments = made.filter((form) => form.kind === 'possession').map((form): JournalEntry => {
        const date = `${nextPeriod(form.period)}-10`;
        return {
          entry_id: `payment:${form.invoice_no}:1`, dealer: code, type: 'payment', invoice_no: form.invoice_no, form_kind: form.kind, period: form.period,
          amount: -(form.total - (credited.get(form.invoice_no) ?? 0)) as Fen, part_code: null, qty: null, counterpart: null,
          date, method: '银行转账', reference: `TX-${form.invoice_no}`, by: 'finance', at: `${date}T02:00:00.000Z`, reason: 'payment / 付款',
        };
      });
      const journal = [...missingEntries(made, [], { by: BY, at: '2026-12-01T00:00:00.000Z' }), ...payments];
      for (const form of made) {
        items.push({ ...invoiceKeys.invoice(code, form.period, form.invoice_no), gsi1pk: invoiceKeys.periodGsi1pk(form.period), gsi1sk: invoiceKeys.gsi1sk(form.invoice_no), ...form });
      }
      items.push({ ...invoiceKeys.charges(code), version: made.length });
      journal.forEach((entry, n) => items.push({ ...journalKeys.entry(code, n + 1), seq: n + 1, ...entry }));
      // The heads the journal store writes with its entries: the dealer's running totals and each form's money.
      const fold = foldJournal(journal);
      items.push(headItem(code, dealerHeadOf(fold, { seq: journal.length, charges_version: made.length, forms: made.length })));
      for (const money of fold.forms.values()) items.push(formHeadItem(code, money));
      for (const form of made) totals.set(form.period, (totals.get(form.period) ?? 0) + form.total);
      forms += made.length;
      entries += journal.length;
    });
    await batchWrite(dynamo, table, items.map(putRequest));
  }
  // Each period's head on its counter, as numbering keeps it, where the numbers have no gaps (the
  // months with credit notes, the last among them): every form counted in its total. The other
  // months' numbers skip the credit notes' places, which numbering never does: no head, as before heads were kept.
  await batchWrite(dynamo, table, YEAR_MONTHS.map((month, m) => {
    const gapless = m % 3 === 2;
    return putRequest({ ...invoiceKeys.counter(month), seq: 2 * dealers.length, ...(gapless && { total: totals.get(month) ?? 0, counted: 2 * dealers.length }) });
  }));
  return { forms, entries };
}
