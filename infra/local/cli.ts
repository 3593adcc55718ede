import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type BackOfficeConfig } from '../../shared/config.js';
import { createAdapters } from '../../shared/compose.js';
import { ingestReport, type IngestResult } from '../../shared/app/ingest-report.js';
import { importMaster, type MasterImportResult } from '../../shared/app/import-master.js';
import { ingestLedger, type LedgerIngestResult } from '../../shared/app/ingest-ledger.js';
import { REPORT_TYPES, type ReportType } from '../../shared/domain/fields.js';
import type { Issue } from '../../shared/domain/issues.js';
import { writeAllTemplates } from '../../shared/sheets/template.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { partUnitsOf } from '../../shared/domain/master.js';
import { reportFollowUps } from '../../shared/app/reminders.js';
import { monthStatistics } from '../../shared/app/statistics.js';
import { writeStatisticsWorkbook } from '../../shared/sheets/statistics-workbook.js';
import { writeReconciliationWorkbook } from '../../shared/sheets/reconciliation-workbook.js';
import { reconciliationReport } from '../../shared/app/reconciliation-report.js';
import { isValidDate, isValidPeriod } from '../../shared/domain/dates.js';
import { formatYuan } from '../../shared/domain/money.js';
import { invoiceJson, reconcileJson } from '../../shared/domain/invoice.js';
import type { StoredInvoice } from '../../shared/app/ports.js';
import { joinRunningStack, openLocalStack, environmentNamesResources } from './stack.js';
import { uploadKey } from '../../shared/app/upload-keys.js';
import type { ReportTarget } from '../../shared/app/ports.js';

/**
 * `backoffice`, the command line of ../shared/cli.md. Exit status: 0 done, 1 the input was
 * refused, 2 wrong usage or a system fault. Bad input never ends in a stack trace.
 */

const USAGE = `Usage: backoffice <command> [options]

Commands:
  master import FILE.xlsx [--json]
  templates --out DIR
  ingest FILE.xlsx --type installation|repair --dealer CODE --period YYYY-MM
         [--received-at ISO-8601] [--json] [--report-out FILE.xlsx]
  ingest FILE.xlsx --type shipments|returns [--received-at ISO-8601] [--json] [--report-out FILE.xlsx]
  reconcile --period YYYY-MM --as-of YYYY-MM-DD [--json]
  reconciliation --period YYYY-MM --as-of YYYY-MM-DD --out FILE.xlsx
  reminders --period YYYY-MM [--json]
  stats --period YYYY-MM --out FILE.xlsx
  invoices list [--period YYYY-MM] [--dealer CODE] [--json]
  invoices export --out DIR [--period YYYY-MM] [--dealer CODE]
  upload FILE.xlsx --type installation|repair --dealer CODE --period YYYY-MM
         [--json] [--report-out FILE.xlsx]   (through the uploads bucket of a running npm start)

Options for every command:
  --data-dir DIR   where the embedded stores keep their data (default .data, or BACKOFFICE_DATA_DIR)
  --help           this text`;

export class UsageError extends Error {}

const EXIT = { done: 0, refused: 1, fault: 2 } as const;

interface Io {
  out(text: string): void;
  err(text: string): void;
}

const stdio: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

const COMMON = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsConfig['options'];

