import { recordPayment } from '../../shared/app/finance/form-life.js';
import { dateOption, EXIT, parse, required, UsageError, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { operator } from '../operator.js';

/** `payments record INVOICE_NO --amount 0.00 --date YYYY-MM-DD [--reference T] [--method T]` (cli.md). */
export async function paymentsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'record') throw new UsageError('payments takes record');
  const { values, positionals } = parse(rest, { amount: { type: 'string' }, date: { type: 'string' }, reference: { type: 'string' }, method: { type: 'string' } });
  const [invoiceNo] = positionals;
  if (invoiceNo === undefined || positionals.length > 1) throw new UsageError('payments record takes one INVOICE_NO');
  const request = {
    amount: required(values.amount, '--amount'),
    date: dateOption(values.date, '--date'),
    ...(values.reference !== undefined && { reference: values.reference }),
    ...(values.method !== undefined && { method: values.method }),
  };
  const form = await withBackOffice(values['data-dir'], (deps) => recordPayment(deps, operator(), invoiceNo, request));
  if (values.json) io.out(JSON.stringify(form, null, 2));
  else io.out(`payment of ${request.amount} recorded on ${form.invoice_no} (${form.dealer}): paid ${form.paid}, owed ${form.owed}, status ${form.status}`);
  return EXIT.done;
}
