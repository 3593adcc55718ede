import { lineState, requestLineJson, type LineState, type RequestLineJson, type RequestView } from '../../domain/request.js';
import type { RequestDeps } from './deps.js';
import { paidIn, saleForms } from './common.js';

/** A request as `requests list` shows it (cli.md): each line with its state. */
export interface RequestJson {
  readonly request_id: string;
  readonly dealer: string;
  readonly requested_date: string;
  readonly submitted_at: string;
  readonly lines: readonly RequestLineJson[];
}

/**
 * Material requests with each line's state, a dealer's or every dealer's; with `status`, only
 * the lines in that state (and the requests that have one); in `view`, as a dealer or the back office reads them.
 */
export async function listRequests(
  deps: Pick<RequestDeps, 'requests' | 'invoices' | 'journal' | 'clock'>,
  filter: { readonly dealer?: string; readonly status?: LineState },
  view: RequestView,
): Promise<RequestJson[]> {
  const requests = await deps.requests.list(filter.dealer);
  const paid = paidIn(await saleForms(deps, requests));
  return requests.flatMap((request): RequestJson[] => {
    const lines = request.lines
      .map((line) => requestLineJson(line, lineState(line, paid), view))
      .filter((line) => filter.status === undefined || line.state === filter.status);
    if (lines.length === 0 && filter.status !== undefined) return [];
    return [{ request_id: request.request_id, dealer: request.dealer_code, requested_date: request.requested_date, submitted_at: request.submitted_at, lines }];
  });
}
