/**
 * Material requests (发料申请) in the back office: the after-sales department works the queue
 * (approve, approve as another kind, reject, each with who and when kept); the warehouse ships
 * a line or every approved line with a date, after a confirmation, and downloads the issue slip. The dealer's side is requests-page.tsx. The page's
 * helpers come in as `PageTools`.
 */
import type { PageTools } from './master-data.js';
import { today } from './business-date.js';
import { lang, t } from './i18n.js';

type Json = any;

const KINDS = ['warranty_loan', 'charged', 'gift', 'office_supplies', 'promotional', 'special_approval'] as const;
const STATES = ['proposed', 'approved', 'rejected', 'awaiting_payment', 'shipped'] as const;

const reasonOf = (line: Json): string => (lang() === 'zh' ? line.reason_zh : line.reason);

function select(tools: PageTools, id: string, options: readonly string[], label: string): HTMLSelectElement {
  const el = tools.h('select', { id, 'aria-label': label }) as HTMLSelectElement;
  for (const option of options) el.append(tools.h('option', { value: option }, t(`rq_${option}`)));
  return el;
}

/** The lines of requests as a table: part, quantity, proposed kind and why, state, shipping; `actions` adds a cell per line. */
function linesTable(tools: PageTools, request: Json, actions?: (line: Json) => HTMLElement | null): HTMLElement {
  const { h } = tools;
  const head = ['rqLine', 'rqPart', 'rqQty', 'rqProposed', 'rqReason', 'rqState', 'rqShipment', 'rqDue'].map((w) => h('th', {}, t(w)));
  if (actions) head.push(h('th', {}, t('actions')));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'requests', 'data-request': request.request_id },
    h('thead', {}, h('tr', {}, ...head)),
    h('tbody', {}, ...request.lines.map((line: Json) => {
      const cells = [
        h('td', {}, String(line.line)),
        h('td', {}, line.part_code),
        h('td', { class: 'num' }, String(line.qty)),
        h('td', {}, `${t(`rq_${line.proposed_kind}`)}${line.unit_price === null ? '' : ` ¥${line.unit_price}`}`),
        h('td', { class: 'muted' }, reasonOf(line)),
        h('td', { 'data-state': line.state, class: 'state' }, `${t(`rq_${line.state}`)}${line.decision?.reason ? ` · ${line.decision.reason}` : ''}`),
        h('td', {}, line.shipment_id === null ? '' : `${line.shipment_id} · ${line.shipped_date}`),
        h('td', { class: 'due' }, line.due_date ?? ''),
      ];
      if (actions) cells.push(h('td', {}, actions(line)));
      return h('tr', { 'data-line': String(line.line) }, ...cells);
    }))));
}

