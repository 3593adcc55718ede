/**
 * Unboxing cases (shared/domain/unboxing.ts) as the department works them: the month's cases
 * of every dealer (or one), the overdue first for immediate attention; the written plan, the
 * photos (a presigned upload into the uploads bucket) and the closing note.
 */
import { randomUUID } from 'node:crypto';
import { listScope, type Caller } from '../../domain/access.js';
import { markHazard, type DesignHazard } from '../../domain/design-hazards.js';
import type { BackOfficeConfig } from '../../config.js';
import { businessDateOf } from '../../domain/dates.js';
import { applyCaseStep, caseOf, DEFAULT_PLAN_DAYS, isOverdue, mergeCases, type CaseProblem, type CaseStep, type UnboxingCase } from '../../domain/unboxing.js';
import { authorize, forbidden, Refusal } from '../access.js';
import type { ObjectLinks, UploadForm } from '../links.js';
import type { Clock, CurrentReport, DesignHazardStore, MasterStore, ReportStore, UnboxingStore } from '../ports.js';
import { businessNow } from './time.js';
import type { PageRequest } from '../../domain/paging.js';
import { encodeCursor, MAX_PAGE_SIZE } from '../../domain/paging.js';
import { pageAfter, readEachDealer } from '../paging.js';
import { digestOf } from '../report-digest.js';

export interface UnboxingDeps {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly unboxing: UnboxingStore;
  readonly links: ObjectLinks;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'unboxingPlanDays'>;
}

/**
 * Where photos of a case are kept in the uploads bucket (the bucket the portal may post to; its
 * events read only .xlsx under the report and ledger prefixes, so a photo starts nothing).
 */
export const UNBOXING_PHOTO_PREFIX = 'unboxing-photos/';
const PHOTO_TYPES: Readonly<Record<string, string>> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/heic': 'heic', 'image/webp': 'webp' };
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const LINK_SECONDS = 900;

export type UnboxingJson = UnboxingCase & { readonly overdue: boolean; readonly photo_urls: readonly string[] };

/** The cases a current installation report opens: from its digest, or its rows where it has none. */
async function derivedCases(deps: UnboxingDeps, report: CurrentReport): Promise<UnboxingCase[]> {
  const digest = await digestOf(deps.reports, report, 'installation');
  const installations = digest.type === 'installation' ? digest.unboxing : [];
  return installations.map((i) => caseOf(report.dealer, report.period, i, deps.config.unboxingPlanDays ?? DEFAULT_PLAN_DAYS)).filter((c) => c !== undefined);
}

/** The dealer's cases of the month: the current installation report's, merged with what was stored. */
async function monthCases(deps: UnboxingDeps, dealer: string, period: string): Promise<UnboxingCase[]> {
  const [current] = await deps.reports.dealerReports(dealer, 'installation', period, period);
  return mergeCases(current === undefined ? [] : await derivedCases(deps, current), await deps.unboxing.cases(dealer, period));
}

/**
 * The cases of a page of the month's installation reports across dealers, by dealer code: the
 * reports' digests (one query) and the cases stored for those dealers (one query of the month's index).
 */
async function monthCasePage(deps: UnboxingDeps, period: string, page: PageRequest): Promise<{ cases: UnboxingCase[]; next_cursor: string | null }> {
  const { reports, more } = await deps.reports.monthReports('installation', period, pageAfter(page, UNBOXING_PAGE_SIZE));
  const first = reports[0]?.dealer;
  const last = reports.at(-1)?.dealer;
  if (first === undefined || last === undefined) return { cases: [], next_cursor: null };
  const stored = await deps.unboxing.monthCases(period, first, last);
  const derived = await readEachDealer(reports.map((r) => r.dealer), (dealer) => derivedCases(deps, reports.find((r) => r.dealer === dealer)!));
  const cases = reports.flatMap((r, i) => mergeCases(derived[i]!, stored.filter((c) => c.dealer === r.dealer)));
  return { cases, next_cursor: more ? encodeCursor(last) : null };
}

