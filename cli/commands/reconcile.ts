import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { reconciliationWorkbook } from '../../shared/app/reconciliation-downloads.js';
import { clampedWindowsJson, reconcileJson } from '../../shared/domain/invoice.js';
import { formatYuan } from '../../shared/domain/money.js';
import { dateOption, EXIT, parse, periodOption, required, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';

/** `reconcile --period --as-of`: every dealer's reconciliation and the period's fee invoices. */
export async function reconcileCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, 'as-of': { type: 'string' } });
  const period = periodOption(values.period);
  const asOf = dateOption(values['as-of'], '--as-of');
  const result = await withBackOffice(values['data-dir'], (deps) =>
    reconcilePeriod(
      deps,
      {
        period,
        as_of: asOf,
        onProgress: (done, total, dealer) => {
          if (!values.json && (done === total || done % 25 === 0)) io.err(`reconciled ${done}/${total} dealers (last: ${dealer})`);
        },
      },
    ),
  );
  if (values.json) {
    io.out(JSON.stringify(reconcileJson({ period, as_of: asOf, invoices: result.invoices, dealers: result.dealers }), null, 2));
  } else {
    io.out(`reconciliation of ${period} as of ${asOf}: ${result.run.dealers_done} dealers, ${result.invoices.length} invoice(s) for the period`);
    for (const invoice of result.invoices) io.out(`  ${invoice.invoice_no}  ${invoice.dealer.code}  ¥${formatYuan(invoice.total)}  ${invoice.total_in_words}  (${invoice.lines.length} lines)`);
    const outstanding = result.dealers.reduce((n, d) => n + d.outstanding.reduce((m, o) => m + o.qty, 0), 0);
    const surplus = result.dealers.reduce((n, d) => n + d.surplus.reduce((m, o) => m + o.qty, 0), 0);
    io.out(`  outstanding (lent, not yet due): ${outstanding} units; surplus (returned with no open lot): ${surplus} units`);
    for (const clamped of clampedWindowsJson(result.dealers)) io.out(`  dealer ${clamped.dealer}: ${clamped.message}`);
  }
  for (const failure of result.run.failed) io.err(`dealer ${failure.dealer} failed: ${failure.error}`);
  return result.run.failed.length === 0 ? EXIT.done : EXIT.fault;
}

/** `reconciliation --period --as-of --out`: the 用户借料盘点表 of a reconciliation already run. */
export async function reconciliationCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, 'as-of': { type: 'string' }, out: { type: 'string' } });
  const period = periodOption(values.period);
  const asOf = dateOption(values['as-of'], '--as-of');
  const out = required(values.out, '--out');
  const found = await withBackOffice(values['data-dir'], (deps) => reconciliationWorkbook(deps, period, asOf));
  if (found === null) {
    io.err(`${period} has not been reconciled as of ${asOf}: run  reconcile --period ${period} --as-of ${asOf}  first`);
    return EXIT.refused;
  }
  await writeOutput(out, found.workbook);
  io.out(values.json ? JSON.stringify({ file: out, dealers: found.dealers, flagged: found.flagged }, null, 2) : `reconciliation of ${period} as of ${asOf} (${found.dealers} dealers, ${found.flagged} flagged loans) written to ${out}`);
  return EXIT.done;
}
