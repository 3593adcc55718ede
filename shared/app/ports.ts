import type { MasterData, Dealer, Product, PartPrice } from '../domain/master.js';
import type { ReportType } from '../domain/fields.js';
import type { Issue } from '../domain/issues.js';
import type { LedgerType, ReturnLine, ShipmentLine } from '../domain/ledger-validation.js';
import type { LedgerCorrection } from '../domain/corrections.js';
import type { Invoice } from '../domain/invoice.js';
import type { DealerHead, FormMoney, JournalEntry, JournalHeads } from '../domain/journal.js';
import type { Fen } from '../domain/money.js';
import type { DealerReconciliation, FlaggedLoan } from '../domain/reconciliation.js';
import type { Installation, Repair, RepairPartLine } from '../domain/report-validation.js';
import type { RepairClassification } from '../domain/warranty.js';
import type { ArchiveSearchBy, FoundUnit, UnitEvent, UnitRef } from '../domain/archive-history.js';
import type { Complaint } from '../domain/complaints.js';
import type { VerificationCall, VerifiedFigures } from '../domain/verification.js';
import type { Scorecard } from '../domain/scorecard.js';
import type { Dispute } from '../domain/disputes.js';
import type { UnboxingCase } from '../domain/unboxing.js';
import type { DesignHazard } from '../domain/design-hazards.js';
import type { MaterialRequest } from '../domain/request.js';
import type { MailState, Message, NoticeEvent } from '../domain/notices.js';

/**
 * The interfaces the use cases take instead of AWS clients. The Lambda handlers and the
 * local runtime pass the DynamoDB/S3 adapters; nothing here knows which is behind them.
 */

export interface Clock {
  now(): Date;
}

/**
 * The one clock every handler, job and command reads "now" from. An object rather than a
 * function, so that a test can pin it for the whole back office in its process
 * (test/helpers/business-clock.ts).
 */
export const systemClock: Clock = { now: () => new Date() };

/** Bucket roles; names come from configuration. */
export const BUCKET_ROLES = ['uploads', 'reports', 'invoices'] as const;
export type BucketRole = (typeof BUCKET_ROLES)[number];

