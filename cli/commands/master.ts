import { importMaster, type MasterImportResult } from '../../shared/app/import-master.js';
import { EXIT, parse, readInput, UsageError, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { formatIssue } from '../print.js';
import { randomUUID } from 'node:crypto';
import { masterChecked } from '../../shared/app/notices/events.js';

function printMaster(io: Io, result: MasterImportResult): void {
  if (result.status === 'accepted') {
    io.out(`accepted: ${result.counts.dealers} dealers, ${result.counts.products} products, ${result.counts.parts} part prices loaded`);
  } else {
    io.out(`rejected: ${result.errors.length} error(s), master data unchanged`);
    for (const issue of result.errors) io.out(`  [${issue.sheet}] ${formatIssue(issue).trimStart()}`);
  }
  for (const issue of result.warnings) io.out(`  warning [${issue.sheet}] ${formatIssue(issue).trimStart()}`);
}

/** `master import FILE.xlsx`: dealers, products and the parts price list. */
export async function masterCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new UsageError('master has one subcommand: backoffice master import FILE.xlsx');
  const { values, positionals } = parse(rest, {});
  const file = positionals[0];
  if (file === undefined) throw new UsageError('master import needs the master-data workbook');
  const bytes = await readInput(file);
  const result = await withBackOffice(values['data-dir'], async (deps) => {
    const imported = await importMaster(deps, bytes);
    await deps.notices.tell(masterChecked(file, { ...imported, source: `cli:${randomUUID()}`, error_workbook_key: null }));
    return imported;
  });
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else printMaster(io, result);
  return result.status === 'accepted' ? EXIT.done : EXIT.refused;
}
