/**
 * The portal's lists as .xlsx (issue 25): each export is the whole list its page shows, every
 * page read, under the same access as the list (a dealer exports only what it may list), and
 * written by the workbook writers at the edge (shared/sheets/list-workbooks.ts).
 *
 * An export answers in the API's one response (6 MB, 29 s), so it holds at most
 * EXPORT_MAX_ROWS rows; a longer list is refused with what to narrow, in both languages.
 */
import type { Caller } from '../domain/access.js';
import { Refusal } from './access.js';
import { balanceFigures, type BalanceRow, type FormDeps } from './finance/form-life.js';
import { complaintList, type ComplaintDeps, type ComplaintFilter } from './quality/complaints.js';
import { monthScorecards, verificationSample, type VerifiedScorecard, type VerifiedScorecardDeps } from './quality/scorecard.js';
import { unboxingCases, type UnboxingDeps, type UnboxingJson } from './quality/unboxing.js';
import { listReturns, type ReturnEntryDeps } from './return-entries.js';

export type ComplaintRegisterRow = Awaited<ReturnType<typeof complaintList>>[number];
export type ReturnRow = Awaited<ReturnType<typeof listReturns>>['returns'][number];
/** One sampled repair of a dealer's month: the sample listed a repair a row, numbered within its dealer. */
export interface SampleRow {
  readonly dealer: string;
  readonly repairs: number;
  readonly index: number;
  readonly repair_id: string;
}

/** The writers, one a list; `period` names the month of a monthly list. */
export interface ListExports {
  readonly balances: (rows: readonly BalanceRow[]) => Promise<Uint8Array>;
  readonly complaints: (rows: readonly ComplaintRegisterRow[]) => Promise<Uint8Array>;
  readonly scorecards: (rows: readonly VerifiedScorecard[], period: string) => Promise<Uint8Array>;
  readonly unboxing: (rows: readonly UnboxingJson[], period: string) => Promise<Uint8Array>;
  readonly sample: (rows: readonly SampleRow[], period: string) => Promise<Uint8Array>;
  readonly returns: (rows: readonly ReturnRow[]) => Promise<Uint8Array>;
}

export interface ListExportDeps {
  readonly listWorkbooks: ListExports;
}

/**
 * Rows an export holds. Measured with the widest of these sheets (unboxing cases, twelve
 * columns of real-length Chinese text): 20,000 rows make a 1.0 MB workbook (1.3 MB in the
 * base64 of the response, within its 6 MB), written in 8 s on a busy 2-core machine (within
 * the 29 s). Longer lists are what the statistics worker is for.
 */
export const EXPORT_MAX_ROWS = 20_000;

export interface ExportFile {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

function bounded<R>(rows: readonly R[]): readonly R[] {
  if (rows.length <= EXPORT_MAX_ROWS) return rows;
  throw new Refusal(
    'invalid',
    `The list has ${rows.length} rows, more than the ${EXPORT_MAX_ROWS} one export holds; narrow it (one dealer, one month) and export again`,
    `该列表共 ${rows.length} 行，超过单次导出上限 ${EXPORT_MAX_ROWS} 行；请按经销商或月份缩小范围后再导出`,
  );
}

const named = (parts: readonly (string | undefined | null)[]): string => `${parts.filter((p) => p !== undefined && p !== null && p !== '').join('-')}.xlsx`;

/** Every dealer's balance (finance, the admin), or a dealer's own. */
export async function balancesWorkbook(deps: Pick<FormDeps, 'invoices' | 'journal' | 'master' | 'clock'> & ListExportDeps, caller: Caller, dealer?: string): Promise<ExportFile> {
  const { balances } = await balanceFigures(deps, caller, dealer);
  return { fileName: named(['balances', dealer]), bytes: await deps.listWorkbooks.balances(bounded(balances)) };
}

/** The complaints register as its page filters it. */
export async function complaintsWorkbook(deps: Pick<ComplaintDeps, 'complaints' | 'clock' | 'config'> & ListExportDeps, caller: Caller, filter: ComplaintFilter): Promise<ExportFile> {
  const rows = await complaintList(deps, caller, filter);
  const name = named(['complaints', filter.dealer, filter.overdue === true ? 'overdue' : filter.open === true ? 'open' : undefined]);
  return { fileName: name, bytes: await deps.listWorkbooks.complaints(bounded(rows)) };
}

/** A month's scorecards: the four figures with their targets and pass or fail (a dealer its own). */
export async function scorecardsWorkbook(deps: VerifiedScorecardDeps & ListExportDeps, caller: Caller, period: string, dealer?: string): Promise<ExportFile> {
  const cards = await monthScorecards(deps, caller, period, dealer);
  return { fileName: named(['scorecards', period, dealer]), bytes: await deps.listWorkbooks.scorecards(bounded(cards), period) };
}

/** A month's unboxing cases, the overdue first. */
export async function unboxingWorkbook(deps: UnboxingDeps & ListExportDeps, caller: Caller, period: string, dealer?: string): Promise<ExportFile> {
  const cases = await unboxingCases(deps, caller, period, dealer);
  return { fileName: named(['unboxing', period, dealer]), bytes: await deps.listWorkbooks.unboxing(bounded(cases), period) };
}

/** A month's return-call sample, a sampled repair a row. */
export async function sampleWorkbook(deps: Parameters<typeof verificationSample>[0] & ListExportDeps, caller: Caller, period: string): Promise<ExportFile> {
  const rows = (await verificationSample(deps, caller, period)).flatMap((d) => d.sampled.map((repair_id, i) => ({ dealer: d.dealer, repairs: d.repairs, index: i + 1, repair_id })));
  return { fileName: named(['verification-sample', period]), bytes: await deps.listWorkbooks.sample(bounded(rows), period) };
}

/** The returns recorded as the warehouse's list filters them, every dealer's page read. */
export async function returnsWorkbook(deps: ReturnEntryDeps & ListExportDeps, caller: Caller, query: { readonly dealer?: string; readonly from?: string }): Promise<ExportFile> {
  let answer = await listReturns(deps, caller, query);
  const rows: ReturnRow[] = [...answer.returns];
  while (answer.next_cursor !== null) {
    answer = await listReturns(deps, caller, query, answer.next_cursor);
    rows.push(...answer.returns);
    // A list past the bound stops being read at the page that passes it.
    bounded(rows);
  }
  return { fileName: named(['returns', answer.dealer, answer.from, answer.to]), bytes: await deps.listWorkbooks.returns(bounded(rows)) };
}