const withLinks = async (deps: UnboxingDeps, c: UnboxingCase, today: string): Promise<UnboxingJson> => ({
  ...c,
  overdue: isOverdue(c, today),
  photo_urls: await Promise.all(c.photos.map((key) => deps.links.downloadUrl('uploads', key, { fileName: key.slice(key.lastIndexOf('/') + 1), expiresInSeconds: LINK_SECONDS }))),
});

/** The month's unboxing cases of every dealer (or one), the overdue first: the department's list for immediate attention; finance reads it too. */
export async function unboxingCases(deps: UnboxingDeps, caller: Caller, period: string, dealer?: string): Promise<UnboxingJson[]> {
  return (await unboxingCasePage(deps, caller, period, dealer)).cases;
}

/** Dealers on one page of the month's unboxing cases: each costs its installation report and its cases. */
export const UNBOXING_PAGE_SIZE = 25;

/**
 * One page of `unboxingCases` (the API's list): the cases of `limit` dealers with an installation
 * report that month, in code order, the overdue first within the page; every dealer's without a page.
 */
export async function unboxingCasePage(deps: UnboxingDeps, caller: Caller, period: string, dealer?: string, page?: PageRequest): Promise<{ cases: UnboxingJson[]; next_cursor: string | null }> {
  authorize(caller, 'read_complaints');
  const master = await deps.master.load();
  if (dealer !== undefined && !master.dealers.has(dealer)) throw new Refusal('not_found', `Dealer "${dealer}" is not in the master data`, `经销商编码“${dealer}”不在经销商名录中`);
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const { cases, next_cursor } = dealer !== undefined ? { cases: await monthCases(deps, dealer, period), next_cursor: null } : page !== undefined ? await monthCasePage(deps, period, page) : await everyCase(deps, period);
  const listed = await Promise.all(cases.map((c) => withLinks(deps, c, today)));
  return { cases: listed.sort((a, b) => Number(b.overdue) - Number(a.overdue)), next_cursor };
}

/** Every dealer's cases of the month (the CLI): the pages one after another. */
async function everyCase(deps: UnboxingDeps, period: string): Promise<{ cases: UnboxingCase[]; next_cursor: null }> {
  const cases: UnboxingCase[] = [];
  for (let cursor: string | undefined, more = true; more; ) {
    const next = await monthCasePage(deps, period, { cursor, limit: MAX_PAGE_SIZE });
    cases.push(...next.cases);
    cursor = next.next_cursor ?? undefined;
    more = next.next_cursor !== null;
  }
  return { cases, next_cursor: null };
}

export type CaseResult = { readonly status: 'updated'; readonly case: UnboxingJson } | { readonly status: 'rejected'; readonly errors: readonly CaseProblem[] };

async function findCase(deps: UnboxingDeps, dealer: string, period: string, install_id: string): Promise<UnboxingCase> {
  const found = (await monthCases(deps, dealer, period)).find((c) => c.install_id === install_id);
  if (found === undefined) throw new Refusal('not_found', `No unboxing case ${install_id} of dealer ${dealer} in ${period}`, `经销商 ${dealer} 在 ${period} 没有开箱问题 ${install_id}`);
  return found;
}

/** One step of a case by the department (the plan, a photo, closing), written on the version read: 409 when changed meanwhile. */
export async function unboxingStep(deps: UnboxingDeps, caller: Caller, key: { readonly dealer: string; readonly period: string; readonly install_id: string }, step: CaseStep): Promise<CaseResult> {
  authorize(caller, 'act_on_unboxing');
  const current = await findCase(deps, key.dealer, key.period, key.install_id);
  const applied = applyCaseStep(current, step, caller.subject, businessNow(deps.clock.now(), deps.config.businessTimeZone));
  if ('problems' in applied) return { status: 'rejected', errors: applied.problems };
  if (applied.case !== current && (await deps.unboxing.save(applied.case)) === 'conflict') {
    throw new Refusal('conflict', `Unboxing case ${key.install_id} was changed by someone else meanwhile; read it again`, `开箱问题 ${key.install_id} 已被他人同时修改，请重新读取`);
  }
  return { status: 'updated', case: await withLinks(deps, applied.case, businessDateOf(deps.clock.now(), deps.config.businessTimeZone)) };
}

