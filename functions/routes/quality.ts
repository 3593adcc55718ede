import * as z from 'zod';
import { ARCHIVE_SEARCHES } from '../../shared/domain/archive-history.js';
import { scorecardJson } from '../../shared/domain/scorecard.js';
import { Refusal } from '../../shared/app/access.js';
import { findInArchive, unitHistoryJson } from '../../shared/app/quality/archive.js';
import { complaintListPage, listComplaints, overdueJson, overdueList, recordComplaint, showComplaint, updateComplaint } from '../../shared/app/quality/complaints.js';
import { monthScorecardPage, scorecardYearPage, verificationSamplePage } from '../../shared/app/quality/scorecard.js';
import { COMPLAINT_FIELDS } from '../../shared/domain/fields.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import type { ArchiveSearchDeps } from '../../shared/app/quality/archive.js';
import type { ComplaintDeps } from '../../shared/app/quality/complaints.js';
import type { DealerArchiveDeps } from '../../shared/app/quality/dealer-archive.js';
import { recordVerificationCall, type VerificationDeps } from '../../shared/app/quality/verification.js';
import { decideFormDispute, disputeList, raiseFormDispute, type DisputeDeps, type DisputeResult } from '../../shared/app/quality/disputes.js';
import { DISPUTE_DECISIONS } from '../../shared/domain/disputes.js';
import { designHazards, markDesignHazard, unboxingCasePage, unboxingPhotoUpload, unboxingStep, type HazardDeps, type UnboxingDeps } from '../../shared/app/quality/unboxing.js';
import { DealerCode, InvoiceNo, IsoDate, None, ok, pageOf, PageQuery, Period, route, type Reply } from './route.js';

/** What the quality routes' use cases take. */
export type QualityDeps = ComplaintDeps & ArchiveSearchDeps & DealerArchiveDeps & VerificationDeps & DisputeDeps & UnboxingDeps & HazardDeps;

/**
 * Service quality (issue 17): scorecards, the end-user archive, complaints and the dealer
 * archive. A dealer reaches its own scorecard and the units it installed or repaired; the
 * department records complaints; finance and the department see every dealer.
 */

/** The complaint form: the complaint workbook's fields by name, each text (checked by the workbook's own rules). */
const ComplaintBody = z
  .object(Object.fromEntries(COMPLAINT_FIELDS.map((f) => [f.name, f.required ? z.string().max(500) : z.string().max(500).nullable().optional()])) as Record<string, z.ZodType<string | null | undefined>>)
  .strict();

const ComplaintId = z.string().min(1).max(100);

/** One step of a complaint's life, with the version it was read at (409 when changed since). */
const ComplaintStepBody = z
  .object({
    version: z.number().int().min(1),
    first_reply_at: z.string().max(30).optional(),
    investigation: z.string().min(1).max(500).optional(),
    service_fault: z.boolean().optional(),
    reason: z.string().max(500).optional(),
    action_taken: z.string().min(1).max(500).optional(),
    compensation: z.string().max(20).optional(),
    resolved_at: z.string().max(30).optional(),
    follow_up_due: IsoDate.optional(),
    follow_up_date: IsoDate.optional(),
    follow_up_outcome: z.string().min(1).max(500).optional(),
    close: z.literal(true).optional(),
  })
  .strict();

/** The outcome of the maker's call about one sampled repair (cli.md's `verification record`). */
const CallBody = z
  .object({
    dealer: DealerCode,
    repair_id: z.string().min(1).max(100),
    reached: z.boolean(),
    confirmed: z.boolean().nullable().optional(),
    satisfaction: z.enum(['satisfied', 'fairly_satisfied', 'dissatisfied']).nullable().optional(),
  })
  .strict();

const LineNo = z.string().regex(/^[1-9][0-9]{0,3}$/, 'a line number such as 1').transform(Number);
const Reason = z.string().min(1).max(500);

/** A dispute raised or decided: 201/200, or 400 naming the fields at fault in both languages. */
const disputeReply = (result: DisputeResult, created: number): Reply =>
  result.status === 'rejected'
    ? ok({ status: 'rejected', error: { code: 'invalid_dispute', message: 'Nothing was changed; see errors', message_zh: '未作任何更改，请查看错误明细' }, errors: result.errors }, 400)
    : ok(result, created);

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

