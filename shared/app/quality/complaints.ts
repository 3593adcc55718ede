import type { BackOfficeConfig } from '../../config.js';
import type { Caller } from '../../domain/access.js';
import { complaintEvent, type UnitEvent } from '../../domain/archive-history.js';
import type { SheetRow } from '../../domain/cells.js';
import {
  applyComplaintStep,
  byDealerAndTime,
  complaintState,
  createComplaintValidator,
  DEFAULT_OPEN_LIMIT_DAYS,
  describeComplaint,
  lateSteps,
  mergeComplaint,
  overdueComplaints,
  type Complaint,
  type ComplaintEntity,
  type ComplaintStep,
  type OverdueComplaint,
  type StepProblem,
} from '../../domain/complaints.js';
import { addMonths, businessDateOf, nextPeriod, periodOf } from '../../domain/dates.js';
import { COMPLAINT_FIELDS } from '../../domain/fields.js';
import type { Issue } from '../../domain/issues.js';
import { makeIssue } from '../../domain/messages.js';
import { authorize, Refusal } from '../access.js';
import type { ArchiveStore, Clock, ComplaintStore, MasterStore, ReportStore, ScoreStore, VerificationStore } from '../ports.js';
import { keepMonthScores, monthOfComplaint } from './month-scores.js';
import { readWholeWorkbook, uploadLimits, type ErrorWorkbookWriter, type WorkbookImport } from '../upload-pipeline.js';
import { businessNow } from './time.js';
import type { PageRequest } from '../../domain/paging.js';
import { itemPage, pageAfter } from '../paging.js';
import { encodeCursor } from '../../domain/paging.js';

export interface ComplaintDeps {
  readonly complaints: ComplaintStore;
  readonly archive: ArchiveStore;
  readonly master: MasterStore;
  /** The month scores a complaint moves (its dealer's month, by its fault decision), with what they are scored from. */
  readonly scores: ScoreStore;
  readonly reports: ReportStore;
  readonly verification: VerificationStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'maxUploadBytes' | 'maxUploadRows' | 'complaintOpenLimitDays' | 'verificationSample' | 'verificationMarginPercent'>;
}

export type ComplaintImportResult = WorkbookImport<{
  readonly rows: number;
  readonly records: number;
  /** Complaints new to the register. */
  readonly recorded: number;
  /** Recorded complaints whose reply, resolution or follow-up this file filled in. */
  readonly updated: number;
  /** Rows that repeat a complaint exactly as recorded (a re-import): nothing written. */
  readonly already_recorded: number;
}>;

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
  const at = businessNow(request.receivedAt, deps.config.businessTimeZone);
  const read = await readWholeWorkbook(
    request.bytes,
    { limits: uploadLimits(deps.config), fields: COMPLAINT_FIELDS },
    createComplaintValidator(await contextOf(deps, request.receivedAt)),
    async (entities) => {
      const { changes, conflicts, same } = await compareWithRegister(deps, entities, caller.subject, at);
      return { issues: conflicts, checked: { changes, same } };
    },
    deps.errorWorkbook,
  );
  if (read.status === 'refused') {
    const { rows, errors, warnings, errorReport } = read;
    return { status: 'rejected', counts: { rows, records: 0, recorded: 0, updated: 0, already_recorded: 0 }, errors, warnings, errorReport };
  }
  const { summary, entities, checked: { changes, same } } = read;
  const lost = await store(deps, changes);
  if (lost.length > 0) {
    throw new Refusal(
      'conflict',
      `Complaints ${lost.join(', ')} were recorded or changed by someone else while this file was taken in; the rest is recorded. Upload the file again: what is recorded is not recorded twice`,
      `投诉 ${lost.join('、')} 在导入期间被他人登记或修改；其余已登记。请重新上传此文件，已登记的不会重复登记`,
    );
  }
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

/** What recording one complaint came to: 'conflict' when its id is recorded with other facts (or was changed meanwhile). */
export type ComplaintRecordResult =
  | { readonly status: 'recorded' | 'updated' | 'already_recorded'; readonly complaint: Complaint }
  | { readonly status: 'rejected' | 'conflict'; readonly errors: readonly Issue[] };

/**
 * Records one complaint from the portal's form or `complaints record`, by the very rules of the
 * workbook (the form is read as a one-row sheet): refused with its bilingual issues (row null,
 * column named; a blank form names every required field), recorded, filled in, or "already
 * recorded". The write is conditional: of two people recording one id at once with different
 * facts, one records it and the other is told of the conflict; nothing is overwritten.
 */
