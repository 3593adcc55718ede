/**
 * The ledger-correction card of the after-sales department and the warehouse (issue 12;
 * consolidated invoicing is consolidated-page.tsx). The page's helpers come in as `PageTools`, as in
 * master-data.ts.
 */
import { t } from './i18n.js';
import { dateTime } from './business-date.js';
import type { PageTools } from './master-data.js';

type Json = any;

/** A labelled text input. */
function field(tools: PageTools, id: string, label: string, attrs: Record<string, string> = {}): { el: HTMLElement; input: HTMLInputElement } {
  const input = tools.h('input', { id, ...attrs }) as HTMLInputElement;
  return { el: tools.h('span', {}, tools.h('label', { for: id }, label), ' ', input), input };
}

/** Correcting one ledger line (admin: shipments; warehouse: returns); the line's history after it. */
export function correctionCard(tools: PageTools, types: readonly ('shipments' | 'returns')[]): HTMLElement {
  const { h } = tools;
  const type = h('select', { id: 'correct-type', 'aria-label': t('ledgerType') }, ...types.map((ty) => h('option', { value: ty }, t(ty)))) as HTMLSelectElement;
  const id = field(tools, 'correct-id', t('lineId'), { size: '12' });
  const line = field(tools, 'correct-line', t('lineNo'), { size: '4', value: '1', inputmode: 'numeric' });
  const qty = field(tools, 'correct-qty', t('correctedQty'), { size: '4', inputmode: 'numeric' });
  const reason = field(tools, 'correct-reason', t('correctionReason'), { size: '24' });
  const out = h('div', { 'aria-live': 'polite', id: 'correct-result' });
  const submit = async () => {
    try {
      const history = await tools.api('POST', `/api/ledger/${type.value}/${encodeURIComponent(id.input.value.trim())}/lines/${line.input.value.trim()}/corrections`,
        { qty: Number(qty.input.value), reason: reason.input.value });
      out.replaceChildren(
        tools.statusBox('ok', `${history.id} #${history.line}: ${history.original_qty} → ${history.qty}`),
        h('ol', {}, ...history.corrections.map((c: Json) => h('li', {}, `${c.previous_qty} → ${c.qty} · ${c.by} · ${dateTime(c.at)} · ${c.reason}`))),
      );
    } catch (error) {
      tools.showError(out, error);
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'h-correct' },
    h('h2', { id: 'h-correct' }, t('correctLine')), h('p', { class: 'muted' }, t('correctHint')),
    h('div', { class: 'row' }, type, id.el, line.el, qty.el, reason.el, h('button', { type: 'button', id: 'correct-submit', click: tools.confirmed(t('correctLine'), () => void submit()) }, t('correct'))), out);
}

/**
 * The after-sales department's decision on a flagged loan (待核查借料, listed in the month's
 * 用户借料盘点表): its units still out go on the dealer's form of the period, naming the repair.
 */
export function flaggedLoanCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const id = field(tools, 'flagged-shipment', t('shipmentId'), { size: '14' });
  const line = field(tools, 'flagged-line', t('lineNo'), { size: '4', value: '1', inputmode: 'numeric' });
  const period = field(tools, 'flagged-period', t('period'), { size: '8', placeholder: '2026-10' });
  const out = h('div', { 'aria-live': 'polite', id: 'flagged-result' });
  const submit = async () => {
    try {
      const form = await tools.api('POST', `/api/flagged-loans/${encodeURIComponent(id.input.value.trim())}/lines/${line.input.value.trim()}/charge`, { period: period.input.value.trim() });
      out.replaceChildren(tools.statusBox('ok', `${form.invoice_no} · ${t(form.kind)} · ¥${form.total}`));
    } catch (error) {
      tools.showError(out, error);
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'h-flagged' },
    h('h2', { id: 'h-flagged' }, t('chargeFlaggedLoan')), h('p', { class: 'muted' }, t('chargeFlaggedHint')),
    h('div', { class: 'row' }, id.el, line.el, period.el, h('button', { type: 'button', id: 'flagged-submit', click: tools.confirmed(t('chargeFlaggedLoan'), () => void submit()) }, t('chargeFlagged'))), out);
}