const ArchiveQuery = z
  .object({ serial: z.string().max(100).optional(), phone: z.string().max(100).optional(), owner: z.string().max(100).optional() })
  .strict();

export const QUALITY_ROUTES = [
  route({
    method: 'GET', path: '/api/scorecards', summary: "Each dealer's scorecard of a month: the four service figures with targets, pass/fail and the records that broke them (a dealer sees its own); every dealer's a page of dealers at a time (`limit`, default 25; `cursor` from `next_cursor`), `sort=worst` the month's dealers worst first across the pages (`order`: `month`; `page` for a month whose scores are not kept yet, each page ordered on its own until `read-models rebuild`)", actions: ['read_scorecards'],
    params: None, query: z.object({ period: Period, dealer: DealerCode.optional(), sort: z.enum(['dealer', 'worst']).optional(), ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) => {
      const { cards, next_cursor, order } = await monthScorecardPage(deps, caller, query.period, query.dealer, pageOf(query), query.sort);
      return ok({ period: query.period, dealers: cards.map(scorecardJson), next_cursor, order });
    },
  }),
  route({
    method: 'GET', path: '/api/scorecards/trend', summary: "Twelve months of scorecards side by side, ending with `last` (a dealer sees its own); every dealer's a page of dealers at a time (`limit`, default 5; `cursor` from `next_cursor`)", actions: ['read_scorecards'],
    params: None, query: z.object({ last: Period, dealer: DealerCode.optional(), ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) => {
      const { years, next_cursor } = await scorecardYearPage(deps, caller, query.last, query.dealer, pageOf(query));
      return ok({ last: query.last, dealers: years.map((y) => ({ dealer: y.dealer, months: y.months.map((m) => ({ period: m.period, ...scorecardJson(m) })) })), next_cursor });
    },
  }),
  route({
    method: 'GET', path: '/api/archive/units', summary: "A unit's whole history, found by serial number, owner phone or owner name (exactly one); a dealer finds only units it installed or repaired", actions: ['search_archive'],
    params: None, query: ArchiveQuery, body: null,
    run: async (deps, caller, { query }) => {
      const given = ARCHIVE_SEARCHES.filter((by) => query[by] !== undefined);
      const by = given[0];
      if (by === undefined || given.length > 1) throw new Refusal('invalid', 'Search by exactly one of serial, phone or owner', '请只按序列号、电话或业主姓名之一查找');
      const term = query[by] ?? '';
      return ok({ by, term, units: (await findInArchive(deps, caller, by, term)).map(unitHistoryJson) });
    },
  }),
  route({
    method: 'POST', path: '/api/complaints', summary: 'Record one complaint when it is received (the after-sales department): 201 recorded, 200 filled in or already recorded, 400 with its issues in both languages, 409 when its id is recorded with other facts', actions: ['record_complaints'],
    params: None, query: None, body: ComplaintBody,
    run: async (deps, caller, { body }) => {
      const result = await recordComplaint(deps, caller, body);
      if (result.status === 'rejected') {
        return ok({ status: 'rejected', error: { code: 'invalid_complaint', message: 'The complaint was not recorded; see errors', message_zh: '投诉未登记，请查看错误明细' }, errors: result.errors }, 400);
      }
      if (result.status === 'conflict') {
        return ok({ status: 'conflict', error: { code: 'conflict', message: 'This complaint id is recorded with other facts; nothing was overwritten', message_zh: '该投诉单号已登记为其他内容，未覆盖' }, errors: result.errors }, 409);
      }
      return ok(result, result.status === 'recorded' ? 201 : 200);
    },
  }),
  route({
    method: 'GET', path: '/api/complaints', summary: 'Complaints received in a span of months (finance and the department)', actions: ['read_complaints'],
    params: None, query: z.object({ from: Period, to: Period, dealer: DealerCode.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => ok({ complaints: await listComplaints(deps, caller, query.from, query.to, query.dealer) }),
  }),
  route({
    method: 'GET', path: '/api/complaints/overdue', summary: 'Complaints overdue now: first reply later than 24 hours, or open longer than the configured limit', actions: ['read_complaints'],
    params: None, query: None, body: null,
    run: async (deps, caller) => ok({ overdue: (await overdueList(deps, caller)).map(overdueJson) }),
  }),
  route({
    method: 'GET', path: '/api/complaints/register', summary: "Complaints of the last twelve months with their state and what is late (first_reply, resolution, follow_up) as of a time; open: not closed; a page at a time (`limit`, default 100; `cursor` from `next_cursor`)", actions: ['read_complaints'],
    params: None, query: z.object({ dealer: DealerCode.optional(), open: Flag.optional(), overdue: Flag.optional(), as_of: z.iso.datetime({ offset: true }).optional(), ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) =>
      ok(await complaintListPage(deps, caller, { dealer: query.dealer, open: query.open, overdue: query.overdue, asOf: query.as_of === undefined ? undefined : new Date(query.as_of) }, pageOf(query))),
  }),
  route({
    method: 'GET', path: '/api/complaints/{complaint_id}', summary: 'One complaint with its state, what is late and its history (who changed what, when and why)', actions: ['read_complaints'],
    params: z.object({ complaint_id: ComplaintId }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await showComplaint(deps, caller, params.complaint_id)),
  }),
  route({
    method: 'POST', path: '/api/complaints/{complaint_id}/steps', summary: "One step of a complaint's life (first reply, investigation, fault decision with its reason, action, compensation, resolution, follow-up, close) on the version read: 200, 400 with the fields at fault, 409 when changed since", actions: ['record_complaints'],
    params: z.object({ complaint_id: ComplaintId }), query: None, body: ComplaintStepBody,
    run: async (deps, caller, { params, body }) => {
      const { version, ...step } = body;
      const result = await updateComplaint(deps, caller, params.complaint_id, step, version);
      if (result.status === 'rejected') {
        return ok({ status: 'rejected', error: { code: 'invalid_step', message: 'The complaint was not changed; see errors', message_zh: '投诉未修改，请查看错误明细' }, errors: result.errors }, 400);
      }
      return ok(result);
    },
  }),
  route({
    method: 'GET', path: '/api/verification/sample', summary: "The maker's return-call sample of each reporting dealer's repairs of a month, the same list every time (the department and finance); a page of dealers at a time (`limit`, default 25; `cursor` from `next_cursor`)", actions: ['read_complaints'],
    params: None, query: z.object({ period: Period, ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) => ok({ period: query.period, ...(await verificationSamplePage(deps, caller, query.period, pageOf(query))) }),
  }),
  route({
    method: 'POST', path: '/api/verification/calls', summary: "The outcome of the maker's call about one sampled repair (reached, confirmed, satisfaction), by the department: 201 recorded, 200 replaced (the earlier outcome kept in its history) or unchanged, 400 with the fields at fault or when the repair is not in the month's sample, 404 for a repair on no current report", actions: ['record_verification'],
    params: None, query: None, body: CallBody,
    run: async (deps, caller, { body }) => {
      const result = await recordVerificationCall(deps, caller, body.dealer, body.repair_id, { reached: body.reached, confirmed: body.confirmed ?? null, satisfaction: body.satisfaction ?? null });
      if (result.status === 'rejected') {
        return ok({ status: 'rejected', error: { code: 'invalid_call', message: 'The call was not recorded; see errors', message_zh: '回访结果未登记，请查看错误明细' }, errors: result.errors }, 400);
      }
      return ok(result, result.status === 'recorded' ? 201 : 200);
    },
  }),
  route({
    method: 'POST', path: '/api/invoices/{invoice_no}/lines/{line}/disputes', summary: "A dealer disputes a charged line of its issued form with a reason (不接受则上报上级领导): 201 with the deadline, 400 naming what is wrong (a draft, void form or credit note, no such line, no reason, disputed before)", actions: ['raise_disputes'],
    params: z.object({ invoice_no: InvoiceNo, line: LineNo }), query: None, body: z.object({ reason: Reason }).strict(),
    run: async (deps, caller, { params, body }) => disputeReply(await raiseFormDispute(deps, caller, params.invoice_no, params.line, body.reason), 201),
  }),
  route({
    method: 'GET', path: '/api/disputes', summary: "Disputes oldest first, each overdue or not: the manager's queue (the department and finance see it too; a dealer its own)", actions: ['read_disputes'],
    params: None, query: z.object({ dealer: DealerCode.optional(), open: Flag.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => ok({ disputes: await disputeList(deps, caller, { dealer: query.dealer, open: query.open }) }),
  }),
  route({
    method: 'POST', path: '/api/disputes/{dealer}/{invoice_no}/{line}/decision', summary: "The manager's decision (上级领导) with a reason: uphold, or waive, crediting the line by a credit note through the receivables journal; 400 once decided, 409 when another manager decided meanwhile", actions: ['decide_escalations'],
    params: z.object({ dealer: DealerCode, invoice_no: InvoiceNo, line: LineNo }), query: None, body: z.object({ decision: z.enum(DISPUTE_DECISIONS), reason: Reason }).strict(),
    run: async (deps, caller, { params, body }) => disputeReply(await decideFormDispute(deps, caller, params, body.decision, body.reason), 200),
  }),
  route({
    method: 'GET', path: '/api/unboxing', summary: "The month's unboxing cases (开箱问题) of every dealer or one, the overdue first: issue, due date of the written plan, status, plan, photos (download links) — for immediate attention (the department and finance); every dealer's a page of dealers at a time (`limit`, default 25; `cursor` from `next_cursor`), the overdue first within the page", actions: ['read_complaints'],
    params: None, query: z.object({ period: Period, dealer: DealerCode.optional(), ...PageQuery }).strict(), body: null,
    run: async (deps, caller, { query }) => {
      const { cases, next_cursor } = await unboxingCasePage(deps, caller, query.period, query.dealer, pageOf(query));
      return ok({ period: query.period, cases, next_cursor });
    },
  }),
  route({
    method: 'POST', path: '/api/unboxing/{dealer}/{period}/{install_id}/steps', summary: "One step of an unboxing case by the department: the written plan (书面方案), or closing it with a note once planned; 400 naming what is wrong, 409 when changed meanwhile", actions: ['act_on_unboxing'],
    params: z.object({ dealer: DealerCode, period: Period, install_id: z.string().min(1).max(100) }), query: None,
    body: z.union([z.object({ plan: z.string().min(1).max(2000) }).strict(), z.object({ close: z.string().min(1).max(2000) }).strict()]),
    run: async (deps, caller, { params, body }) => {
      const result = await unboxingStep(deps, caller, params, 'plan' in body ? { kind: 'plan', text: body.plan } : { kind: 'close', note: body.close });
      if (result.status === 'rejected') return ok({ status: 'rejected', error: { code: 'invalid_step', message: 'The case was not changed; see errors', message_zh: '开箱问题未修改，请查看错误明细' }, errors: result.errors }, 400);
      return ok(result);
    },
  }),
  route({
    method: 'POST', path: '/api/unboxing/{dealer}/{period}/{install_id}/photos', summary: 'A presigned upload of one photo of an unboxing case (JPEG, PNG, HEIC or WebP, at most 10 MB), attached to the case', actions: ['act_on_unboxing'],
    params: z.object({ dealer: DealerCode, period: Period, install_id: z.string().min(1).max(100) }), query: None, body: z.object({ content_type: z.string().min(1).max(50) }).strict(),
    run: async (deps, caller, { params, body }) => ok(await unboxingPhotoUpload(deps, caller, params, body.content_type), 201),
  }),
  route({
    method: 'POST', path: '/api/design-hazards', summary: "Marks a repair of a dealer's current reports a design hazard (设计隐患) with a note: 201, 400 naming what is wrong, 404 for an unknown repair, 409 when marked before (a dealer its own repairs; the department any)", actions: ['mark_design_hazards'],
    params: None, query: None, body: z.object({ dealer: DealerCode, repair_id: z.string().min(1).max(100), note: z.string().min(1).max(1000) }).strict(),
    run: async (deps, caller, { body }) => {
      const result = await markDesignHazard(deps, caller, body.dealer, body.repair_id, body.note);
      if (result.status === 'rejected') return ok({ status: 'rejected', error: { code: 'invalid_hazard', message: 'The repair was not marked; see errors', message_zh: '维修单未标记，请查看错误明细' }, errors: result.errors }, 400);
      return ok(result, 201);
    },
  }),
  route({
    method: 'GET', path: '/api/design-hazards', summary: "The repairs marked design hazards, oldest first: the department's list (a dealer sees its own)", actions: ['read_design_hazards'],
    params: None, query: z.object({ dealer: DealerCode.optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => ok({ hazards: await designHazards(deps, caller, query.dealer) }),
  }),
];
