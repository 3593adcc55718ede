import { randomUUID } from 'node:crypto';
import type { ParseArgsConfig } from 'node:util';
import { REPORT_TYPES, type ReportType } from '../../shared/domain/fields.js';
import { LEDGER_TYPES, type LedgerType } from '../../shared/domain/ledger-validation.js';
import { ingestLedger, type LedgerIngestResult } from '../../shared/app/ingest-ledger.js';
import { ingestReport } from '../../shared/app/ingest-report.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import { uploadReport } from '../../shared/app/reports.js';
import { parseUploadKey, uploadKey } from '../../shared/app/upload-keys.js';
import { createBackOffice } from '../../shared/compose.js';
import { joinRunningStack } from '../../infra/local/stack.js';
import { EXIT, parse, periodOption, readInput, receivedAtOf, required, UsageError, writeOutput, type Io } from '../args.js';
import { withBackOffice } from '../back-office.js';
import { formatIssue, submissionAnswer } from '../print.js';
import { ledgerChecked, reportChecked } from '../../shared/app/notices/events.js';

const REPORT_OPTIONS = {
  type: { type: 'string' },
  dealer: { type: 'string' },
  period: { type: 'string' },
  'report-out': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function reportTarget(values: { type?: string; dealer?: string; period?: string }): ReportTarget {
  const type = required(values.type, '--type');
  if (!REPORT_TYPES.includes(type as ReportType)) {
    throw new UsageError(`--type must be one of ${[...REPORT_TYPES, ...LEDGER_TYPES].join(', ')}`);
  }
  return { type: type as ReportType, dealer: required(values.dealer, '--dealer'), period: required(values.period, '--period') };
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

async function ingestLedgerFile(type: LedgerType, file: string, values: { json?: boolean; 'data-dir'?: string; 'received-at'?: string; 'report-out'?: string }, io: Io): Promise<number> {
  const receivedAt = receivedAtOf(values['received-at']);
  const bytes = await readInput(file);
  const sourceId = `cli:${randomUUID()}`;
  const result = await withBackOffice(values['data-dir'], async (deps) => {
    const ingested = await ingestLedger(deps, { bytes, type, receivedAt, sourceId });
    await deps.notices.tell(ledgerChecked({ ...ingested, source: sourceId, upload_id: null, annotated: ingested.errorReport !== null }));
    return ingested;
  });
  await writeOutput(values['report-out'], result.errorReport);
  if (values.json === true) {
    const { errorReport: _workbook, ...json } = result;
    io.out(JSON.stringify(json, null, 2));
  } else {
    printLedger(io, result);
  }
  return result.status === 'accepted' ? EXIT.done : EXIT.refused;
}

/** `ingest FILE.xlsx --type ...`: a dealer's monthly report, or a shipments or returns file. */
export async function ingestCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { ...REPORT_OPTIONS, 'received-at': { type: 'string' } });
  const file = positionals[0];
  if (file === undefined) throw new UsageError('ingest needs the report file: backoffice ingest FILE.xlsx --type ...');
  const ledgerType = LEDGER_TYPES.find((t) => t === values.type);
  if (ledgerType !== undefined) return ingestLedgerFile(ledgerType, file, values, io);
  const target = reportTarget(values);
  const receivedAt = receivedAtOf(values['received-at']);
  const bytes = await readInput(file);
  const sourceId = `cli:${randomUUID()}`;
  const result = await withBackOffice(values['data-dir'], async (deps) => {
    const ingested = await ingestReport(deps, { bytes, target, receivedAt, sourceId });
    await deps.notices.tell(reportChecked(target, ingested, sourceId));
    return ingested;
  });
  return submissionAnswer(io, result, values.json === true, values['report-out']);
}

const UPLOAD_WAIT_MS = 180_000;

/** `upload FILE.xlsx ...`: through the uploads bucket of a running `npm start`, as the portal uploads. */
export async function uploadCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, REPORT_OPTIONS);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('upload needs the report file: backoffice upload FILE.xlsx --type ...');
  const target = reportTarget(values);
  // The ingest handler reads whose report it is from the object key alone: a key it cannot
  // read would be passed over, and this command would wait for an answer that never comes.
  periodOption(target.period);
  if (parseUploadKey(uploadKey(target, randomUUID())) === null) throw new UsageError(`--dealer "${target.dealer}" is not a dealer code such as D001`);
  const bytes = await readInput(file);
  const config = await joinRunningStack(values['data-dir']);
  if (config === undefined) throw new UsageError('upload goes through the running back office: start it first with `npm start`');
  const answer = await uploadReport(createBackOffice(config), target, bytes, {
    waitMs: UPLOAD_WAIT_MS,
    onUploaded: (location) => {
      if (!values.json) io.out(`uploaded to ${location}; waiting for the check ...`);
    },
  });
  if (answer === undefined) throw new Error(`no answer from the ingest handler within ${UPLOAD_WAIT_MS / 1000} s; see the npm start terminal`);
  return submissionAnswer(io, { ...answer.outcome, errorReport: answer.errorWorkbook }, values.json === true, values['report-out']);
}
