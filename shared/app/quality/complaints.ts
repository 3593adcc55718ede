import type { BackOfficeConfig } from '../../config.js';
import type { Caller } from '../../domain/access.js';
import { complaintEvent, type UnitEvent } from '../../domain/archive-history.js';
import type { SheetRow } from '../../domain/cells.js';
import {
  createComplaintValidator,
  DEFAULT_OPEN_LIMIT_DAYS,
  describeComplaint,
  mergeComplaint,
  overdueComplaints,
  type Complaint,
  type ComplaintEntity,
  type OverdueComplaint,
} from '../../domain/complaints.js';
import { addMonths, businessDateOf, periodOf } from '../../domain/dates.js';
import { COMPLAINT_FIELDS } from '../../domain/fields.js';
import type { Issue } from '../../domain/issues.js';
import { makeIssue } from '../../domain/messages.js';
import { authorize, Refusal } from '../access.js';
import type { ArchiveStore, Clock, ComplaintStore, MasterStore } from '../ports.js';
import { openUpload, uploadLimits, type ErrorWorkbookWriter } from '../upload-pipeline.js';
import { businessNow } from './time.js';

export interface ComplaintDeps {
  readonly complaints: ComplaintStore;
  readonly archive: ArchiveStore;
  readonly master: MasterStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'maxUploadBytes' | 'maxUploadRows' | 'complaintOpenLimitDays'>;
}

export interface ComplaintImportResult {
  readonly status: 'accepted' | 'rejected';
  readonly counts: {
    readonly rows: number;
    readonly records: number;
    /** Complaints new to the register. */
    readonly recorded: number;
    /** Recorded complaints whose reply, resolution or follow-up this file filled in. */
    readonly updated: number;
    /** Rows that repeat a complaint exactly as recorded (a re-import): nothing written. */
    readonly already_recorded: number;
  };
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  readonly errorReport: Uint8Array | null;
}

/**
 * Takes in the after-sales department's complaint workbook through the one upload pipeline:
 * every row checked, and each complaint compared with what its id already recorded (see
 * shared/domain/complaints.ts); any error refuses the file whole, with the annotated workbook.
 * A clean file records its new complaints, fills in the progress of recorded ones, and adds
 * the complaints that name a unit to that unit's history.
 */
export async function importComplaints(
  deps: ComplaintDeps & { readonly errorWorkbook: ErrorWorkbookWriter },
  caller: Caller,
  request: { readonly bytes: Uint8Array; readonly receivedAt: Date },
): Promise<ComplaintImportResult> {
  authorize(caller, 'record_complaints');
  const rejected = (errors: readonly Issue[], warnings: readonly Issue[], rows: number, errorReport: Uint8Array | null = null): ComplaintImportResult => ({
    status: 'rejected',
    counts: { rows, records: 0, recorded: 0, updated: 0, already_recorded: 0 },
    errors,
    warnings,
    errorReport,
  });
  const upload = await openUpload(request.bytes, { limits: uploadLimits(deps.config), fields: COMPLAINT_FIELDS });
  if (upload.status === 'refused') return rejected([upload.issue], [], 0);
  const validator = createComplaintValidator(await contextOf(deps, request.receivedAt));
  const entities: ComplaintEntity[] = [];
  const { summary, refusal } = await upload.read(validator, async (chunk) => {
    entities.push(...chunk);
  });
  if (refusal !== undefined) return rejected([...summary.errors, refusal], summary.warnings, summary.rows);
  const { changes, conflicts, same } = await compareWithRegister(deps, entities);
  const errors = [...summary.errors, ...conflicts].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  if (errors.length > 0) {
    const errorReport = await upload.annotate({ errors, warnings: summary.warnings, columns: summary.columns }, deps.errorWorkbook);
    return rejected(errors, summary.warnings, summary.rows, errorReport);
  }
  await store(deps, changes.map((c) => c.complaint));
  return {
    status: 'accepted',
    counts: {
      rows: summary.rows,
      records: entities.length,
      recorded: changes.filter((c) => c.outcome === 'new').length,
      updated: changes.filter((c) => c.outcome === 'progress').length,
      already_recorded: same,
    },
    errors: [],
    warnings: summary.warnings,
    errorReport: null,
  };
}

/** One complaint from the portal's form, as the department types it: the fields of the workbook, by field name. */
export type ComplaintForm = Readonly<Record<string, string | null | undefined>>;

/**
 * Records one complaint from the portal's form, by the very rules of the workbook (the form
 * is read as a one-row sheet): refused with its bilingual issues (row null, column named),
 * recorded, filled in, or "already recorded".
 */