/** The back office's queue: filter by dealer and state; the admin decides lines, the warehouse (and admin) ships. */
export function requestQueueCard(tools: PageTools, roles: readonly string[], initialState = ''): HTMLElement {
  const { h } = tools;
  const mayDecide = roles.includes('admin');
  const mayShip = roles.includes('admin') || roles.includes('warehouse');
  const dealerFilter = h('input', { id: 'rq-filter-dealer', placeholder: 'D001', 'aria-label': t('dealer') }) as HTMLInputElement;
  const stateFilter = select(tools, 'rq-filter-state', ['', ...STATES], t('rqState'));
  if ((STATES as readonly string[]).includes(initialState)) stateFilter.value = initialState;
  const queue = h('div', { id: 'rq-queue' });
  const live = h('div', { 'aria-live': 'polite', id: 'rq-queue-result' });
  const act = async (work: () => Promise<Json>, done: (answer: Json) => HTMLElement) => {
    try {
      live.replaceChildren(done(await work()));
      await refresh();
    } catch (error) {
      tools.showError(live, error);
    }
  };
  const decideCell = (request: Json) => (line: Json): HTMLElement | null => {
    if (!mayDecide || line.state !== 'proposed') return null;
    const base = `/api/dealers/${encodeURIComponent(request.dealer)}/requests/${encodeURIComponent(request.request_id)}/lines/${line.line}/decision`;
    const id = `${request.dealer}-${request.request_id}-${line.line}`;
    const kind = select(tools, `rq-kind-${id}`, KINDS, t('rqKind'));
    kind.value = line.proposed_kind;
    // A choice with nothing chosen, not a checkbox: a special approval must say whether the part comes back (no default).
    const returns = select(tools, `rq-return-${id}`, ['return_unset', 'return_yes', 'return_no'], t('rqReturnRequired'));
    const reason = h('input', { id: `rq-reason-${id}`, placeholder: t('rqReason'), 'aria-label': t('rqReason') }) as HTMLInputElement;
    const decided = (answer: Json) => tools.statusBox('ok', `${request.request_id} #${line.line}: ${t(`rq_${answer.line.state}`)}${answer.invoice ? ` · ${answer.invoice.invoice_no} ¥${answer.invoice.total}` : ''}`);
    const body = (outcome: 'approved' | 'rejected') => ({
      outcome,
      ...(reason.value.trim() === '' ? {} : { reason: reason.value.trim() }),
      ...(outcome === 'approved' && kind.value !== line.proposed_kind ? { kind: kind.value } : {}),
      ...(outcome === 'approved' && kind.value === 'special_approval' && returns.value !== 'return_unset' ? { return_required: returns.value === 'return_yes' } : {}),
    });
    return h('div', { class: 'row' }, kind, h('label', { for: `rq-return-${id}` }, t('rqReturnRequired')), returns, reason,
      h('button', { type: 'button', class: 'approve', 'data-line': String(line.line), click: tools.confirmed(`${t('rqApprove')} · ${request.request_id} #${line.line}`, () => void act(() => tools.api('POST', base, body('approved')), decided)) }, t('rqApprove')),
      h('button', { type: 'button', class: 'secondary reject', click: tools.confirmed(`${t('rqReject')} · ${request.request_id} #${line.line}`, () => void act(() => tools.api('POST', base, body('rejected')), decided)) }, t('rqReject')));
  };
  const shipDate = (request: Json): HTMLInputElement | null => document.getElementById(`rq-ship-date-${request.dealer}-${request.request_id}`) as HTMLInputElement | null;
  const shipped = (answer: Json) => h('div', {}, tools.statusBox('ok', `${t('rqShipped')} · ${answer.slip_no}`), tools.downloadLink(answer.slip_url, t('rqSlip'), 'rq-slip'));
  /** One approved line shipped on its own, with a confirmation: the warehouse ships what it has. */
  const lineCells = (request: Json) => (line: Json): HTMLElement | null => {
    const decide = decideCell(request)(line);
    if (decide !== null || !mayShip || line.state !== 'approved') return decide;
    const path = `/api/dealers/${encodeURIComponent(request.dealer)}/requests/${encodeURIComponent(request.request_id)}/ship`;
    return h('button', { type: 'button', class: 'secondary ship-line', 'data-line': String(line.line),
      click: tools.confirmed(`${t('rqShipLine')} · ${request.request_id} #${line.line}`, () => void act(() => tools.api('POST', path, { shipped_date: shipDate(request)?.value ?? today(), lines: [line.line] }), shipped)) }, t('rqShipLine'));
  };
  const shipRow = (request: Json): HTMLElement | null => {
    if (!mayShip || !request.lines.some((l: Json) => l.state === 'approved')) return null;
    const date = h('input', { type: 'date', value: today(), id: `rq-ship-date-${request.dealer}-${request.request_id}`, 'aria-label': t('rqShipDate') }) as HTMLInputElement;
    const path = `/api/dealers/${encodeURIComponent(request.dealer)}/requests/${encodeURIComponent(request.request_id)}/ship`;
    return h('div', { class: 'row' }, h('label', {}, t('rqShipDate')), date,
      h('button', { type: 'button', class: 'ship', click: tools.confirmed(`${t('rqShip')} · ${request.request_id}`, () => void act(() => tools.api('POST', path, { shipped_date: date.value }), shipped)) }, t('rqShip')));
  };
  const refresh = async () => {
    const query = new URLSearchParams();
    if (dealerFilter.value.trim() !== '') query.set('dealer', dealerFilter.value.trim());
    if (stateFilter.value !== '') query.set('status', stateFilter.value);
    try {
      const { requests } = await tools.api('GET', `/api/requests${query.size > 0 ? `?${query}` : ''}`);
      queue.replaceChildren(...(requests.length === 0 ? [h('p', { class: 'muted' }, t('rqNone'))] : requests.map((r: Json) =>
        h('div', { class: 'request' }, h('h3', {}, `${r.request_id} · ${r.dealer} · ${r.requested_date}`), linesTable(tools, r, lineCells(r)), shipRow(r)))));
    } catch (error) {
      tools.showError(queue, error);
    }
  };
  void refresh();
  return h('section', { class: 'card', 'aria-labelledby': 'h-rq-queue' },
    h('h2', { id: 'h-rq-queue' }, t('rqQueue')),
    h('div', { class: 'row' }, h('label', { for: 'rq-filter-dealer' }, t('dealer')), dealerFilter, h('label', { for: 'rq-filter-state' }, t('rqState')), stateFilter,
      h('button', { type: 'button', class: 'secondary', id: 'rq-filter', click: () => void refresh() }, t('rqFilter'))),
    live,
    queue);
}
