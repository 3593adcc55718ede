import * as z from 'zod';
import { listParts } from '../../shared/app/parts.js';
import { RequestInputError } from '../../shared/app/requests/common.js';
import { decideRequestLineAs, issueSlipLinkAs, listRequestsAs, shipRequestAs, submitRequestAs, submitRequestWorkbookAs } from '../../shared/app/requests/api.js';
import { SHIPMENT_KIND_CODES } from '../../shared/domain/ledger-validation.js';
import { MAX_REQUEST_LINES } from '../../shared/domain/bounds.js';
import { LINE_STATES } from '../../shared/domain/request.js';
import { DealerCode, IsoDate, None, ok, route, type Reply } from './route.js';

/** Material requests (发料申请): a dealer asks, the after-sales department decides, the warehouse ships. */

const RequestId = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'a request id such as R-2026-001');
const SlipNo = z.string().regex(/^FL-[A-Za-z0-9_.-]{1,64}-[1-9][0-9]{0,4}$/, 'an issue slip number such as FL-R-2026-001-1');
const LineNo = z.string().regex(/^[1-9][0-9]{0,5}$/, 'a line number such as 1').transform(Number);
const Cell = z.union([z.string().max(500), z.number()]).nullable().optional();

const FormLine = z
  .object({
    part_code: Cell,
    qty: Cell,
    purpose: Cell,
    product_model: Cell,
    serial_no: Cell,
    purchase_date: Cell,
    fault_description: Cell,
    charge_cause: Cell,
    repair_id: Cell,
    remarks: Cell,
  })
  .strict();

const Decision = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('approved'), kind: z.enum(SHIPMENT_KIND_CODES).optional(), return_required: z.boolean().optional(), reason: z.string().max(500).optional() }).strict(),
  z.object({ outcome: z.literal('rejected'), reason: z.string().max(500).optional() }).strict(),
]);

/** Input the use case cannot act on (a decision without its reason, a ship date ahead): 400 with the usual bilingual body. */
async function answering(work: () => Promise<Reply>): Promise<Reply> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof RequestInputError)) throw error;
    return ok({ error: { code: error.code, message: error.message, message_zh: error.message_zh } }, 400);
  }
}

/** A material request is a few lines: its workbook is tens of KiB, and the route takes up to this. */
const REQUEST_WORKBOOK_MAX_BYTES = 256 * 1024;

export const REQUEST_ROUTES = [
  route({
    method: 'POST', path: '/api/dealers/{dealer}/requests/workbook', summary: 'Submit a material request as the 需求表 workbook, base64 in JSON (up to 256 KiB): answered like the form (201), or refused whole (422) with every error by row and column and the annotated workbook (base64)', actions: ['submit_requests'],
    params: z.object({ dealer: DealerCode }), query: None,
    body: z.object({ workbook: z.base64().max(Math.ceil(REQUEST_WORKBOOK_MAX_BYTES / 3) * 4, 'a workbook of at most 256 KiB') }).strict(),
    run: async (deps, caller, { params, body }) => {
      const outcome = await submitRequestWorkbookAs(deps, caller, { dealer: params.dealer, bytes: Buffer.from(body.workbook, 'base64') });
      return ok(outcome, outcome.status === 'submitted' ? 201 : 422);
    },
  }),
  route({
    method: 'POST', path: '/api/dealers/{dealer}/requests', summary: 'Submit a material request from the form: each line answered with the warranty check (201), or refused whole with every error by line and field (422)', actions: ['submit_requests'],
    params: z.object({ dealer: DealerCode }), query: None,
    body: z.object({ request_id: RequestId, requested_date: IsoDate, lines: z.array(FormLine).min(1).max(MAX_REQUEST_LINES) }).strict(),
    run: async (deps, caller, { params, body }) => {
      const outcome = await submitRequestAs(deps, caller, { dealer: params.dealer, ...body });
      return ok(outcome, outcome.status === 'submitted' ? 201 : 422);
    },
  }),
  route({
    method: 'GET', path: '/api/parts', summary: "The price list's parts with name, unit and today's price, for the request form's part picker (whoever reads requests)", actions: ['read_requests'],
    params: None, query: None, body: null,
    run: async (deps, caller) => ok(await listParts(deps, caller)),
  }),
  route({
    method: 'GET', path: '/api/requests', summary: "Material requests with each line's state (a dealer sees its own), by dealer and state", actions: ['read_requests'],
    params: None, query: z.object({ dealer: DealerCode.optional(), status: z.enum(LINE_STATES).optional() }).strict(), body: null,
    run: async (deps, caller, { query }) => ok({ requests: await listRequestsAs(deps, caller, query) }),
  }),
  route({
    method: 'POST', path: '/api/dealers/{dealer}/requests/{request_id}/lines/{line}/decision', summary: 'Approve (as proposed or as another kind, with a reason) or reject (with a reason) one line; 409 when it is already decided', actions: ['decide_requests'],
    params: z.object({ dealer: DealerCode, request_id: RequestId, line: LineNo }), query: None, body: Decision,
    run: async (deps, caller, { params, body }) => answering(async () => ok(await decideRequestLineAs(deps, caller, { ...params, decision: body }))),
  }),
  route({
    method: 'POST', path: '/api/dealers/{dealer}/requests/{request_id}/ship', summary: 'Ship the approved lines that may ship (charged ones once paid), or only the `lines` named, as ledger shipment lines, with a download of the issue slip', actions: ['ship_requests'],
    params: z.object({ dealer: DealerCode, request_id: RequestId }), query: None, body: z.object({ shipped_date: IsoDate, lines: z.array(z.number().int().min(1).max(999)).min(1).max(100).optional() }).strict(),
    run: async (deps, caller, { params, body }) => answering(async () => ok(await shipRequestAs(deps, caller, { ...params, ...body }))),
  }),
  route({
    method: 'GET', path: '/api/dealers/{dealer}/requests/{request_id}/slips/{slip_no}', summary: 'A presigned download of one issue slip of the request', actions: ['read_requests'],
    params: z.object({ dealer: DealerCode, request_id: RequestId, slip_no: SlipNo }), query: None, body: null,
    run: async (deps, caller, { params }) => ok(await issueSlipLinkAs(deps, caller, params)),
  }),
];
