/**
 * The return warehouse's single-entry form (issue 25): one return line typed in the portal,
 * checked by the returns workbook's own row rules (so both ways refuse the same input, each
 * error naming its field in both languages) and recorded in the parts ledger as an uploaded
 * line would be; and the returns recorded, a few dealers a page.
 */
import { decide, listScope, type Caller } from '../domain/access.js';
import type { SheetRow } from '../domain/cells.js';
import { addDays, businessDateOf, isValidDate } from '../domain/dates.js';
import { RETURN_FIELDS } from '../domain/fields.js';
import type { Issue } from '../domain/issues.js';
import { createLedgerValidator, type ReturnLine } from '../domain/ledger-validation.js';
import { knownDealerCode } from '../domain/master.js';
import { authorize, forbidden, Refusal } from './access.js';
import { conflictIssue } from './ingest-ledger.js';
import { dealerPage, readEachDealer } from './paging.js';
import type { Clock, LedgerStore, MasterStore } from './ports.js';

export interface ReturnEntryDeps {
  readonly ledger: LedgerStore;
  readonly master: MasterStore;
  readonly clock: Clock;
  readonly config: { readonly businessTimeZone: string };
}

/** What the form sends: the workbook's columns, and which line of the return slip it is (1 unless said). */
export interface ReturnEntryInput {
  readonly return_id: string;
  readonly line?: number;
  readonly received_date: string;
  readonly dealer_code: string;
  readonly part_code: string;
  readonly qty: number | string;
  readonly condition?: string | null;
  readonly remarks?: string | null;
}

export type ReturnEntryOutcome =
  | { readonly status: 'recorded' | 'already_recorded'; readonly line: ReturnLine }
  | { readonly status: 'rejected'; readonly errors: readonly Issue[] };

/** Checks one return line as the workbook's row 2 (under a header of the field names) and records it. */
export async function recordReturnEntry(deps: ReturnEntryDeps, caller: Caller, input: ReturnEntryInput): Promise<ReturnEntryOutcome> {
  authorize(caller, 'upload_returns');
  const master = await deps.master.load();
  const values: Record<string, unknown> = { ...input, dealer_code: knownDealerCode(master.dealers.keys(), input.dealer_code) };
  const names = RETURN_FIELDS.map((f) => f.name);
  const rows: SheetRow[] = [
    { row: 1, cells: names },
    { row: 2, cells: names.map((name) => { const v = values[name]; return v === undefined || v === '' ? null : typeof v === 'number' ? v : String(v); }) },
  ];
  const validator = createLedgerValidator('returns', {
    today: businessDateOf(deps.clock.now(), deps.config.businessTimeZone),
    master: { hasDealer: (code) => master.dealers.has(code), hasPart: (code) => master.parts.has(code) },
  });
  const entities = rows.flatMap((row) => validator.push(row));
  const summary = validator.finish();
  const entity = entities[0];
  if (summary.errors.length > 0 || entity === undefined) return { status: 'rejected', errors: summary.errors };
  const line: ReturnLine = { ...entity.line, line: input.line ?? 1 };
  const result = await deps.ledger.record('returns', [line], `portal:${caller.subject}`, { whole: true });
  const conflict = result.conflicts[0];
  if (conflict !== undefined) return { status: 'rejected', errors: [conflictIssue('returns', 2, line, conflict.recorded as ReturnLine)] };
  return { status: result.recorded > 0 ? 'recorded' : 'already_recorded', line };
}

/** Dealers read for one page of the returns list. */
export const RETURN_DEALERS_PER_PAGE = 5;

/** Days of returns listed when no start date is asked for. */
export const RETURN_LIST_DAYS = 90;

/**
 * Returns recorded from `from` (90 days back unless given) to today, newest first within each
 * dealer, the next few dealers a page; narrowed to one dealer, typed in any letter case.
 */
export async function listReturns(deps: ReturnEntryDeps, caller: Caller, query: { readonly dealer?: string; readonly from?: string }, cursor?: string) {
  authorize(caller, 'upload_returns');
  const master = await deps.master.load();
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const from = query.from ?? addDays(today, -RETURN_LIST_DAYS);
  if (!isValidDate(from)) throw new Refusal('invalid', `from ${from} is not a date`, `起始日期 ${from} 不是有效日期`);
  const typed = query.dealer?.trim();
  const code = typed === undefined || typed === '' ? undefined : knownDealerCode(master.dealers.keys(), typed);
  const scope = listScope(caller, 'upload_returns', code);
  if (scope === null) throw forbidden('upload_returns', decide(caller, 'upload_returns').allowed ? 'dealer' : 'role', code);
  if (scope.dealer !== undefined && !master.dealers.has(scope.dealer)) throw new Refusal('not_found', `No dealer ${scope.dealer} in the master data`, `主数据中没有经销商 ${scope.dealer}`);
  const codes = scope.dealer === undefined ? [...master.dealers.keys()].sort() : [scope.dealer];
  const page = dealerPage(codes, { limit: RETURN_DEALERS_PER_PAGE, ...(cursor !== undefined && { cursor }) }, RETURN_DEALERS_PER_PAGE);
  const returns = (await readEachDealer(page.keys, async (dealer) => (await deps.ledger.dealerLedger(dealer, today, from)).returns))
    .map((lines) => [...lines].sort((a, b) => (a.received_date === b.received_date ? (a.return_id < b.return_id ? -1 : 1) : a.received_date < b.received_date ? 1 : -1)))
    .flat()
    .map((r) => ({ ...r, dealer_name: master.dealers.get(r.dealer_code)?.dealer_name ?? r.dealer_code }));
  return { from, to: today, dealer: scope.dealer ?? null, dealers_read: page.keys, dealers_total: codes.length, returns, next_cursor: page.next_cursor };
}
