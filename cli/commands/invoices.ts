import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { consolidatedList, consolidatedWorkbook, invoiceConsolidated } from '../../shared/app/finance/consolidated.js';
import { dealerBalances, setFormStatus, setFormTax, type TaxRequest } from '../../shared/app/finance/form-life.js';
import { findInvoices, invoiceWorkbooks, withMoney } from '../../shared/app/invoices.js';
import { INVOICE_STATUSES, invoiceJson, taxOf } from '../../shared/domain/invoice.js';
import { formatYuan } from '../../shared/domain/money.js';
import { operator } from '../operator.js';
import { dateOption, EXIT, parse, periodOption, required, UsageError, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';

/**
 * `invoices status INVOICE_NO issued|void [--reason]`: the form's life (cli.md). `paid` and
 * `archived` are refused by the use case (exit 1) with what to do instead.
 */
async function statusCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { reason: { type: 'string' } });
  const [invoiceNo, to] = positionals;
  if (invoiceNo === undefined || to === undefined || positionals.length > 2) throw new UsageError('invoices status takes INVOICE_NO and issued or void');
  if (!(INVOICE_STATUSES as readonly string[]).includes(to) || to === 'draft') throw new UsageError(`status "${to}" must be issued or void`);
  const form = await withBackOffice(values['data-dir'], (deps) => setFormStatus(deps, operator(), invoiceNo, to, values.reason));
  io.out(values.json ? JSON.stringify(form, null, 2) : `${form.invoice_no} (${form.dealer}) is now ${form.status}; paid ${form.paid}, owed ${form.owed} (${form.settlement}), tax ${form.tax}`);
  return EXIT.done;
}

/** `invoices tax INVOICE_NO (now | archive | --number TAX_NO --date YYYY-MM-DD)`: tax invoicing, independent of payment. */
async function taxCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { number: { type: 'string' }, date: { type: 'string' } });
  const [invoiceNo, to] = positionals;
  if (invoiceNo === undefined || positionals.length > 2) throw new UsageError('invoices tax takes INVOICE_NO and now, archive or --number TAX_NO --date YYYY-MM-DD');
  let request: TaxRequest;
  if (to === 'now' || to === 'archive') {
    if (values.number !== undefined) throw new UsageError('invoices tax takes now, archive or --number, one of them');
    request = { to };
  } else if (to === undefined && values.number !== undefined) {
    request = { number: values.number, date: dateOption(values.date, '--date') };
  } else {
    throw new UsageError('invoices tax takes now, archive or --number TAX_NO --date YYYY-MM-DD');
  }
  const form = await withBackOffice(values['data-dir'], (deps) => setFormTax(deps, operator(), invoiceNo, request));
  io.out(values.json ? JSON.stringify(form, null, 2) : `${form.invoice_no} (${form.dealer}): tax ${form.tax}${form.tax_invoice ? ` ${form.tax_invoice.number} of ${form.tax_invoice.date}` : ''}`);
  return EXIT.done;
}

/** `invoices balances [--dealer]`: each dealer's balance from its journal. */
async function balancesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { dealer: { type: 'string' } });
  // A page at a time, as the API answers, until the last: every dealer is printed.
  const dealers = await withBackOffice(values['data-dir'], async (deps) => {
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await dealerBalances(deps, operator(), values.dealer, cursor === undefined ? {} : { cursor });
      all.push(...page.dealers);
      cursor = page.next_cursor ?? undefined;
    } while (cursor !== undefined);
    return all;
  });
  if (values.json) io.out(JSON.stringify({ dealers }, null, 2));
  else for (const d of dealers) io.out(`${d.dealer} ${d.dealer_name}  charged ${d.charged}  credited ${d.credited}  paid ${d.paid}  refunded ${d.refunded}  balance ${d.balance}`);
  return EXIT.done;
}

/** `invoices consolidated --dealer D [--out FILE] [--number TAX_NO --date YYYY-MM-DD]`: the archived forms for one tax invoice, and recording it. */
async function consolidatedCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { dealer: { type: 'string' }, out: { type: 'string' }, number: { type: 'string' }, date: { type: 'string' } });
  const dealer = required(values.dealer, '--dealer');
  const tax = values.number === undefined ? undefined : { number: values.number, date: dateOption(values.date, '--date') };
  const answer = await withBackOffice(values['data-dir'], async (deps) => {
    const list = await consolidatedList(deps, operator(), dealer);
    if (values.out !== undefined) await writeOutput(values.out, (await consolidatedWorkbook(deps, operator(), dealer)).bytes);
    return { ...list, ...(tax && { invoiced: (await invoiceConsolidated(deps, operator(), dealer, tax)).invoiced, tax_invoice: tax }) };
  });
  if (values.json) io.out(JSON.stringify(answer, null, 2));
  else {
    for (const f of answer.forms) io.out(`${f.invoice_no}  ${f.period}  ${f.kind}  ¥${f.total}  owed ${f.owed}`);
    io.out(`${answer.count} archived form(s) of ${dealer}, total ¥${answer.total} (${answer.total_in_words})${answer.invoiced ? `; tax invoice ${answer.tax_invoice?.number ?? ""} recorded on ${answer.invoiced.join(', ')}` : ''}`);
  }
  return EXIT.done;
}

/** `invoices list|export|status|balances|consolidated`: the invoices of a period or of every period, and finance's moves. */
export async function invoicesCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'status') return statusCommand(rest, io);
  if (sub === 'tax') return taxCommand(rest, io);
  if (sub === 'balances') return balancesCommand(rest, io);
  if (sub === 'consolidated') return consolidatedCommand(rest, io);
  const { values } = parse(rest, { period: { type: 'string' }, dealer: { type: 'string' }, out: { type: 'string' } });
  const filter = { period: values.period === undefined ? undefined : periodOption(values.period), dealer: values.dealer };
  if (sub === 'list') {
    const invoices = await withBackOffice(values['data-dir'], async (deps) => withMoney(deps, await findInvoices(deps, filter)));
    if (values.json) {
      io.out(JSON.stringify(invoices.map(({ invoice: i, money: m }) => ({
        ...invoiceJson(i), period: i.period, issued_on: i.issued_on, corrects: i.corrects ?? null, workbook: i.workbook_key,
        paid: formatYuan(m.paid), credited: formatYuan(m.credited), refunded: formatYuan(m.refunded), owed: formatYuan(m.owed), settlement: m.settlement,
        tax: taxOf(i), tax_invoice: i.tax_invoice ?? null,
      })), null, 2));
    } else if (invoices.length === 0) {
      io.out('no invoices');
    } else {
      for (const { invoice: i, money: m } of invoices) {
        io.out(`${i.invoice_no}  ${i.period}  ${i.kind}  ${i.dealer.code} ${i.dealer.name}  ¥${formatYuan(i.total)}  ${invoiceJson(i).status}  paid ${formatYuan(m.paid)} credited ${formatYuan(m.credited)} owed ${formatYuan(m.owed)} (${m.settlement})  tax ${taxOf(i)}  ${i.lines.length} lines`);
      }
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
  throw new UsageError('invoices takes list, export, status, tax, balances or consolidated');
}