export async function recordComplaint(deps: ComplaintDeps, caller: Caller, form: ComplaintForm): Promise<ComplaintRecordResult> {
  authorize(caller, 'record_complaints');
  const now = deps.clock.now();
  const validator = createComplaintValidator(await contextOf(deps, now));
  const header: SheetRow = { row: 1, cells: COMPLAINT_FIELDS.map((f) => f.name) };
  const row: SheetRow = { row: 2, cells: COMPLAINT_FIELDS.map((f) => { const v = form[f.name]; return v === undefined || v === null || v.trim() === '' ? null : v; }) };
  // A sheet skips a blank row; a blank form is a form with every required field missing.
  if (row.cells.every((cell) => cell === null)) {
    return { status: 'rejected', errors: COMPLAINT_FIELDS.filter((f) => f.required).map((field) => makeIssue('required', { row: null, column: field.name, value: null }, { field })) };
  }
  validator.push(header);
  const entities = validator.push(row);
  const summary = validator.finish();
  const asForm = (issue: Issue): Issue => ({ ...issue, row: null });
  const fieldOrder = (issue: Issue): number => COMPLAINT_FIELDS.findIndex((f) => f.name === issue.column);
  const entity = entities[0];
  if (summary.errors.length > 0 || entity === undefined) return { status: 'rejected', errors: summary.errors.map(asForm).sort((a, b) => fieldOrder(a) - fieldOrder(b)) };
  const { changes, conflicts } = await compareWithRegister(deps, entities, caller.subject, businessNow(now, deps.config.businessTimeZone));
  if (conflicts.length > 0) return { status: 'conflict', errors: conflicts.map(asForm) };
  const change = changes[0];
  if (change === undefined) {
    const recorded = (await deps.complaints.find([entity.complaint.complaint_id])).get(entity.complaint.complaint_id);
    if (recorded === undefined) throw new Error(`complaint ${entity.complaint.complaint_id} was found and then was not`);
    return { status: 'already_recorded', complaint: recorded };
  }
  const lost = await store(deps, [change]);
  if (lost.length > 0) {
    // Someone recorded or changed this id between the read and the write: compared again, it is the same, or a conflict.
    const again = await compareWithRegister(deps, entities, caller.subject, businessNow(now, deps.config.businessTimeZone));
    if (again.changes.length === 0 && again.conflicts.length === 0) return recordComplaint(deps, caller, form);
    return { status: 'conflict', errors: again.conflicts.length > 0 ? again.conflicts.map(asForm) : [changedMeanwhile(entity.complaint.complaint_id)] };
  }
  return { status: change.outcome === 'new' ? 'recorded' : 'updated', complaint: { ...change.complaint, version: change.outcome === 'new' ? 1 : change.complaint.version } };
}

const changedMeanwhile = (id: string): Issue => {
  const field = COMPLAINT_FIELDS[0]!;
  return makeIssue('complaint_conflict', { row: null, column: field.name, value: id }, { field, value: id, recorded: 'changed by someone else meanwhile; read it again and retry' });
};

/** What one step of a complaint's life came to. */
export type ComplaintUpdateResult = { readonly status: 'updated' | 'unchanged'; readonly complaint: Complaint } | { readonly status: 'rejected'; readonly errors: readonly StepProblem[] };

/**
 * One step of a complaint's life (shared/domain/complaints.ts applyComplaintStep), by the
 * department: kept in the history with the caller and the time. `expectedVersion` is the
 * version the caller read; a complaint changed since then is refused (409), as is a change
 * that loses the race to another between read and write.
 */
export async function updateComplaint(deps: ComplaintDeps, caller: Caller, id: string, step: ComplaintStep, expectedVersion?: number): Promise<ComplaintUpdateResult> {
  authorize(caller, 'record_complaints');
  const current = (await deps.complaints.find([id])).get(id);
  if (current === undefined) throw new Refusal('not_found', `Complaint ${id} is not recorded`, `投诉 ${id} 未登记`);
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new Refusal('conflict', `Complaint ${id} is at version ${current.version}, not ${expectedVersion}: someone changed it; read it again`, `投诉 ${id} 当前为第 ${current.version} 版而非第 ${expectedVersion} 版，已被他人修改，请重新读取`);
  }
  const applied = applyComplaintStep(current, step, caller.subject, businessNow(deps.clock.now(), deps.config.businessTimeZone));
  if ('problems' in applied) return { status: 'rejected', errors: applied.problems };
  if (applied.complaint === current) return { status: 'unchanged', complaint: current };
  if ((await deps.complaints.replace(applied.complaint)) === 'conflict') {
    throw new Refusal('conflict', `Complaint ${id} was changed by someone else meanwhile; read it again`, `投诉 ${id} 已被他人同时修改，请重新读取`);
  }
  await recordInArchive(deps, [applied.complaint]);
  if (applied.complaint.service_fault !== current.service_fault) await keepMonthScores(deps, [monthOfComplaint(applied.complaint)]);
  return { status: 'updated', complaint: applied.complaint };
}

