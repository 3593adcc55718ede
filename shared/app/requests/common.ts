import { Refusal } from '../access.js';
import type { RequestLineNotice } from '../../domain/notices.js';
import { lineState, type MaterialRequest } from '../../domain/request.js';
import type { StoredInvoice } from '../ports.js';
import type { RequestDeps } from './deps.js';

/**
 * Input a use case cannot act on (a decision without its reason, a ship date in the future):
 * told in both languages; the API answers 400 and the CLI exits 1.
 */
export class RequestInputError extends Error {
  override readonly name = 'RequestInputError';

  constructor(
    readonly code: string,
    message: string,
    readonly message_zh: string,
  ) {
    super(message);
  }
}

/**
 * The request with this id: the dealer's when one is named, else the only one with the id;
 * two dealers that chose the same id must be told apart by naming the dealer.
 */
export async function findRequest(deps: Pick<RequestDeps, 'requests'>, request_id: string, dealer?: string): Promise<MaterialRequest> {
  const found = dealer === undefined ? await deps.requests.findById(request_id) : [await deps.requests.find(dealer, request_id)].filter((r) => r !== undefined);
  if (found.length === 0) {
    throw new Refusal('not_found', `No material request ${request_id}${dealer === undefined ? '' : ` of dealer ${dealer}`}`, `没有${dealer === undefined ? '' : `经销商 ${dealer} 的`}申请单 ${request_id}`);
  }
  if (found.length > 1) {
    const dealers = found.map((r) => r.dealer_code).join(', ');
    throw new Refusal('conflict', `Dealers ${dealers} each have a request ${request_id}: name the dealer`, `经销商 ${dealers} 均有申请单 ${request_id}，请指定经销商`);
  }
  return found[0]!;
}

/** The period a form number belongs to: `FY-2026-10-0001` → `2026-10`. */
const periodOfInvoice = (invoice_no: string): string => invoice_no.slice(3, 10);

/** The dealer's sale forms named by the requests' lines, by number, read once per period. */
export async function saleForms(deps: Pick<RequestDeps, 'invoices'>, requests: readonly MaterialRequest[]): Promise<Map<string, StoredInvoice>> {
  const wanted = new Map<string, Set<string>>();
  for (const request of requests) {
    for (const line of request.lines) {
      const no = line.decision?.invoice_no;
      if (no === null || no === undefined) continue;
      const key = `${request.dealer_code}\n${periodOfInvoice(no)}`;
      wanted.set(key, (wanted.get(key) ?? new Set()).add(no));
    }
  }
  const forms = new Map<string, StoredInvoice>();
  for (const key of wanted.keys()) {
    const [dealer, period] = key.split('\n') as [string, string];
    for (const invoice of await deps.invoices.byPeriod(period, dealer)) forms.set(invoice.invoice_no, invoice);
  }
  return forms;
}

/** Whether the sale form is paid, by the forms read with `saleForms`. */
export const paidIn = (forms: ReadonlyMap<string, StoredInvoice>) => (invoice_no: string): boolean => forms.get(invoice_no)?.status === 'paid';

/** Each line of a request with its state, as a message to the dealer names them. */
export const lineNotices = (request: MaterialRequest, paid: (invoice_no: string) => boolean): RequestLineNotice[] =>
  request.lines.map((l) => ({ line: l.line, part_code: l.part_code, qty: l.qty, state: lineState(l, paid) }));
