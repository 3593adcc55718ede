import { beforeEach, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import type { StoredInvoice } from '../../shared/app/ports.js';
import { buildInvoice } from '../../shared/domain/invoice.js';
import { parseYuan } from '../../shared/domain/money.js';
import { DynamoInvoiceStore } from '../../shared/store/dynamo-invoice-store.js';
import { createDocumentClient } from '../../shared/compose.js';
import { countingClient } from '../helpers/command-counter.js';
import { freshStack } from '../helpers/local-stack.js';

/** Invoice numbers of a period are gapless and never doubled, however many dealers are invoiced at once. */
const dealers = Array.from({ length: 12 }, (_, i) => `D${String(i + 1).padStart(3, '0')}`);

const anInvoice = (dealer: string) => (invoice_no: string): StoredInvoice => ({
  ...buildInvoice({
    invoice_no,
    dealer: { code: dealer, name: `经销商 ${dealer}`, payment_method: '银行转账' },
    period: '2026-10',
    issued_on: '2026-11-05',
    tax_invoice_now: false,
    lines: [{ part_code: 'P-VALVE-01', part_name: '进水阀', qty: 1, unit_price: parseYuan('35.50'), reason: 'de_facto_possession', lot: { lot_id: `${dealer}-L1`, shipment_id: 'S1', shipped_date: '2026-07-10', due_date: '2026-09-08' } }],
  }),
  as_of: '2026-11-05',
  workbook_key: null,
});

const numbersOf = (invoices: readonly Pick<StoredInvoice, 'invoice_no'>[]) => invoices.map((i) => i.invoice_no).sort();
const oneToTwelve = dealers.map((_, i) => `FY-2026-10-${String(i + 1).padStart(4, '0')}`);

let config: BackOfficeConfig;
beforeEach(async () => {
  config = await freshStack();
});

describe('invoice numbering', () => {
  it('numbers invoices made side by side in one process one after another, reading the counter once', async () => {
    const counting = countingClient(createDocumentClient(config));
    const store = new DynamoInvoiceStore(counting.client, config.tableName);

    const created = await Promise.all(dealers.map((d) => store.create(d, '2026-10', 0, anInvoice(d))));

    expect(numbersOf(created.map((c) => ({ invoice_no: c.status === 'created' ? c.invoice.invoice_no : c.status })))).toEqual(oneToTwelve);
    expect(counting.counts()).toEqual({ GetCommand: 1, TransactWriteCommand: 12 });
  });

  it('stays gapless when two processes number invoices of the same period at once', async () => {
    const [first, second] = [new DynamoInvoiceStore(createDocumentClient(config), config.tableName), new DynamoInvoiceStore(createDocumentClient(config), config.tableName)];

    await Promise.all(dealers.map((d, i) => (i % 2 === 0 ? first : second).create(d, '2026-10', 0, anInvoice(d))));

    expect(numbersOf(await first.byPeriod('2026-10'))).toEqual(oneToTwelve);
  });
});
