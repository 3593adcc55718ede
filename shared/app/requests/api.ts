/**
 * The material-request use cases as a signed-in caller reaches them (the API and the
 * portal): each asks `authorize` first; a dealer reaches only its own requests.
 */
import type { Caller } from '../../domain/access.js';
import { decide, listScope, reachOf } from '../../domain/access.js';
import { knownDealerCode } from '../../domain/master.js';
import type { DecisionInput, LineState, RequestView } from '../../domain/request.js';
import { authorize, forbidden, Refusal } from '../access.js';
import type { ObjectLinks } from '../links.js';
import { decideRequestLine } from './decide.js';
import type { RequestDeps } from './deps.js';
import { listRequests, type RequestJson } from './list.js';
import { issueSlipKey, shipRequest, type ShipOutcome } from './ship.js';
import { submitRequestForm, submitRequestWorkbook, type RequestFormLine, type SubmitOutcome } from './submit.js';

export type RequestApiDeps = RequestDeps & { readonly links: ObjectLinks };

/** How long a slip's download link works. */
const LINK_SECONDS = 15 * 60;

/** Who may read every dealer's requests decides their lines and sees another dealer's unit in full; a dealer does not. */
const viewOf = (caller: Caller): RequestView => (reachOf(caller, 'read_requests')?.all === true ? 'back_office' : 'dealer');

/** A dealer's request from the portal's form. */
export async function submitRequestAs(
  deps: RequestApiDeps,
  caller: Caller,
  input: { readonly dealer: string; readonly request_id: string; readonly requested_date: string; readonly lines: readonly RequestFormLine[] },
): Promise<Omit<SubmitOutcome, 'errorReport'>> {
  authorize(caller, 'submit_requests', input.dealer);
  const { errorReport: _none, ...outcome } = await submitRequestForm(deps, { ...input, view: viewOf(caller) });
  return outcome;
}

/**
 * A dealer's request as the 需求表 workbook from the portal: the same check as the command
 * line's; a rejected file comes back with its annotated workbook (base64), the form's answer otherwise.
 */
export async function submitRequestWorkbookAs(
  deps: RequestApiDeps,
  caller: Caller,
  input: { readonly dealer: string; readonly bytes: Uint8Array },
): Promise<Omit<SubmitOutcome, 'errorReport'> & { readonly error_workbook: string | null }> {
  authorize(caller, 'submit_requests', input.dealer);
  const { errorReport, ...outcome } = await submitRequestWorkbook(deps, { ...input, view: viewOf(caller) });
  return { ...outcome, error_workbook: errorReport === null ? null : Buffer.from(errorReport).toString('base64') };
}

/** The requests the caller may see, by dealer and line state. */
export async function listRequestsAs(deps: RequestApiDeps, caller: Caller, filter: { readonly dealer?: string; readonly status?: LineState }): Promise<RequestJson[]> {
  // The queue's dealer filter is typed by a person: d001 finds D001.
  const dealer = filter.dealer === undefined ? undefined : knownDealerCode((await deps.master.load()).dealers.keys(), filter.dealer);
  const scope = listScope(caller, 'read_requests', dealer);
  if (scope === null) throw forbidden('read_requests', caller.dealer === null ? 'role' : 'dealer', dealer);
  return listRequests(deps, { ...filter, dealer: scope.dealer }, viewOf(caller));
}

/** The after-sales department's decision on one line. */
export async function decideRequestLineAs(deps: RequestApiDeps, caller: Caller, input: { readonly dealer: string; readonly request_id: string; readonly line: number; readonly decision: DecisionInput }) {
  authorize(caller, 'decide_requests', input.dealer);
  return decideRequestLine(deps, { ...input, by: caller.subject, mayGrantSpecialApproval: decide(caller, 'grant_special_approval').allowed });
}

/** The warehouse ships what may ship; the answer carries a download of the issue slip. */
export async function shipRequestAs(deps: RequestApiDeps, caller: Caller, input: { readonly dealer: string; readonly request_id: string; readonly shipped_date: string; readonly lines?: readonly number[] }): Promise<ShipOutcome & { readonly slip_url: string }> {
  authorize(caller, 'ship_requests', input.dealer);
  const outcome = await shipRequest(deps, input);
  return { ...outcome, slip_url: await deps.links.downloadUrl('reports', outcome.slip_key, { fileName: `${outcome.slip_no}.xlsx`, expiresInSeconds: LINK_SECONDS }) };
}

/** A download of one of a request's issue slips, for whoever may see the request. */
export async function issueSlipLinkAs(deps: RequestApiDeps, caller: Caller, input: { readonly dealer: string; readonly request_id: string; readonly slip_no: string }): Promise<{ readonly slip_no: string; readonly url: string }> {
  authorize(caller, 'read_requests', input.dealer);
  const request = await deps.requests.find(input.dealer, input.request_id);
  if (request === undefined || !request.lines.some((l) => l.shipping?.shipment_id === input.slip_no)) {
    throw new Refusal('not_found', `Request ${input.request_id} of ${input.dealer} has no issue slip ${input.slip_no}`, `经销商 ${input.dealer} 的申请单 ${input.request_id} 没有发货单 ${input.slip_no}`);
  }
  const url = await deps.links.downloadUrl('reports', issueSlipKey(input.dealer, input.slip_no), { fileName: `${input.slip_no}.xlsx`, expiresInSeconds: LINK_SECONDS });
  return { slip_no: input.slip_no, url };
}