/** One complaint with its history; 404 when not recorded. */
export async function showComplaint(deps: Pick<ComplaintDeps, 'complaints' | 'clock' | 'config'>, caller: Caller, id: string) {
  authorize(caller, 'read_complaints');
  const complaint = (await deps.complaints.find([id])).get(id);
  if (complaint === undefined) throw new Refusal('not_found', `Complaint ${id} is not recorded`, `投诉 ${id} 未登记`);
  return { ...complaintListJson(complaint, nowOf(deps)), complaint, history: [...complaint.history] };
}

/** The filters of `complaints list`. */
export interface ComplaintFilter {
  readonly dealer?: string;
  readonly open?: boolean;
  readonly overdue?: boolean;
  /** The time overdue is measured at; now when not given. */
  readonly asOf?: Date;
}

/**
 * Complaints with their state and what is late as of a time: those of the last twelve months
 * (the register's working set), of one dealer or all, narrowed to the open (not closed) or the
 * overdue ones.
 */
export async function complaintList(deps: Pick<ComplaintDeps, 'complaints' | 'clock' | 'config'>, caller: Caller, filter: ComplaintFilter = {}) {
  authorize(caller, 'read_complaints');
  const { from, to, now } = registerSpan(deps, filter);
  // The open and the overdue ones (never closed) are the open index's, when it reaches back far enough: one query instead of twelve months.
  const open = filter.open === true || filter.overdue === true ? await deps.complaints.open(from) : undefined;
  const all = open === undefined ? await deps.complaints.received(from, to, filter.dealer) : open.filter((c) => (filter.dealer === undefined || c.dealer_code === filter.dealer) && c.received_at.slice(0, 7) <= to).sort(byDealerAndTime);
  return all
    .map((c) => complaintListJson(c, { now, openLimitDays: deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS }))
    .filter((c) => (filter.open !== true || c.state !== 'closed') && (filter.overdue !== true || c.overdue.length > 0));
}

/** The register's months (the last twelve as of the filter's time) and that time on the business clock. */
function registerSpan(deps: Pick<ComplaintDeps, 'clock' | 'config'>, filter: ComplaintFilter) {
  const at = filter.asOf ?? deps.clock.now();
  const today = businessDateOf(at, deps.config.businessTimeZone);
  return { from: periodOf(addMonths(today, -(OVERDUE_LOOKBACK_MONTHS - 1))), to: periodOf(today), now: businessNow(at, deps.config.businessTimeZone) };
}

/** Complaints on one page of the register. */
export const REGISTER_PAGE_SIZE = 100;

/**
 * One page of `complaintList` (the API's register), in the same order (month received, then
 * dealer, then time): the cursor names the last complaint given.
 */
export async function complaintListPage(deps: Pick<ComplaintDeps, 'complaints' | 'clock' | 'config'>, caller: Caller, filter: ComplaintFilter, page: PageRequest) {
  const keyOf = (c: { received_at: string; dealer: string; complaint_id: string }) => `${c.received_at.slice(0, 7)}#${c.dealer}#${c.received_at}#${c.complaint_id}`;
  if (filter.open === true || filter.overdue === true) {
    const { items, next_cursor } = itemPage(await complaintList(deps, caller, filter), keyOf, page, REGISTER_PAGE_SIZE);
    return { complaints: items, next_cursor };
  }
  authorize(caller, 'read_complaints');
  // The whole register, month by month from the cursor's: a page reads the months it takes (one query each), not twelve.
  const { after, limit } = pageAfter(page, REGISTER_PAGE_SIZE);
  const { from, to, now } = registerSpan(deps, filter);
  const as = { now, openLimitDays: deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS };
  const taken: ReturnType<typeof complaintListJson>[] = [];
  for (let month = after === undefined || after.slice(0, 7) < from ? from : after.slice(0, 7); month <= to && taken.length <= limit; month = nextPeriod(month)) {
    // Within a month the register's key after the month is the index's own sort key: the query starts after the cursor and stops at the page.
    const within = after !== undefined && after.slice(0, 7) === month ? after.slice(8) : undefined;
    const { complaints } = await deps.complaints.monthPage(month, { after: within, limit: limit + 1 - taken.length, dealer: filter.dealer });
    taken.push(...complaints.map((c) => complaintListJson(c, as)));
  }
  const items = taken.slice(0, limit);
  return { complaints: items, next_cursor: taken.length > limit ? encodeCursor(keyOf(items.at(-1)!)) : null };
}

const nowOf = (deps: Pick<ComplaintDeps, 'clock' | 'config'>) => ({ now: businessNow(deps.clock.now(), deps.config.businessTimeZone), openLimitDays: deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS });

