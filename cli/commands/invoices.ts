import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { consolidatedList, consolidatedWorkbook, issueConsolidated } from '../../shared/app/finance/consolidated.js';
import { dealerBalances, setFormStatus } from '../../shared/app/finance/form-life.js';
import { findInvoices, invoiceWorkbooks } from '../../shared/app/invoices.js';
import { INVOICE_STATUSES, invoiceJson, type InvoiceStatus } from '../../shared/domain/invoice.js';
import { formatYuan } from '../../shared/domain/money.js';
import { owedOf, paidOf } from '../../shared/domain/payments.js';
import { operator } from '../operator.js';
import { EXIT, parse, periodOption, required, UsageError, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';

/** `invoices status INVOICE_NO STATUS [--reason]`: finance moves a form (cli.md); a refused move exits 1. */
async function statusCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { reason: { type: 'string' } });
  const [invoiceNo, to] = positionals;
  if (invoiceNo === undefined || to === undefined || positionals.length > 2) throw new UsageError('invoices status takes INVOICE_NO and a status');
  if (!INVOICE_STATUSES.includes(to as InvoiceStatus) || to === 'draft') throw new UsageError(`status "${to}" must be issued, archived, paid or void`);
  const form = await withBackOffice(values['data-dir'], (deps) => setFormStatus(deps, operator(), invoiceNo, to as InvoiceStatus, values.reason));
  io.out(values.json ? JSON.stringify(form, null, 2) : `${form.invoice_no} (${form.dealer}) is now ${form.status}; paid ${form.paid}, owed ${form.owed}`);
  return EXIT.done;
}

/** `invoices balances [--dealer]`: each dealer's balance, owed − paid − credits. */
async function balancesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { dealer: { type: 'string' } });
  const { dealers } = await withBackOffice(values['data-dir'], (deps) => dealerBalances(deps, operator(), values.dealer));
  if (values.json) io.out(JSON.stringify({ dealers }, null, 2));
  else for (const d of dealers) io.out(`${d.dealer} ${d.dealer_name}  charged ${d.charged}  paid ${d.paid}  credits ${d.credits}  balance ${d.balance}`);
  return EXIT.done;
}

/** `invoices consolidated --dealer D [--out FILE] [--issue]`: the archived forms for one tax invoice, and issuing them. */
async function consolidatedCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { dealer: { type: 'string' }, out: { type: 'string' }, issue: { type: 'boolean', default: false } });
  const dealer = required(values.dealer, '--dealer');
  const answer = await withBackOffice(values['data-dir'], async (deps) => {
    const list = await consolidatedList(deps, operator(), dealer);
    if (values.out !== undefined) await writeOutput(values.out, (await consolidatedWorkbook(deps, operator(), dealer)).bytes);
    return { ...list, ...(values.issue && { issued: (await issueConsolidated(deps, operator(), dealer)).issued }) };
  });
  if (values.json) io.out(JSON.stringify(answer, null, 2));
  else {
    for (const f of answer.forms) io.out(`${f.invoice_no}  ${f.period}  ${f.kind}  ¥${f.total}`);
    io.out(`${answer.count} archived form(s) of ${dealer}, total ¥${answer.total} (${answer.total_in_words})${answer.issued ? `; issued ${answer.issued.join(', ')}` : ''}`);
  }
  return EXIT.done;
}

/** `invoices list|export|status|balances|consolidated`: the invoices of a period or of every period, and finance's moves. */
export async function invoicesCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'status') return statusCommand(rest, io);
  if (sub === 'balances') return balancesCommand(rest, io);
  if (sub === 'consolidated') return consolidatedCommand(rest, io);
  const { values } = parse(rest, { period: { type: 'string' }, dealer: { type: 'string' }, out: { type: 'string' } });
  const filter = { period: values.period === undefined ? undefined : periodOption(values.period), dealer: values.dealer };
  if (sub === 'list') {
    const invoices = await withBackOffice(values['data-dir'], (deps) => findInvoices(deps, filter));
    if (values.json) {
      io.out(JSON.stringify(invoices.map((i) => ({
        ...invoiceJson(i), period: i.period, issued_on: i.issued_on, status: i.status, workbook: i.workbook_key,
        paid: formatYuan(paidOf(i)), owed: formatYuan(owedOf(i)),
      })), null, 2));
    } else if (invoices.length === 0) {
      io.out('no invoices');
    } else {
      for (const i of invoices) io.out(`${i.invoice_no}  ${i.period}  ${i.kind}  ${i.dealer.code} ${i.dealer.name}  ¥${formatYuan(i.total)}  ${i.status}  paid ${formatYuan(paidOf(i))} owed ${formatYuan(owedOf(i))}  ${i.lines.length} lines`);
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
  throw new UsageError('invoices takes list, export, status, balances or consolidated');
}