export interface BlobStore {
  put(bucket: BucketRole, key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  /** The object's bytes: of the given version where the bucket keeps versions and one is named, else the current ones. */
  get(bucket: BucketRole, key: string, version?: string): Promise<Uint8Array>;
  list(bucket: BucketRole, prefix: string): Promise<string[]>;
}

export interface MasterStore {
  load(): Promise<MasterData>;
  save(changes: { dealers: readonly Dealer[]; products: readonly Product[]; parts: readonly PartPrice[] }): Promise<void>;
}

/** Which report an upload is: one dealer, one type, one month. */
export interface ReportTarget {
  readonly dealer: string;
  readonly type: ReportType;
  readonly period: string;
}

/** What the admin's master-data upload form is for: the whole master-data workbook. */
export interface MasterUploadTarget {
  readonly type: 'master';
}

/**
 * An upload form the API handed out (a report's, a ledger file's or the master-data
 * workbook's): the one key an object may arrive under, whose report it is, and until when the
 * form could be used.
 */
export interface IssuedTicket {
  readonly key: string;
  readonly upload_id: string;
  /** The report or master-data upload it is for; absent for a shipments or returns form, whose key alone says what it is. */
  readonly target?: ReportTarget | MasterUploadTarget;
  readonly expires_at: string;
}

/**
 * The upload forms handed out, kept so that the ingest takes in only what came through one:
 * the second check behind the presigned POST's own policy (which the local S3 server does not enforce).
 */
export interface UploadTicketStore {
  record(ticket: IssuedTicket): Promise<void>;
  /** The ticket handed out for exactly this key, if any. */
  find(key: string): Promise<IssuedTicket | undefined>;
}

export type SubmissionStatus = 'writing' | 'accepted' | 'rejected' | 'superseded';

export interface SubmissionCounts {
  readonly rows: number;
  readonly records: number;
  readonly part_lines: number;
}

/** What a finished upload came to; stored so that a replayed event returns the same answer. */
export interface SubmissionOutcome {
  readonly status: 'accepted' | 'rejected';
  readonly target: ReportTarget;
  readonly version: number | null;
  readonly late: boolean;
  readonly received_at: string;
  readonly counts: SubmissionCounts;
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** Where the annotated error workbook is, in the reports bucket, when one was written. */
  readonly error_report_key: string | null;
  /**
   * For an accepted version: whether the end-user archive and the unit histories have taken it
   * in yet ('pending' from the verdict until the projection worker is done). Absent on outcomes
   * recorded before the verdict came first, which were built before the verdict.
   */
  readonly histories?: 'pending' | 'up_to_date';
}

/** An accepted report version whose projections (archive entries, unit histories) are to be built. */
export interface ProjectionJob {
  readonly target: ReportTarget;
  readonly version: number;
  /** The upload's source id, whose outcome says when the histories are up to date. */
  readonly source: string;
}

/** Where projection jobs go: the projection queue on AWS, this process locally. */
export interface ProjectionJobs {
  request(job: ProjectionJob): Promise<void>;
}

/**
 * One stored entity of a report version, as validated, with its sheet row; a repair and each
 * of its part lines carry the repair's warranty classification, decided when it was taken in.
 */
export type ReportItem =
  | { readonly kind: 'installation'; readonly row: number; readonly record: Installation }
  | { readonly kind: 'repair'; readonly row: number; readonly record: Repair; readonly classification: RepairClassification }
  | { readonly kind: 'part_line'; readonly row: number; readonly record: RepairPartLine; readonly classification: RepairClassification };

export interface Claim {
  readonly version: number;
  /** True when an earlier attempt at the same upload stopped midway and this one takes over. */
  readonly resumed: boolean;
}

export interface VersionSummary {
  readonly version: number;
  readonly status: SubmissionStatus;
  readonly received_at: string;
  readonly late: boolean;
  readonly counts: SubmissionCounts;
  readonly source: string;
}

/** What scoring a dealer's month takes of each repair of its current report. */
export type ScoredRepair = Pick<Repair, 'repair_id' | 'called_at' | 'arrived_at' | 'completed_date' | 'satisfaction' | 'service_type' | 'customer_confirmed'>;

/**
 * What the month's pages across dealers (scorecards, the return-call sample, unboxing cases,
 * the trend) need of a dealer's current report, kept on the report's pointer by the commit
 * that makes the version current (shared/app/report-digest.ts): a page of dealers is then one
 * query of the month's pointers instead of a read of every dealer's rows.
 */
export type ReportDigest =
  | { readonly type: 'repair'; readonly repairs: readonly ScoredRepair[] }
  | { readonly type: 'installation'; readonly unboxing: readonly Installation[] };

/** A dealer's current report of a month as its pointer holds it. */
export interface CurrentReport {
  readonly dealer: string;
  readonly period: string;
  readonly version: number;
  /** Null where none is kept for this version (committed before digests were kept, or too large for one item): its rows tell. */
  readonly digest: ReportDigest | null;
}

export interface ReportStore {
  /** The stored outcome of an upload already processed, keyed by the upload's identity. */
  findOutcome(sourceId: string): Promise<SubmissionOutcome | undefined>;
  /** Reserves a version number for an upload; the same upload asking again gets the same version. */
  claim(sourceId: string, target: ReportTarget, receivedAt: string): Promise<Claim>;
  /** Writes items under the version's own key range, invisible to readers until commit; every item of a sheet row in one call, so that rows written again (a resumed upload) replace themselves. */
  writeItems(target: ReportTarget, version: number, items: readonly ReportItem[]): Promise<void>;
  /** Makes the version current unless the current one was received later (`received_at`, then claim order), with its digest in the same write; returns which happened. */
  commit(target: ReportTarget, version: number, summary: Omit<VersionSummary, 'version' | 'status'>, digest?: ReportDigest): Promise<'current' | 'superseded'>;
  /** Keeps the digest of `version` on the pointer if that version is still current (a rebuild); false when another is current now. */
  keepDigest(target: ReportTarget, version: number, digest: ReportDigest): Promise<boolean>;
  /**
   * The current reports of this type of the month, by dealer code, after `after` (none: from
   * the first), at most `limit`: one query of the month's pointers; `more` when others follow.
   */
  monthReports(type: ReportType, period: string, page: { readonly after?: string; readonly limit: number }): Promise<{ reports: CurrentReport[]; more: boolean }>;
  /** The dealer's current reports of this type of the months `from` to `to` (inclusive), oldest first: one query. */
  dealerReports(dealer: string, type: ReportType, from: string, to: string): Promise<CurrentReport[]>;
  /** Marks the upload rejected and removes whatever of it was written. */
  discard(target: ReportTarget, version: number, summary: Omit<VersionSummary, 'version' | 'status'>): Promise<void>;
  recordOutcome(sourceId: string, outcome: SubmissionOutcome): Promise<void>;
  currentVersion(target: ReportTarget): Promise<VersionSummary | undefined>;
  /** The current version number of each month from `from` to `to` (inclusive) the dealer has a report of this type for, by month: one read for a span of months. */
  currentVersions(dealer: string, type: ReportType, from: string, to: string): Promise<Map<string, number>>;
  versions(target: ReportTarget): Promise<VersionSummary[]>;
  /** A version's items in sheet-row order; the items of one row as they were written. */
  readItems(target: ReportTarget, version: number): AsyncIterable<ReportItem>;
  /** A dealer's repairs by id as its current repair reports of any month state them, for a decision taken from today's facts. */
  repairRecords(dealer: string, repairIds: readonly string[]): Promise<Map<string, Repair>>;
}

/** The end-user archive: one entry per installed product, keyed by model and serial number. */
export interface ArchiveEntry {
  readonly product_model: string;
  readonly serial_no: string;
  readonly dealer_code: string;
  readonly install_id: string;
  readonly install_date: string;
  readonly purchase_date: string;
  readonly commissioning: 'passed' | 'failed';
  readonly owner_name: string;
  readonly address: string;
}

export interface ArchiveStore {
  find(keys: ReadonlyArray<{ product_model: string; serial_no: string }>): Promise<Map<string, ArchiveEntry>>;
  /**
   * Archives installations, each only if it is not older than the unit's entry already there
   * (a conditional write on the install date, `supersedesInstallation`): whoever calls it and in
   * whatever order, the unit keeps its latest installation.
   */
  put(entries: readonly ArchiveEntry[]): Promise<void>;
  /**
   * Adds events to their units' histories, with the lookup terms each names (serial number,
   * owner phone, owner name, normalised); an event recorded again (same unit, kind, dealer
   * and id) replaces itself.
   */
  record(events: readonly UnitEvent[]): Promise<void>;
  /** The units a normalised term names, each with the dealers that installed or repaired it: one query (paged past 1 MB). */
  lookup(by: ArchiveSearchBy, normalisedTerm: string): Promise<FoundUnit[]>;
  /** A unit's events, in history order: one query. */
  history(unit: UnitRef): Promise<UnitEvent[]>;
}

export const archiveKey = (product_model: string, serial_no: string): string => `${product_model}#${serial_no}`;

export interface LedgerWriteResult {
  readonly recorded: number;
  /** Lines that were already recorded with the same identity and the same content (a re-upload or a replay). */
  readonly skipped: number;
  /**
   * Lines whose identity was already recorded with other content (`sameLedgerLine`): nothing
   * of them is written, and the caller answers them as conflicts, never as "already recorded".
   */
  readonly conflicts: readonly LedgerConflict[];
}

/** A line that could not be recorded because its id and line number hold another line. */
export interface LedgerConflict {
  readonly id: string;
  readonly line: number;
  /** What is recorded under that id and line. */
  readonly recorded: ShipmentLine | ReturnLine;
}

/** How `LedgerStore.find` keys what it found: the business id and the line. */
export const ledgerLineKey = (id: string, line: number): string => `${id}#${line}`;

/** The parts ledgers: shipment and return lines keyed by business id and line. */
export interface LedgerStore {
  find(type: 'shipments', keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ShipmentLine>>;
  find(type: 'returns', keys: ReadonlyArray<{ id: string; line: number }>): Promise<Map<string, ReturnLine>>;
  /**
   * Records each line not recorded yet (see `LedgerWriteResult`). `whole`: the lines (at most
   * 100) are written all together or not at all — one found recorded already, the same or
   * not, and none of the others is written — for a caller whose lines mean one thing together.
   */
  record(type: LedgerType, lines: readonly (ShipmentLine | ReturnLine)[], source: string, options?: { readonly whole?: boolean }): Promise<LedgerWriteResult>;
  /** One dealer's shipments and returns dated from `from` (default: the beginning) to `upTo`, in date order, each at its corrected quantity (0 for a line cancelled). */
  dealerLedger(dealer: string, upTo: string, from?: string): Promise<{ shipments: ShipmentLine[]; returns: ReturnLine[] }>;
  /**
   * Records a correction of the line it names (never editing the line), and moves the
   * dealer's charge state on in the same write, so that a reconciliation reading the ledger
   * meanwhile starts again; 'missing' when no such line is recorded, 'stale' when the line
   * already has a correction at that `sequence` (another correction got there first: its
   * `previous_qty` was read from an older history); nothing is written then.
   */
  correct(correction: LedgerCorrection & { readonly sequence: number }): Promise<'recorded' | 'missing' | 'stale'>;
  /** The corrections of one line of the dealer, in `correctionOrder`: the line's history after the original. */
  corrections(dealer: string, type: LedgerType, id: string, line: number): Promise<LedgerCorrection[]>;
}

/** What became of one shipments or returns upload, as the ledger worker records it for the uploader to ask. */
export interface LedgerUploadOutcome {
  readonly status: 'accepted' | 'rejected';
  readonly type: LedgerType;
  readonly upload_id: string;
  /** The upload's identity (bucket, key, object version): a replay of the same object finds it and does nothing. */
  readonly source: string;
  readonly received_at: string;
  readonly counts: { readonly rows: number; readonly records: number; readonly recorded: number; readonly already_recorded: number };
  readonly errors: readonly Issue[];
  readonly warnings: readonly Issue[];
  /** The annotated workbook in the reports bucket, with the full issue list beside it as `.json`; null when none was written. */
  readonly error_report_key: string | null;
}

/** The outcomes of ledger uploads, one per uploads-bucket key: the latest object recorded under it. */
export interface LedgerUploadStore {
  /** Keeps the outcome; a long list of issues is cut to its first ones (the workbook's `.json` has them all). */
  recordOutcome(key: string, outcome: LedgerUploadOutcome): Promise<void>;
  findOutcome(key: string): Promise<LedgerUploadOutcome | undefined>;
}

/** An invoice as stored: the domain's invoice plus where its workbook is. */
export interface StoredInvoice extends Invoice {
  readonly as_of: string;
  /** The material request line a `sale` form charges (`R-2026-001#2`): a retried approval finds its form instead of making a second. */
  readonly request_line?: string;
  /** Key of the printable workbook in the invoices bucket, once written. */
  readonly workbook_key: string | null;
}

/** A dealer's charges so far: its invoices of every period and a version that changes with each new invoice. */
export interface ChargeState {
  readonly version: number;
  readonly invoices: readonly StoredInvoice[];
}

/** One form in a period's index: its number, its dealer's code and its total. */
export interface PeriodIndexEntry {
  readonly invoice_no: string;
  readonly dealer: string;
  readonly total: Fen;
}

/** A period's forms as its counter keeps them: how many were numbered, and the sum of their totals. */
export interface PeriodHead {
  readonly count: number;
  readonly total: Fen;
}

export interface InvoiceStore {
  chargeState(dealer: string): Promise<ChargeState>;
  /**
   * Numbers and stores a new invoice in one transaction: the period's next number (no gaps),
   * the invoice, and the dealer's charge state moved on from `expectedVersion`. Returns
   * 'stale' when the dealer's charges changed since they were read — another run got there
   * first — and nothing is written.
   */
  create(
    dealer: string,
    period: string,
    expectedVersion: number,
    build: (invoice_no: string) => StoredInvoice,
  ): Promise<{ status: 'created'; invoice: StoredInvoice } | { status: 'stale' }>;
  setWorkbook(invoice: StoredInvoice, key: string): Promise<void>;
  byPeriod(period: string, dealer?: string): Promise<StoredInvoice[]>;
  /** Every form of a period in number order, only its number, dealer and total: what a list's count, total and pages need, read light. */
  periodIndex(period: string): Promise<PeriodIndexEntry[]>;
  /**
   * The period's count and total of forms, kept on its number counter in the transaction that
   * numbers each form (and amends a draft's total): undefined when some forms were numbered
   * before the total was kept (read the index instead, or rebuild: `invoices heads rebuild`).
   */
  periodHead(period: string): Promise<PeriodHead | undefined>;
  /** One page of the period's forms in number order, whole, after the number `after`: a query of `limit`, and whether more follow. */
  periodPage(period: string, after: string | undefined, limit: number): Promise<{ invoices: StoredInvoice[]; more: boolean }>;
  /** Makes the period's head the count and total of its index as read, unless a form was numbered meanwhile: true when kept. */
  keepPeriodHead(period: string, head: PeriodHead): Promise<boolean>;
  /** The charge-state version of each dealer (0 for a dealer with none), one read for a page of dealers. */
  chargeVersions(dealers: readonly string[]): Promise<Map<string, number>>;
  /**
   * Replaces the stored form by `next` (same number, `revision` one higher) in one conditional
   * write with the dealer's charge state, which moves on: 'conflict' when the form's revision
   * changed since `invoice` was read, or, given `chargesVersion`, the dealer's charges did.
   */
  revise(invoice: StoredInvoice, next: StoredInvoice, chargesVersion?: number): Promise<'updated' | 'conflict'>;
}

/** What the printed form is rendered with besides the form: part units, and its money as the journal tells it now. */
export interface InvoiceRenderOptions {
  readonly partUnits: ReadonlyMap<string, string>;
  readonly money?: FormMoney;
  /** Payments, refunds and transfers on the form. */
  readonly entries?: readonly JournalEntry[];
  /** The business time zone the form prints times in (Asia/Shanghai when not given). */
  readonly timeZone?: string;
}

/** A dealer's receivables journal as read: its entries in order and the position of the last. */
export interface JournalRead {
  readonly seq: number;
  readonly entries: readonly JournalEntry[];
  /** Where the dealer's head stands, if it has one: its entry and charge-state version (negative: out of date). */
  readonly head?: { readonly seq: number; readonly charges_version: number };
}

/** The receivables journal, one per dealer, append-only (domain.md, "The fee invoice"). */
export interface JournalStore {
  read(dealer: string): Promise<JournalRead>;
  /**
   * Appends `entries` after position `expectedSeq`, all or none: 'conflict' when another
   * writer appended since that position was read (read again and decide again), and nothing
   * is written. A retry of an append that went through is not appended twice. `heads` (the
   * fold after the append: the dealer's head and the forms whose money changed) are written in
   * the same transaction; without them the dealer's head is marked out of date, never left
   * behind. With no entries, only the heads are written, unless a newer head is there ('conflict').
   */
  append(dealer: string, expectedSeq: number, entries: readonly JournalEntry[], heads?: JournalHeads): Promise<'appended' | 'conflict'>;
  /**
   * The up-to-date heads of these dealers and the money heads of these forms, in one read: a
   * dealer whose head is missing or marked out of date is left out, as is a form never headed.
   */
  heads(dealers: readonly string[], forms?: readonly { readonly dealer: string; readonly invoice_no: string }[]): Promise<{ dealers: Map<string, DealerHead>; forms: Map<string, FormMoney> }>;
}

export interface ReconciliationRun {
  readonly period: string;
  readonly as_of: string;
  /** Tells this run's dealer reports from those of an earlier run of the same period and date. */
  readonly run_id?: string;
  readonly status: 'running' | 'done' | 'done_with_failures';
  readonly dealers_total: number;
  /** Dealers that have reported, whether they succeeded or failed. */
  readonly dealers_done: number;
  readonly failed: ReadonlyArray<{ readonly dealer: string; readonly error: string }>;
  readonly started_at: string;
  readonly finished_at: string | null;
}

/** Which run a dealer's outcome belongs to. */
export interface RunKey {
  readonly period: string;
  readonly as_of: string;
  readonly run_id: string;
}

export type DealerOutcome = { readonly status: 'done' } | { readonly status: 'failed'; readonly error: string };

/**
 * What recording a dealer's outcome did to its run's tally: `counted` the dealer's first outcome;
 * `updated` a later outcome that changed a failure (a retry that succeeded, or a new error);
 * `unchanged` a repeat of what the run already holds (a redelivered message); `stale` the run
 * was replaced by a newer run of the same period and date, or never planned.
 */
export type OutcomeTally = 'counted' | 'updated' | 'unchanged' | 'stale';

export type ReconciledDealer = DealerReconciliation & { readonly flagged_loans: readonly FlaggedLoan[] };

export interface ReconciliationStore {
  saveDealer(period: string, result: DealerReconciliation, flagged: readonly FlaggedLoan[]): Promise<void>;
  /** Each dealer's reconciliation of the period as of the date, with the loans its cross-check flagged. */
  dealerResults(period: string, as_of: string): Promise<ReconciledDealer[]>;
  /** One dealer's reconciliation of the period as of the date, read by key (a dealer's own copy needs no other dealer's). */
  dealerResult(period: string, as_of: string, dealer: string): Promise<ReconciledDealer | undefined>;
  /** The latest as-of date the period was run at, if any: runs of a period go forward in as-of dates (rule 9). */
  lastAsOf(period: string): Promise<string | undefined>;
  /** Replaces the run of the run's period and date. */
  saveRun(run: Omit<ReconciliationRun, 'failed'>): Promise<void>;
  /**
   * Records a new run of its period and date in one conditional write, unless a run of that
   * period and date is running that started at or after `abandonedBefore` (an ISO instant):
   * two starts at once (the schedule's and the portal's) leave one run, the other told `running`.
   */
  claimRun(run: Omit<ReconciliationRun, 'failed'>, abandonedBefore: string): Promise<'claimed' | 'running'>;
  findRun(period: string, as_of: string): Promise<ReconciliationRun | undefined>;
  /** The status of each of these runs there is, by `period#as_of`, in one read: what a page that names the last finished run needs. */
  runStatuses(runs: readonly Pick<RunKey, 'period' | 'as_of'>[]): Promise<Map<string, ReconciliationRun['status']>>;
  /** Records one dealer's outcome in its run atomically, at most once per dealer and run. */
  recordDealerOutcome(run: RunKey, dealer: string, outcome: DealerOutcome, at: string): Promise<OutcomeTally>;
  /** Marks the run done (or done with failures) once every dealer has reported; returns it as it stands. */
  settleRun(run: RunKey, at: string): Promise<ReconciliationRun | undefined>;
}

/** One request for a month's statistics: which month, and when it was asked for (what a finished job answers to). */
export interface StatisticsJob {
  readonly period: string;
  readonly requested_at: string;
}

/** A dealer archive to make for a span of months, off the request path like the statistics (at 2,000 dealers it takes minutes). */
export interface DealerArchiveJob {
  readonly kind: 'dealer_archive';
  readonly from: string;
  readonly to: string;
  readonly requested_at: string;
}

/**
 * Makes a month's statistics off the request path: a queue and its worker on AWS, the same
 * process (not awaited) locally. `request` returns once the job is taken, not done.
 */
export interface StatisticsJobs {
  request(job: StatisticsJob | DealerArchiveJob): Promise<void>;
}

/** The complaints the after-sales department recorded, by complaint id, listed by the month they were received. */
export interface ComplaintStore {
  find(ids: readonly string[]): Promise<Map<string, Complaint>>;
  /** Stores a new complaint; 'exists' when its id is recorded already, and nothing is written. */
  create(complaint: Complaint): Promise<'created' | 'exists'>;
  /** Replaces the complaint read at version `complaint.version - 1`; 'conflict' when someone changed it since, and nothing is written. */
  replace(complaint: Complaint): Promise<'updated' | 'conflict'>;
  /** Complaints received in the months `from` to `to` (inclusive), of one dealer or all, by dealer then time received. */
  received(from: string, to: string, dealer?: string): Promise<Complaint[]>;
  /**
   * Every dealer's complaints not closed and received in `from` or later, by time received: one
   * query of the open complaints' index, which create and replace keep in the same write. Undefined
   * while the index does not reach back to `from` (complaints recorded before it was kept, until
   * `read-models rebuild` lists them): read the months then.
   */
  open(from: string): Promise<Complaint[] | undefined>;
  /**
   * One month's complaints in the order of `complaintKeys.gsi1sk` (dealer, time received, id),
   * of one dealer or all, after `after` (such a key), at most `limit`: a query that stops there.
   */
  monthPage(month: string, page: { readonly after?: string; readonly limit: number; readonly dealer?: string }): Promise<{ complaints: Complaint[]; more: boolean }>;
  /**
   * One dealer's complaints received in the months `from` to `to`, as `received` orders them: one query of
   * the copies kept in the dealer's partition by create and replace. Undefined while the copies
   * do not reach back to `from` (as `open`): read the months then.
   */
  ofDealer(dealer: string, from: string, to: string): Promise<Complaint[] | undefined>;
  /** Lists the complaints of the months `from` to `to` in the open index (the not-closed ones) and in their dealers' partitions, and marks both complete from `from` on (the rebuild). */
  indexMonths(from: string, to: string): Promise<{ readonly open: number; readonly dealer_copies: number }>;
}

/** A dealer's month as kept for the month's worst-first list: the card, the maker's figures beside it, and its place (`rankKey`). */
export interface KeptScore {
  readonly dealer: string;
  readonly rank: string;
  /** Null where the card with its breaches would not fit an item (thousands of failed repairs): the page reads that dealer's month instead. */
  readonly card: Scorecard | null;
  readonly verified: VerifiedFigures | null;
}

/**
 * Each dealer's month score, kept by every write that changes it (shared/app/quality/month-scores.ts),
 * listed worst first per month. `stamp` counts the writes of one dealer's month: a write names
 * the stamp it read and is refused when another wrote since.
 */
export interface ScoreStore {
  /** The dealer's kept month (undefined: nothing to score, or never kept) and its stamp (0: never written). */
  find(dealer: string, period: string): Promise<{ readonly score: KeptScore | undefined; readonly stamp: number }>;
  /** Keeps the month (undefined: leaves the list) at `stamp + 1` if it is still at `stamp`; 'conflict' otherwise, and nothing is written. */
  save(dealer: string, period: string, score: KeptScore | undefined, stamp: number): Promise<'saved' | 'conflict'>;
  /** The month's kept scores worst first, after the rank `after`, at most `limit`. */
  worstFirst(period: string, page: { readonly after?: string; readonly limit: number }): Promise<{ readonly scores: KeptScore[]; readonly more: boolean }>;
  /** From which month on every dealer's month is kept (the rebuild's `from`); undefined before any rebuild. */
  completeFrom(): Promise<string | undefined>;
  /** Marks the months from `from` on kept, unless an earlier month is marked already. */
  markComplete(from: string): Promise<void>;
}

/** The maker's own calls about sampled repairs (shared/domain/verification.ts), by dealer, month and repair id. */
export interface VerificationStore {
  /** Every call recorded about the dealer's repairs of the month, by repair id. */
  calls(dealer: string, period: string): Promise<VerificationCall[]>;
  /** The calls of the month of the dealers whose codes run from `first` to `last` (inclusive), by dealer then repair id: one query of the month's index. */
  monthCalls(period: string, first: string, last: string): Promise<VerificationCall[]>;
  /** Lists the dealer's calls of the month in the month's index (calls recorded before it was kept; repeatable); how many. */
  indexMonth(dealer: string, period: string): Promise<number>;
  find(dealer: string, period: string, repair_id: string): Promise<VerificationCall | undefined>;
  /** Stores the call at its version: version 1 only where none is recorded, a later one only over version − 1; 'conflict' otherwise, and nothing is written. */
  save(call: VerificationCall): Promise<'saved' | 'conflict'>;
}

/** Disputed fee form lines and the manager's decisions (shared/domain/disputes.ts), one per form line. */
export interface DisputeStore {
  find(dealer: string, invoice_no: string, line: number): Promise<Dispute | undefined>;
  /** Stores a new dispute; 'exists' when the line was disputed before, and nothing is written. */
  create(dispute: Dispute): Promise<'created' | 'exists'>;
  /** Replaces the dispute read at version `dispute.version - 1`; 'conflict' when someone changed it since. */
  replace(dispute: Dispute): Promise<'updated' | 'conflict'>;
  /** One dealer's disputes, or every dealer's, oldest raised first. */
  list(dealer?: string): Promise<Dispute[]>;
}

/** What the department did with the unboxing cases (shared/domain/unboxing.ts), by dealer, month and installation. */
export interface UnboxingStore {
  /** The dealer's stored cases of the month. */
  cases(dealer: string, period: string): Promise<UnboxingCase[]>;
  /** The stored cases of the month of the dealers whose codes run from `first` to `last` (inclusive), by dealer: one query of the month's index. */
  monthCases(period: string, first: string, last: string): Promise<UnboxingCase[]>;
  /** Lists the dealer's stored cases of the month in the month's index (cases stored before it was kept; repeatable); how many. */
  indexMonth(dealer: string, period: string): Promise<number>;
  /** Stores the case at its version: version 1 only where none is stored, a later one only over version − 1; 'conflict' otherwise. */
  save(unboxingCase: UnboxingCase): Promise<'saved' | 'conflict'>;
}

/** Repairs marked design hazards (shared/domain/design-hazards.ts): the department's list. */
export interface DesignHazardStore {
  /** Keeps the mark; 'exists' when the repair was marked before, and nothing is written. */
  create(hazard: DesignHazard): Promise<'created' | 'exists'>;
  /** Every dealer's marks (or one's), oldest first. */
  list(dealer?: string): Promise<DesignHazard[]>;
}

/** Material requests (需求表), one per dealer and request id, each with its lines and their decisions. */
export interface RequestStore {
  /** Stores a new request at version 1; 'exists' when the dealer already has one with that id, and nothing is written. */
  create(request: MaterialRequest): Promise<'created' | 'exists'>;
  /** Every dealer's request with this id (one, unless two dealers chose the same id). */
  findById(request_id: string): Promise<MaterialRequest[]>;
  find(dealer: string, request_id: string): Promise<MaterialRequest | undefined>;
  /** Replaces the request read at `request.version` and moves it one version on; 'conflict' when someone changed it since. */
  save(request: MaterialRequest): Promise<'updated' | 'conflict'>;
  /** A dealer's requests, or every dealer's, by request id. */
  list(dealer?: string): Promise<MaterialRequest[]>;
}

/** The messages the back office keeps for each recipient (a dealer code, `finance`, `admin`): its list in the portal. */
export interface MessageStore {
  /**
   * Keeps the message unless one with its id is kept already: a job run again makes the same
   * ids, so the first one stays. Returns the kept message and whether this call created it.
   */
  put(message: Message): Promise<{ readonly created: boolean; readonly message: Message }>;
  /** A recipient's messages, newest first. */
  list(recipient: string): Promise<Message[]>;
  get(recipient: string, id: string): Promise<Message | undefined>;
  /** Marks the message read (once: the first time stays); false when the recipient has no such message. */
  markRead(recipient: string, id: string, at: string): Promise<boolean>;
  /** Records where the message's mail stands. */
  setMail(recipient: string, id: string, mail: MailState): Promise<void>;
}

/** One mail to send: plain text only. */
export interface OutgoingMail {
  /** The message's id: the same message mailed again is the same mail (the outbox overwrites its file). */
  readonly id: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly created_at: string;
}

/**
 * Where a mail went: `sent`, or `failed` for good (a rejected address, throttling that outlasted
 * the retries). A mailer throws only for a fault that may pass (the network, a crash): the
 * message then stays pending and the next run of the job sends it.
 */
export type MailResult = { readonly status: 'sent' } | { readonly status: 'failed'; readonly error: string };

export interface Mailer {
  send(mail: OutgoingMail): Promise<MailResult>;
}

/**
 * Telling people of an event, as the features that raise events see it: one call where the
 * event happens (shared/app/notices/tell.ts keeps the messages and mails them).
 */
export interface Notices {
  tell(event: NoticeEvent): Promise<unknown>;
}
