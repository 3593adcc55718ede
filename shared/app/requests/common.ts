import { Refusal } from '../access.js';
import type { RequestLineNotice } from '../../domain/notices.js';
import { lineState, type MaterialRequest } from '../../domain/request.js';
import type { StoredInvoice } from '../ports.js';
import { lifeOf } from '../../domain/invoice.js';
import { dealerBooks } from '../finance/journal.js';
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

/** The sale forms named by the requests' lines, by number, each with whether the journal shows it paid; each dealer's books read once. */
export async function saleForms(deps: Pick<RequestDeps, 'invoices' | 'journal' | 'clock'>, requests: readonly MaterialRequest[]): Promise<Map<string, { readonly form: StoredInvoice; readonly paid: boolean }>> {
  const dealers = new Set(requests.filter((r) => r.lines.some((l) => l.decision?.invoice_no)).map((r) => r.dealer_code));
  const forms = new Map<string, { form: StoredInvoice; paid: boolean }>();
  for (const dealer of dealers) {
    const books = await dealerBooks(deps, dealer);
    for (const form of books.forms) {
      if (form.kind !== 'sale') continue;
      const money = books.money(form);
      forms.set(form.invoice_no, { form, paid: lifeOf(form) !== 'void' && money.total > 0 && money.settlement === 'paid' });
    }
  }
  return forms;
}

/** Whether the sale form is paid — by its payments and credit notes, as the journal tells it — by the forms read with `saleForms`. */
export const paidIn = (forms: ReadonlyMap<string, { readonly paid: boolean }>) => (invoice_no: string): boolean => forms.get(invoice_no)?.paid === true;

/** Each line of a request with its state, as a message to the dealer names them. */
export const lineNotices = (request: MaterialRequest, paid: (invoice_no: string) => boolean): RequestLineNotice[] =>
  request.lines.map((l) => ({ line: l.line, part_code: l.part_code, qty: l.qty, state: lineState(l, paid) }));