/** cli.md's `complaints list` entry, with the rest of the complaint's fields beside. */
export const complaintListJson = (c: Complaint, as: { readonly now: string; readonly openLimitDays: number }) => ({
  complaint_id: c.complaint_id,
  dealer: c.dealer_code,
  received_at: c.received_at,
  state: complaintState(c),
  service_fault: c.service_fault,
  overdue: lateSteps(c, as.now, { openLimitDays: as.openLimitDays }).map((l) => l.step),
  version: c.version,
  category: c.category,
  customer_name: c.customer_name,
  phone: c.phone,
  first_reply_at: c.first_reply_at,
  resolved_at: c.resolved_at,
  follow_up_due: c.follow_up_due,
  follow_up_date: c.follow_up_date,
  compensation: c.compensation,
});

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
  // A closed complaint is never overdue: the open index holds every candidate, when it reaches back to `from`.
  const complaints = (await deps.complaints.open(from))?.filter((c) => c.received_at.slice(0, 7) <= periodOf(today)) ?? (await deps.complaints.received(from, periodOf(today)));
  return overdueComplaints(complaints, businessNow(now, deps.config.businessTimeZone), deps.config.complaintOpenLimitDays ?? DEFAULT_OPEN_LIMIT_DAYS);
}

/** The JSON of a complaint and why it is overdue. */
export const overdueJson = (o: OverdueComplaint) => ({ ...o.complaint, overdue: o.late.map((l) => l.step), late: [...o.late], reply_hours: o.reply_hours, open_days: o.open_days });

async function contextOf(deps: Pick<ComplaintDeps, 'master' | 'config'>, at: Date) {
  const master = await deps.master.load();
  return {
    today: businessDateOf(at, deps.config.businessTimeZone),
    master: { hasDealer: (code: string) => master.dealers.has(code), hasProduct: (model: string) => master.products.has(model) },
  };
}

type Change = { readonly outcome: 'new' | 'progress'; readonly complaint: Complaint };

async function compareWithRegister(deps: Pick<ComplaintDeps, 'complaints'>, entities: readonly ComplaintEntity[], by: string, at: string) {
  const recorded = await deps.complaints.find(entities.map((e) => e.complaint.complaint_id));
  const changes: Change[] = [];
  const conflicts: Issue[] = [];
  let same = 0;
  const field = COMPLAINT_FIELDS[0]!;
  for (const { row, complaint } of entities) {
    const existing = recorded.get(complaint.complaint_id);
    const merged = mergeComplaint(existing, complaint, by, at);
    if (merged.outcome === 'conflict') {
      conflicts.push(makeIssue('complaint_conflict', { row, column: field.name, value: complaint.complaint_id }, { field, value: complaint.complaint_id, recorded: `${describeComplaint(existing!)}; differs in ${merged.differs.join(', ')}` }));
    } else if (merged.outcome === 'same') {
      same += 1;
    } else {
      changes.push({ outcome: merged.outcome, complaint: merged.outcome === 'progress' ? { ...merged.complaint, version: merged.complaint.version + 1 } : merged.complaint });
    }
  }
  return { changes, conflicts, same };
}

/** Complaints written this many at a time. */
const PARALLEL = 16;

/**
 * Writes each change conditionally (a new complaint where its id is free, a filled-in one on
 * the version it was read at) and adds the written ones to their units' histories; returns
 * the ids whose write lost a race, which are not written.
 */
async function store(deps: Omit<ComplaintDeps, 'master' | 'clock'>, changes: readonly Change[]): Promise<string[]> {
  const lost: string[] = [];
  const months: { dealer: string; period: string }[] = [];
  for (let i = 0; i < changes.length; i += PARALLEL) {
    const chunk = changes.slice(i, i + PARALLEL);
    const outcomes = await Promise.all(chunk.map((c) => (c.outcome === 'new' ? deps.complaints.create(c.complaint) : deps.complaints.replace(c.complaint))));
    const written = chunk.filter((_, k) => outcomes[k] === 'created' || outcomes[k] === 'updated').map((c) => c.complaint);
    lost.push(...chunk.filter((_, k) => !written.includes(chunk[k]!.complaint)).map((c) => c.complaint.complaint_id));
    await recordInArchive(deps, written);
    months.push(...written.map(monthOfComplaint));
  }
  // Once for the whole import: a dealer's month with many complaints is scored once, not once a chunk.
  await keepMonthScores(deps, months);
  return lost;
}

async function recordInArchive(deps: Pick<ComplaintDeps, 'archive'>, complaints: readonly Complaint[]): Promise<void> {
  await deps.archive.record(complaints.map(complaintEvent).filter((e): e is UnitEvent => e !== undefined));
}