export async function recordComplaint(
  deps: ComplaintDeps,
  caller: Caller,
  form: ComplaintForm,
): Promise<{ readonly status: 'recorded' | 'updated' | 'already_recorded'; readonly complaint: Complaint } | { readonly status: 'rejected'; readonly errors: readonly Issue[] }> {
  authorize(caller, 'record_complaints');
  const validator = createComplaintValidator(await contextOf(deps, deps.clock.now()));
  const header: SheetRow = { row: 1, cells: COMPLAINT_FIELDS.map((f) => f.name) };
  const row: SheetRow = { row: 2, cells: COMPLAINT_FIELDS.map((f) => { const v = form[f.name]; return v === undefined || v === null || v.trim() === '' ? null : v; }) };
  validator.push(header);
  const entities = validator.push(row);
  const summary = validator.finish();
  const asForm = (issue: Issue): Issue => ({ ...issue, row: null });
  const fieldOrder = (issue: Issue): number => COMPLAINT_FIELDS.findIndex((f) => f.name === issue.column);
  if (summary.errors.length > 0) return { status: 'rejected', errors: summary.errors.map(asForm).sort((a, b) => fieldOrder(a) - fieldOrder(b)) };
  const { changes, conflicts, same } = await compareWithRegister(deps, entities);
  if (conflicts.length > 0) return { status: 'rejected', errors: conflicts.map(asForm) };
  const change = changes[0];
  if (change === undefined) {
    const recorded = (await deps.complaints.find([entities[0]!.complaint.complaint_id])).get(entities[0]!.complaint.complaint_id)!;
    if (same !== 1) throw new Error('a valid complaint form came to nothing');
    return { status: 'already_recorded', complaint: recorded };
  }
  await store(deps, [change.complaint]);
  return { status: change.outcome === 'new' ? 'recorded' : 'updated', complaint: change.complaint };
}

/** Complaints received in a span of months, oldest month first; finance and the department. */
export async function listComplaints(deps: Pick<ComplaintDeps, 'complaints'>, caller: Caller, from: string, to: string, dealer?: string): Promise<Complaint[]> {
  authorize(caller, 'read_complaints');
  if (from > to) throw new Refusal('invalid', `The span ${from} to ${to} ends before it begins`, `月份范围 ${from} 至 ${to} 的结束早于开始`);
  return deps.complaints.received(from, to, dealer);
}

/** How far back the overdue list looks: a complaint received longer ago than this is the register's history, not a task. */
export const OVERDUE_LOOKBACK_MONTHS = 12;

/**
 * The complaints the department must act on now (first reply later than 24 h, or open longer
 * than the configured limit), oldest first: what the portal lists and what a notification of
 * overdue complaints is made from.
 */
export async function overdueList(deps: Pick<ComplaintDeps, 'complaints' | 'clock' | 'config'>, caller: Caller): Promise<OverdueComplaint[]> {
  authorize(caller, 'read_complaints');
  return overdueNow(deps);
}

/** The overdue complaints of the last twelve months as of now, for the list and for the daily job that tells the department. */
export async function overdueNow(deps: Pick<ComplaintDeps, 'complaints' | 'clock'> & { readonly config: Pick<ComplaintDeps['config'], 'businessTimeZone' | 'complaintOpenLimitDays'> }): Promise<OverdueComplaint[]> {
  const now = deps.clock.now();
  const today = businessDateOf(now, deps.config.businessTimeZone);
  const from = periodOf(addMonths(today, -(OVERDUE_LOOKBACK_MONTHS - 1)));
  const complaints = await deps.complaints.received(from, periodOf(today));
  return overdueComplaints(complaints, businessNow(now, deps.config.businessTimeZone), deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS);
}

/** The JSON of a complaint and why it is overdue. */
export const overdueJson = (o: OverdueComplaint) => ({ ...o.complaint, reasons: [...o.reasons], reply_hours: o.reply_hours, open_days: o.open_days });

async function contextOf(deps: Pick<ComplaintDeps, 'master' | 'config'>, at: Date) {
  const master = await deps.master.load();
  return {
    today: businessDateOf(at, deps.config.businessTimeZone),
    master: { hasDealer: (code: string) => master.dealers.has(code), hasProduct: (model: string) => master.products.has(model) },
  };
}

type Change = { readonly outcome: 'new' | 'progress'; readonly complaint: Complaint };

async function compareWithRegister(deps: Pick<ComplaintDeps, 'complaints'>, entities: readonly ComplaintEntity[]) {
  const recorded = await deps.complaints.find(entities.map((e) => e.complaint.complaint_id));
  const changes: Change[] = [];
  const conflicts: Issue[] = [];
  let same = 0;
  const field = COMPLAINT_FIELDS[0]!;
  for (const { row, complaint } of entities) {
    const existing = recorded.get(complaint.complaint_id);
    const merged = mergeComplaint(existing, complaint);
    if (merged.outcome === 'conflict') {
      conflicts.push(makeIssue('complaint_conflict', { row, column: field.name, value: complaint.complaint_id }, { field, value: complaint.complaint_id, recorded: `${describeComplaint(existing!)}; differs in ${merged.differs.join(', ')}` }));
    } else if (merged.outcome === 'same') {
      same += 1;
    } else {
      changes.push({ outcome: merged.outcome, complaint: merged.complaint });
    }
  }
  return { changes, conflicts, same };
}

/** Complaints written in pieces this size. */
const CHUNK = 500;

async function store(deps: Pick<ComplaintDeps, 'complaints' | 'archive'>, complaints: readonly Complaint[]): Promise<void> {
  for (let i = 0; i < complaints.length; i += CHUNK) {
    const chunk = complaints.slice(i, i + CHUNK);
    await deps.complaints.save(chunk);
    await deps.archive.record(chunk.map(complaintEvent).filter((e): e is UnitEvent => e !== undefined));
  }
}
