import type { BackOfficeConfig } from '../config.js';
import { businessDateOf } from '../domain/dates.js';
import { UPLOAD_FIELDS } from '../domain/fields.js';
import type { Issue } from '../domain/issues.js';
import {
  createLedgerValidator,
  type LedgerEntity,
  type LedgerType,
  type ReturnLine,
  type ShipmentLine,
  sameLedgerLine,
} from '../domain/ledger-validation.js';
import { makeIssue } from '../domain/messages.js';
import { returnWindowOn } from '../domain/reconciliation.js';
import type { TableValidator } from '../domain/table-validation.js';
import { ledgerLineKey, type BlobStore, type LedgerConflict, type Clock, type LedgerStore, type MasterStore } from './ports.js';
import { openUpload, uploadLimits, type ErrorWorkbookWriter } from './upload-pipeline.js';

export interface LedgerIngestDeps {
  readonly ledger: LedgerStore;
  readonly master: MasterStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'maxUploadBytes' | 'maxUploadRows' | 'returnWindowDays'>;
  readonly errorWorkbook: ErrorWorkbookWriter;
}

export interface LedgerIngestRequest {
  readonly bytes: Uint8Array;
  readonly type: LedgerType;
  readonly receivedAt: Date;
  readonly sourceId: string;
}

export interface LedgerIngestResult {
  readonly status: 'accepted' | 'rejected';
  readonly type: LedgerType;
  readonly counts: { readonly rows: number; readonly records: number; readonly recorded: number; readonly already_recorded: number };
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  readonly errorReport: Uint8Array | null;
}

/** The write pass's read time: far beyond the guard's first read; the function's own timeout ends it first. */
const WRITE_PASS_TIMEOUT_MS = 15 * 60_000;

type AnyLine = ShipmentLine | ReturnLine;
const idOf = (line: AnyLine): string => ('shipment_id' in line ? line.shipment_id : line.return_id);

/** The fields that make a line what it is; remarks and condition may be corrected freely. */
const describeLine = (l: AnyLine): string =>
  'shipment_id' in l ? `${l.shipped_date} ${l.dealer_code} ${l.part_code} ×${l.qty} ${l.kind}` : `${l.received_date} ${l.dealer_code} ${l.part_code} ×${l.qty}`;

/**
 * Records a shipments or returns upload. The file is checked in full first — every row, and
 * every line against what is already recorded under its id — and only a clean file is then
 * read again and written, so a rejected upload records nothing and an accepted one records
 * each line once however often it is uploaded.
 */
export async function ingestLedger(deps: LedgerIngestDeps, request: LedgerIngestRequest): Promise<LedgerIngestResult> {
  const rejected = (errors: Issue[], warnings: Issue[], rows: number, errorReport: Uint8Array | null = null): LedgerIngestResult => ({
    status: 'rejected',
    type: request.type,
    counts: { rows, records: 0, recorded: 0, already_recorded: 0 },
    errors,
    warnings,
    errorReport,
  });
  const upload = await openUpload(request.bytes, { limits: uploadLimits(deps.config), fields: UPLOAD_FIELDS[request.type] });
  if (upload.status === 'refused') return rejected([upload.issue], [], 0);
  const master = await deps.master.load();
  const context = {
    today: businessDateOf(request.receivedAt, deps.config.businessTimeZone),
    master: { hasDealer: (code: string) => master.dealers.has(code), hasPart: (code: string) => master.parts.has(code) },
  };
  const makeValidator = (): TableValidator<LedgerEntity<AnyLine>> =>
    request.type === 'shipments' ? createLedgerValidator('shipments', context) : createLedgerValidator('returns', context);

  // Pass 1: check every row and every line against the ledger; write nothing.
  const conflicts: Issue[] = [];
  let records = 0;
  const compare = async (entities: LedgerEntity<AnyLine>[]) => {
    records += entities.length;
    const keys = entities.map((e) => ({ id: idOf(e.line), line: e.line.line }));
    const recorded: Map<string, AnyLine> = request.type === 'shipments' ? await deps.ledger.find('shipments', keys) : await deps.ledger.find('returns', keys);
    for (const { row, line } of entities) {
      const existing = recorded.get(ledgerLineKey(idOf(line), line.line));
      if (existing !== undefined && !sameLedgerLine(existing, line)) conflicts.push(conflictIssue(request.type, row, line, existing));
    }
  };
  const { summary, refusal } = await upload.read(makeValidator(), compare);
  if (refusal !== undefined) return rejected([...summary.errors, refusal], summary.warnings, summary.rows);
  const errors = [...summary.errors, ...conflicts].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (errors.length > 0) {
    const errorReport = await upload.annotate({ errors, warnings: summary.warnings, columns: summary.columns }, deps.errorWorkbook);
    return rejected(errors, summary.warnings, summary.rows, errorReport);
  }

  // Pass 2: the file is clean; record each line that is not recorded yet. Pass 1 read it whole
  // within the guard's time, so it is no hostile file; this read also waits for the writes and
  // gets time for them. Should it still stop early, the upload fails and is retried, the lines
  // recorded so far skipped: never an "accepted" that recorded only part of the file.
  const writing = await openUpload(request.bytes, { limits: { ...uploadLimits(deps.config), timeoutMs: WRITE_PASS_TIMEOUT_MS }, fields: UPLOAD_FIELDS[request.type] });
  if (writing.status === 'refused') throw new Error(`a checked ${request.type} file was refused on its second read: ${writing.issue.message}`);
  let recorded = 0;
  let skipped = 0;
  const raced: LedgerConflict[] = [];
  // A shipment line is recorded with the dealer's return window of its shipping date, the terms its lot keeps.
  const withTerms = (line: AnyLine): AnyLine => {
    if (!('shipment_id' in line)) return line;
    const dealer = master.dealers.get(line.dealer_code);
    return dealer === undefined ? line : { ...line, return_window_days: returnWindowOn(dealer, line.shipped_date, deps.config.returnWindowDays) };
  };
  const written = await writing.read(makeValidator(), async (entities) => {
    const result = await deps.ledger.record(request.type, entities.map((e) => withTerms(e.line)), request.sourceId);
    recorded += result.recorded;
    skipped += result.skipped;
    raced.push(...result.conflicts);
  });
  if (raced.length > 0) {
    // Another upload recorded these ids with other content between the check and the write:
    // the retry's check names them as conflicts, row by row.
    throw new Error(`${raced.length} ${request.type} line(s) were recorded meanwhile with other content (${raced.slice(0, 5).map((c) => `${c.id} line ${c.line}`).join(', ')}); a retry checks the file again`);
  }
  if (written.refusal !== undefined) {
    throw new Error(`recording the ${request.type} file stopped after ${recorded + skipped} of ${records} lines (${written.refusal.message}); a retry records the rest`);
  }
  return {
    status: 'accepted',
    type: request.type,
    counts: { rows: summary.rows, records, recorded, already_recorded: skipped },
    errors: [],
    warnings: summary.warnings,
    errorReport: null,
  };
}

/** A line whose id and line number are recorded with other content, named at its id cell. */
export function conflictIssue(type: LedgerType, row: number, line: AnyLine, existing: AnyLine): Issue {
  const idName = type === 'shipments' ? 'shipment_id' : 'return_id';
  const field = UPLOAD_FIELDS[type].find((f) => f.name === idName);
  if (field === undefined) throw new Error(`no ${idName} field`);
  const id = idOf(line);
  return makeIssue('ledger_conflict', { row, column: idName, value: id }, { field, value: id, id, line: line.line, recorded: describeLine(existing) });
}
