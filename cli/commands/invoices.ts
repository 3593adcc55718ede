import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { findInvoices, invoiceWorkbooks } from '../../shared/app/invoices.js';
import { invoiceJson } from '../../shared/domain/invoice.js';
import { formatYuan } from '../../shared/domain/money.js';
import { EXIT, parse, periodOption, required, UsageError, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';

/** `invoices list|export [--period] [--dealer]`: the invoices of a period, or of every period. */
export async function invoicesCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parse(rest, { period: { type: 'string' }, dealer: { type: 'string' }, out: { type: 'string' } });
  const filter = { period: values.period === undefined ? undefined : periodOption(values.period), dealer: values.dealer };
  if (sub === 'list') {
    const invoices = await withBackOffice(values['data-dir'], (deps) => findInvoices(deps, filter));
    if (values.json) {
      io.out(JSON.stringify(invoices.map((i) => ({ ...invoiceJson(i), period: i.period, issued_on: i.issued_on, status: i.status, workbook: i.workbook_key })), null, 2));
    } else if (invoices.length === 0) {
      io.out('no invoices');
    } else {
      for (const i of invoices) io.out(`${i.invoice_no}  ${i.period}  ${i.dealer.code} ${i.dealer.name}  ¥${formatYuan(i.total)}  ${i.status}  ${i.lines.length} lines`);
    }
    return EXIT.done;
  }
  if (sub === 'export') {
    const out = required(values.out, '--out');
    await mkdir(out, { recursive: true });
    const files = await withBackOffice(values['data-dir'], async (deps) => {
      const written: string[] = [];
      for await (const { invoice, workbook } of invoiceWorkbooks(deps, await findInvoices(deps, filter))) {
        const file = resolve(out, `${invoice.dealer.code}-${invoice.invoice_no}.xlsx`);
        await writeFile(file, workbook);
        written.push(file);
      }
      return written;
    });
    if (values.json) io.out(JSON.stringify({ files }, null, 2));
    else io.out(files.length === 0 ? 'no invoices to export' : files.join('\n'));
    return EXIT.done;
  }
  throw new UsageError('invoices takes list or export');
}