/** A presigned upload of one photo of a case (JPEG, PNG, HEIC or WebP, at most 10 MB), attached to the case under the key it names. */
export async function unboxingPhotoUpload(deps: UnboxingDeps, caller: Caller, key: { readonly dealer: string; readonly period: string; readonly install_id: string }, contentType: string): Promise<{ readonly key: string; readonly upload: UploadForm; readonly case: UnboxingJson }> {
  authorize(caller, 'act_on_unboxing');
  const ext = PHOTO_TYPES[contentType];
  if (ext === undefined) throw new Refusal('invalid', `A photo is JPEG, PNG, HEIC or WebP, not ${contentType}`, `照片须为 JPEG、PNG、HEIC 或 WebP 格式，而不是 ${contentType}`);
  const objectKey = `${UNBOXING_PHOTO_PREFIX}${key.dealer}/${key.period}/${encodeURIComponent(key.install_id)}/${randomUUID()}.${ext}`;
  const result = await unboxingStep(deps, caller, key, { kind: 'photo', key: objectKey });
  if (result.status === 'rejected') throw new Refusal('invalid', result.errors[0]!.message, result.errors[0]!.message_zh);
  const upload = await deps.links.uploadForm('uploads', objectKey, { contentType, maxBytes: PHOTO_MAX_BYTES, expiresInSeconds: LINK_SECONDS });
  return { key: objectKey, upload, case: result.case };
}

export interface HazardDeps {
  readonly reports: ReportStore;
  readonly hazards: DesignHazardStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone'>;
}

/**
 * Marks a repair of a dealer's current reports a design hazard (设计隐患): it goes to the
 * department's list. The dealer marks its own repairs, the department any; once per repair.
 */
export async function markDesignHazard(deps: HazardDeps, caller: Caller, dealer: string, repair_id: string, note: string): Promise<{ readonly status: 'marked'; readonly hazard: DesignHazard } | { readonly status: 'rejected'; readonly errors: readonly CaseProblem[] }> {
  authorize(caller, 'mark_design_hazards', dealer);
  const repair = (await deps.reports.repairRecords(dealer, [repair_id])).get(repair_id);
  if (repair === undefined) throw new Refusal('not_found', `Repair ${repair_id} is on no current repair report of dealer ${dealer}`, `经销商 ${dealer} 的现行维修报表中没有维修单 ${repair_id}`);
  const marked = markHazard(dealer, repair, note, caller.subject, businessNow(deps.clock.now(), deps.config.businessTimeZone));
  if ('problems' in marked) return { status: 'rejected', errors: marked.problems };
  if ((await deps.hazards.create(marked.hazard)) === 'exists') throw new Refusal('conflict', `Repair ${repair_id} of dealer ${dealer} is marked a design hazard already`, `经销商 ${dealer} 的维修单 ${repair_id} 已标记为设计隐患`);
  return { status: 'marked', hazard: marked.hazard };
}

/** The design hazards marked, oldest first: the department's (and finance's) list of every dealer, a dealer's own. */
export async function designHazards(deps: Pick<HazardDeps, 'hazards'>, caller: Caller, dealer?: string): Promise<DesignHazard[]> {
  const scope = listScope(caller, 'read_design_hazards', dealer);
  if (scope === null) throw forbidden('read_design_hazards', dealer === undefined ? 'role' : 'dealer', dealer);
  return deps.hazards.list(scope.dealer);
}
