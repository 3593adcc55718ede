import { reportReminders } from '../../shared/app/notices/jobs.js';
import { statisticsWorkbook } from '../../shared/app/statistics-downloads.js';
import { EXIT, parse, periodOption, required, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';

/** `stats --period --out`: the month's statistics workbook. */
export async function statsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, out: { type: 'string' } });
  const period = periodOption(values.period);
  const out = required(values.out, '--out');
  const { workbook } = await withBackOffice(values['data-dir'], (deps) => statisticsWorkbook(deps, period));
  await writeOutput(out, workbook);
  io.out(values.json ? JSON.stringify({ file: out }, null, 2) : `statistics of ${period} written to ${out}`);
  return EXIT.done;
}

/** `reminders --period`: the dealers whose reports of the month are missing or late; each is told, and the after-sales department gets the list. */
export async function remindersCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' } });
  const period = periodOption(values.period);
  const { followUps, failed } = await withBackOffice(values['data-dir'], (deps) => reportReminders(deps, period));
  if (values.json) io.out(JSON.stringify({ period, follow_ups: followUps, failed }, null, 2));
  else if (followUps.length === 0 && failed.length === 0) io.out(`every dealer's ${period} reports are in, on time`);
  else for (const f of followUps) io.out(`${f.dealer} ${f.dealer_name}: ${f.type} report ${f.status === 'missing' ? 'missing' : 'late'}`);
  for (const failure of failed) io.err(`dealer ${failure.dealer ?? '(list)'} failed: ${failure.error}`);
  return failed.length === 0 ? EXIT.done : EXIT.fault;
}