function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options: { ...COMMON, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function required(value: string | boolean | undefined, flag: string): string {
  if (typeof value !== 'string' || value === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** Runs a command with the back office's configuration: what the environment names, else the embedded stack. */
async function withBackOffice<T>(dataDir: string | undefined, work: (config: BackOfficeConfig) => Promise<T>): Promise<T> {
  if (environmentNamesResources()) return work(loadConfig());
  const stack = await openLocalStack(dataDir);
  try {
    return await work(stack.config);
  } finally {
    await stack.stop();
  }
}

async function readInput(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? 'unknown error'})`);
  }
}

function formatIssue(issue: Issue): string {
  const where = [issue.row === null ? 'file' : `row ${issue.row}`, issue.column ?? ''].filter(Boolean).join(', ');
  const value = issue.value === null ? '' : ` "${issue.value}"`;
  return `  ${where}${value}: ${issue.message}\n    ${issue.message_zh}`;
}

function ingestJson(result: IngestResult) {
  return {
    status: result.status,
    type: result.target.type,
    dealer: result.target.dealer,
    period: result.target.period,
    version: result.version,
    late: result.late,
    counts: result.counts,
    errors: result.errors,
    warnings: result.warnings,
  };
}

function printIngest(io: Io, result: IngestResult, reportOut: string | undefined): void {
  const { target } = result;
  const what = `${target.type} report of ${target.dealer} for ${target.period}`;
  const timing = result.late ? 'late' : 'on time';
  const records = target.type === 'repair' ? `${result.counts.records} repairs, ${result.counts.part_lines} part rows` : `${result.counts.records} installations`;
  if (result.status === 'accepted') {
    io.out(`accepted: ${what}, version ${result.version} (${timing}); ${result.counts.rows} rows, ${records}`);
  } else {
    io.out(`rejected: ${what} (${timing}); ${result.errors.length} error(s), nothing was stored and the current report is unchanged`);
    for (const issue of result.errors) io.out(formatIssue(issue));
  }
  if (result.warnings.length > 0) {
    io.out(`${result.warnings.length} warning(s):`);
    for (const issue of result.warnings) io.out(formatIssue(issue));
  }
  if (reportOut !== undefined && result.status === 'rejected') {
    io.out(result.errorReport === null ? 'The file could not be read, so no annotated workbook was written.' : `Annotated workbook with every mistake marked: ${reportOut}`);
  }
}

const REPORT_OPTIONS = {
  type: { type: 'string' },
  dealer: { type: 'string' },
  period: { type: 'string' },
  'report-out': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const LEDGER_TYPES = ['shipments', 'returns'] as const;

function reportTarget(values: { type?: string; dealer?: string; period?: string }): ReportTarget {
  const type = required(values.type, '--type');
  if (!REPORT_TYPES.includes(type as ReportType)) {
    throw new UsageError(`--type must be one of ${[...REPORT_TYPES, ...LEDGER_TYPES].join(', ')}`);
  }
  return { type: type as ReportType, dealer: required(values.dealer, '--dealer'), period: required(values.period, '--period') };
}

async function reportResult(io: Io, result: IngestResult, json: boolean, reportOut: string | undefined): Promise<number> {
  await writeReportOut(reportOut, result.errorReport);
  if (json) io.out(JSON.stringify(ingestJson(result), null, 2));
  else printIngest(io, result, reportOut);
  return result.status === 'accepted' ? EXIT.done : EXIT.refused;
}

function receivedAtOf(value: string | undefined): Date {
  const receivedAt = value === undefined ? new Date() : new Date(value);
  if (Number.isNaN(receivedAt.getTime())) throw new UsageError(`--received-at "${value}" is not an ISO-8601 time, e.g. 2026-11-02T10:00:00+08:00`);
  return receivedAt;
}

async function writeReportOut(reportOut: string | undefined, workbook: Uint8Array | null): Promise<void> {
  if (reportOut === undefined || workbook === null) return;
  await mkdir(dirname(resolve(reportOut)), { recursive: true });
  await writeFile(reportOut, workbook);
}

function printLedger(io: Io, result: LedgerIngestResult): void {
  const what = result.type === 'shipments' ? 'shipment lines' : 'return lines';
  if (result.status === 'accepted') {
    io.out(`accepted: ${result.counts.records} ${what}; ${result.counts.recorded} recorded now, ${result.counts.already_recorded} already recorded before`);
  } else {
    io.out(`rejected: ${result.errors.length} error(s); nothing was recorded`);
    for (const issue of result.errors) io.out(formatIssue(issue));
  }
  for (const issue of result.warnings) io.out(`  warning ${formatIssue(issue).trimStart()}`);
}

async function ingestLedgerCommand(type: 'shipments' | 'returns', file: string, values: { json?: boolean; 'data-dir'?: string; 'received-at'?: string; 'report-out'?: string }, io: Io): Promise<number> {
  const receivedAt = receivedAtOf(values['received-at']);
  const bytes = await readInput(file);
  const result = await withBackOffice(values['data-dir'], (config) =>
    ingestLedger({ ...createAdapters(config), config }, { bytes, type, receivedAt, sourceId: `cli:${randomUUID()}` }),
  );
  await writeReportOut(values['report-out'], result.errorReport);
  if (values.json === true) {
    const { errorReport: _workbook, ...json } = result;
    io.out(JSON.stringify(json, null, 2));
  } else {
    printLedger(io, result);
  }
  return result.status === 'accepted' ? EXIT.done : EXIT.refused;
}

async function ingestCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...REPORT_OPTIONS, 'received-at': { type: 'string' } });
  const file = positionals[0];
  if (file === undefined) throw new UsageError('ingest needs the report file: backoffice ingest FILE.xlsx --type ...');
  const ledgerType = LEDGER_TYPES.find((t) => t === values.type);
  if (ledgerType !== undefined) return ingestLedgerCommand(ledgerType, file, values, io);
  const target = reportTarget(values);
  const receivedAt = receivedAtOf(values['received-at']);
  const bytes = await readInput(file);

  const result = await withBackOffice(values['data-dir'], (config) =>
    ingestReport(
      { ...createAdapters(config), config },
      { bytes, target, receivedAt, sourceId: `cli:${randomUUID()}` },
    ),
  );
  return reportResult(io, result, values.json === true, values['report-out']);
}

const UPLOAD_WAIT_MS = 180_000;

/**
 * Puts the file into the uploads bucket under an application-made key, as the portal does,
 * and waits for the ingest handler that the S3 event runs to record its outcome.
 */
async function uploadCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, REPORT_OPTIONS);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('upload needs the report file: backoffice upload FILE.xlsx --type ...');
  const target = reportTarget(values);
  const bytes = await readInput(file);
  const config = await joinRunningStack(values['data-dir']);
  if (config === undefined) throw new UsageError('upload goes through the running back office: start it first with `npm start`');
  const adapters = createAdapters(config);
  const key = uploadKey(target, randomUUID());
  await adapters.blobs.put('uploads', key, bytes, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const etag = createHash('md5').update(bytes).digest('hex');
  const sourceId = `s3://${config.buckets.uploads}/${key}#${etag}`;
  if (!values.json) io.out(`uploaded to s3://${config.buckets.uploads}/${key}; waiting for the check ...`);
  const deadline = Date.now() + UPLOAD_WAIT_MS;
  while (Date.now() < deadline) {
    const outcome = await adapters.reports.findOutcome(sourceId);
    if (outcome !== undefined) {
      const errorReport = outcome.error_report_key === null ? null : await adapters.blobs.get('reports', outcome.error_report_key);
      return reportResult(io, { ...outcome, errorReport, replayed: false }, values.json === true, values['report-out']);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no answer from the ingest handler within ${UPLOAD_WAIT_MS / 1000} s; see the npm start terminal`);
}

function printMaster(io: Io, result: MasterImportResult): void {
  if (result.status === 'accepted') {
    io.out(`accepted: ${result.counts.dealers} dealers, ${result.counts.products} products, ${result.counts.parts} part prices loaded`);
  } else {
    io.out(`rejected: ${result.errors.length} error(s), master data unchanged`);
    for (const issue of result.errors) io.out(`  [${issue.sheet}] ${formatIssue(issue).trimStart()}`);
  }
  for (const issue of result.warnings) io.out(`  warning [${issue.sheet}] ${formatIssue(issue).trimStart()}`);
}

async function masterCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') throw new UsageError('master has one subcommand: backoffice master import FILE.xlsx');
  const { values, positionals } = parse(rest, {});
  const file = positionals[0];
  if (file === undefined) throw new UsageError('master import needs the master-data workbook');
  const bytes = await readInput(file);
  const result = await withBackOffice(values['data-dir'], (config) => importMaster(createAdapters(config), bytes));
  if (values.json) io.out(JSON.stringify(result, null, 2));
  else printMaster(io, result);
  return result.status === 'accepted' ? EXIT.done : EXIT.refused;
}

async function templatesCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { out: { type: 'string' } });
  const out = required(values.out, '--out');
  await mkdir(out, { recursive: true });
  const files = await writeAllTemplates(out);
  if (values.json) io.out(JSON.stringify({ files }, null, 2));
  else for (const file of files) io.out(file);
  return EXIT.done;
}

function periodOption(value: string | undefined, flag = '--period'): string {
  const period = required(value, flag);
  if (!isValidPeriod(period)) throw new UsageError(`${flag} "${period}" is not a month; write it as 2026-10`);
  return period;
}

function dateOption(value: string | undefined, flag: string): string {
  const date = required(value, flag);
  if (!isValidDate(date)) throw new UsageError(`${flag} "${date}" is not a date; write it as 2026-11-05`);
  return date;
}

async function reconcileCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, 'as-of': { type: 'string' } });
  const period = periodOption(values.period);
  const asOf = dateOption(values['as-of'], '--as-of');
  const result = await withBackOffice(values['data-dir'], (config) =>
    reconcilePeriod(
      { ...createAdapters(config), config, renderInvoice: writeInvoiceWorkbook },
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
  }
  for (const failure of result.run.failed) io.err(`dealer ${failure.dealer} failed: ${failure.error}`);
  return result.run.failed.length === 0 ? EXIT.done : EXIT.fault;
}

/** The 用户借料盘点表 of a reconciliation already run: per dealer and part, every lot, the flagged loans. */
async function reconciliationCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, 'as-of': { type: 'string' }, out: { type: 'string' } });
  const period = periodOption(values.period);
  const asOf = dateOption(values['as-of'], '--as-of');
  const out = required(values.out, '--out');
  const report = await withBackOffice(values['data-dir'], (config) => reconciliationReport(createAdapters(config), period, asOf));
  if (report === null) {
    io.err(`${period} has not been reconciled as of ${asOf}: run  reconcile --period ${period} --as-of ${asOf}  first`);
    return EXIT.refused;
  }
  await writeReportOut(out, await writeReconciliationWorkbook(report));
  const flagged = report.dealers.reduce((n, d) => n + (d.flagged?.length ?? 0), 0);
  io.out(values.json ? JSON.stringify({ file: out, dealers: report.dealers.length, flagged }, null, 2) : `reconciliation of ${period} as of ${asOf} (${report.dealers.length} dealers, ${flagged} flagged loans) written to ${out}`);
  return EXIT.done;
}

async function statsCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' }, out: { type: 'string' } });
  const period = periodOption(values.period);
  const out = required(values.out, '--out');
  const { statistics, names } = await withBackOffice(values['data-dir'], (config) => monthStatistics(createAdapters(config), period));
  await writeReportOut(out, await writeStatisticsWorkbook(statistics, names));
  io.out(values.json ? JSON.stringify({ file: out }, null, 2) : `statistics of ${period} written to ${out}`);
  return EXIT.done;
}

async function remindersCommand(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { period: { type: 'string' } });
  const period = periodOption(values.period);
  const followUps = await withBackOffice(values['data-dir'], (config) => reportFollowUps(createAdapters(config), period));
  if (values.json) io.out(JSON.stringify({ period, follow_ups: followUps }, null, 2));
  else if (followUps.length === 0) io.out(`every dealer's ${period} reports are in, on time`);
  else for (const f of followUps) io.out(`${f.dealer} ${f.dealer_name}: ${f.type} report ${f.status === 'missing' ? 'missing' : 'late'}`);
  return EXIT.done;
}

/** Invoices of a period, or of every period when none is given, optionally of one dealer. */
async function findInvoices(config: BackOfficeConfig, period: string | undefined, dealer: string | undefined): Promise<StoredInvoice[]> {
  const adapters = createAdapters(config);
  if (period !== undefined) return adapters.invoices.byPeriod(period, dealer);
  const dealers = dealer === undefined ? [...(await adapters.master.load()).dealers.keys()] : [dealer];
  const all: StoredInvoice[] = [];
  for (const code of dealers) all.push(...(await adapters.invoices.chargeState(code)).invoices);
  return all.sort((a, b) => (a.invoice_no < b.invoice_no ? -1 : 1));
}

async function invoicesCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parse(rest, { period: { type: 'string' }, dealer: { type: 'string' }, out: { type: 'string' } });
  const period = values.period === undefined ? undefined : periodOption(values.period);
  if (sub === 'list') {
    const invoices = await withBackOffice(values['data-dir'], (config) => findInvoices(config, period, values.dealer));
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
    const files = await withBackOffice(values['data-dir'], async (config) => {
      const adapters = createAdapters(config);
      const written: string[] = [];
      for (const invoice of await findInvoices(config, period, values.dealer)) {
        const bytes = invoice.workbook_key ? await adapters.blobs.get('invoices', invoice.workbook_key) : await writeInvoiceWorkbook(invoice, { partUnits: partUnitsOf((await adapters.master.load()).parts) });
        const file = resolve(out, `${invoice.dealer.code}-${invoice.invoice_no}.xlsx`);
        await writeFile(file, bytes);
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

const COMMANDS: Record<string, (args: string[], io: Io) => Promise<number>> = {
  reconcile: reconcileCommand,
  reconciliation: reconciliationCommand,
  reminders: remindersCommand,
  stats: statsCommand,
  invoices: invoicesCommand,
  ingest: ingestCommand,
  upload: uploadCommand,
  master: masterCommand,
  templates: templatesCommand,
};

/** Runs one command line and returns its exit status; never throws. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === 'help' || args.includes('--help')) {
    io.out(USAGE);
    return command === undefined ? EXIT.fault : EXIT.done;
  }
  const run = COMMANDS[command];
  try {
    if (run === undefined) throw new UsageError(`unknown command "${command}"`);
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`backoffice: ${error.message}\n\n${USAGE}`);
      return EXIT.fault;
    }
    io.err(`backoffice: ${(error as Error).message ?? String(error)}`);
    if (process.env.BACKOFFICE_DEBUG) io.err(String((error as Error).stack));
    return EXIT.fault;
  }
}
