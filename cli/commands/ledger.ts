import { correctLedgerLine } from '../../shared/app/finance/corrections.js';
import { chargeFlaggedLoan } from '../../shared/app/finance/flagged-loans.js';
import { EXIT, parse, periodOption, required, UsageError, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { operator } from '../operator.js';

const wholeNumber = (value: string | undefined, flag: string): number => {
  const text = required(value, flag);
  if (!/^-?\d+$/.test(text)) throw new UsageError(`${flag} "${text}" is not a whole number`);
  return Number(text);
};

/** `--qty -1` as `--qty=-1`: parseArgs would read a negative number as an option, and the refusal must say why it is refused. */
const negativeValues = (args: readonly string[]): string[] =>
  args.flatMap((arg, i) => (arg === '--qty' && /^-\d+$/.test(args[i + 1] ?? '') ? [] : i > 0 && args[i - 1] === '--qty' && /^-\d+$/.test(arg) ? [`--qty=${arg}`] : [arg]));

/** `ledger charge-loan --id SHIPMENT --line N --period YYYY-MM`: the after-sales department charges a flagged loan. */
async function chargeLoanCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { id: { type: 'string' }, line: { type: 'string' }, period: { type: 'string' } });
  const input = { shipment_id: required(values.id, '--id'), line: wholeNumber(values.line, '--line'), period: periodOption(values.period) };
  const form = await withBackOffice(values['data-dir'], (deps) => chargeFlaggedLoan(deps, operator(), input));
  io.out(values.json ? JSON.stringify(form, null, 2) : `flagged loan ${input.shipment_id} line ${input.line} charged on ${form.invoice_no} (${form.kind}, ${form.status}), total ${form.total}`);
  return EXIT.done;
}

/** `ledger correct --type shipments|returns --id ID --line N --qty Q --reason TEXT`: one line's correction (cli.md). */
export async function ledgerCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'charge-loan') return chargeLoanCommand(rest, io);
  if (sub !== 'correct') throw new UsageError('ledger takes correct or charge-loan');
  const { values } = parse(negativeValues(rest), {
    type: { type: 'string' }, id: { type: 'string' }, line: { type: 'string' }, qty: { type: 'string' }, reason: { type: 'string' },
  });
  const type = required(values.type, '--type');
  if (type !== 'shipments' && type !== 'returns') throw new UsageError(`--type "${type}" must be shipments or returns`);
  const request = {
    type, id: required(values.id, '--id'), line: wholeNumber(values.line, '--line'),
    qty: wholeNumber(values.qty, '--qty'), reason: required(values.reason, '--reason'),
  } as const;
  const history = await withBackOffice(values['data-dir'], (deps) => correctLedgerLine(deps, operator(), request));
  if (values.json) {
    io.out(JSON.stringify(history, null, 2));
  } else {
    io.out(`corrected ${type} ${history.id} line ${history.line} (${history.dealer}, ${history.part_code}): recorded ${history.original_qty}, now ${history.qty}`);
    for (const c of history.corrections) io.out(`  ${c.at}  ${c.previous_qty} → ${c.qty}  by ${c.by}: ${c.reason}`);
  }
  return EXIT.done;
}
