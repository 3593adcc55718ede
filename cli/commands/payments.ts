import { movePayment, recordPayment, refundPayment } from '../../shared/app/finance/form-life.js';
import { dateOption, EXIT, parse, required, UsageError, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { operator } from '../operator.js';

/** The one INVOICE_NO a payments subcommand takes. */
function invoiceOf(positionals: string[], sub: string): string {
  const [invoiceNo] = positionals;
  if (invoiceNo === undefined || positionals.length > 1) throw new UsageError(`payments ${sub} takes one INVOICE_NO`);
  return invoiceNo;
}

/**
 * `payments record INVOICE_NO --amount 0.00 --date YYYY-MM-DD [--reference T] [--method T]`,
 * `payments move INVOICE_NO --to INVOICE_NO [--amount 0.00] --reason T`,
 * `payments refund INVOICE_NO --amount 0.00 --date YYYY-MM-DD --reason T` (cli.md).
 */
export async function paymentsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, {
    amount: { type: 'string' }, date: { type: 'string' }, reference: { type: 'string' }, method: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' },
  });
  if (sub === 'record') {
    const invoiceNo = invoiceOf(positionals, sub);
    const request = {
      amount: required(values.amount, '--amount'),
      date: dateOption(values.date, '--date'),
      ...(values.reference !== undefined && { reference: values.reference }),
      ...(values.method !== undefined && { method: values.method }),
    };
    const form = await withBackOffice(values['data-dir'], (deps) => recordPayment(deps, operator(), invoiceNo, request));
    if (values.json) io.out(JSON.stringify(form, null, 2));
    else io.out(`payment of ${request.amount} recorded on ${form.invoice_no} (${form.dealer}): paid ${form.paid}, owed ${form.owed} (${form.settlement})`);
    return EXIT.done;
  }
  if (sub === 'move') {
    const invoiceNo = invoiceOf(positionals, sub);
    const request = { to: required(values.to, '--to'), reason: required(values.reason, '--reason'), ...(values.amount !== undefined && { amount: values.amount }) };
    const moved = await withBackOffice(values['data-dir'], (deps) => movePayment(deps, operator(), invoiceNo, request));
    if (values.json) io.out(JSON.stringify(moved, null, 2));
    else io.out(`moved from ${moved.from.invoice_no} (paid now ${moved.from.paid}) to ${moved.to.invoice_no} (paid ${moved.to.paid}, owed ${moved.to.owed})`);
    return EXIT.done;
  }
  if (sub === 'refund') {
    const invoiceNo = invoiceOf(positionals, sub);
    const request = {
      amount: required(values.amount, '--amount'), date: dateOption(values.date, '--date'), reason: required(values.reason, '--reason'),
      ...(values.reference !== undefined && { reference: values.reference }),
    };
    const form = await withBackOffice(values['data-dir'], (deps) => refundPayment(deps, operator(), invoiceNo, request));
    if (values.json) io.out(JSON.stringify(form, null, 2));
    else io.out(`refund of ${request.amount} recorded on ${form.invoice_no} (${form.dealer}): paid ${form.paid}, refunded ${form.refunded}, owed ${form.owed}`);
    return EXIT.done;
  }
  throw new UsageError('payments takes record, move or refund');
}
