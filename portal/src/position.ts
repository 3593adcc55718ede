/**
 * A dealer's own position (issue 13): parts out by lot with their deadlines and days left,
 * returned, surplus and charged; its forms and balance; and the download of its own rows of
 * the 用户借料盘点表. Read-only: the API answers only for the dealer's own code.
 */
import { t } from './i18n.js';
import type { PageTools } from './master-data.js';

type Json = any;

function lotsTable(tools: PageTools, lots: Json[]): HTMLElement {
  const { h } = tools;
  const head = ['partCode', 'lot', 'shippedDate', 'dueDate', 'daysLeft', 'qtyOut', 'returnedQty', 'chargedQty', 'lotStatus'].map((w) => h('th', { scope: 'col' }, t(w)));
  return h('div', { class: 'table-wrap' }, h('table', { id: 'position-lots' },
    h('thead', {}, h('tr', {}, ...head)),
    h('tbody', {}, ...lots.map((l) => h('tr', { 'data-status': l.status },
      h('td', {}, `${l.part_code} ${l.part_name}`),
      h('td', {}, `${l.shipment_id}/${l.line}`),
      h('td', {}, l.shipped_date),
      h('td', {}, l.due_date),
      h('td', { class: l.days_left < 0 ? 'bad' : l.days_left <= 7 ? 'warn' : '' }, String(l.days_left)),
      h('td', {}, String(l.out)),
      h('td', {}, String(l.returned)),
      h('td', {}, String(l.charged)),
      h('td', {}, t(`lot_${l.status}`)))))));
}

/**
 * The dealer's own form, downloaded as finance does: the API answers only for the caller's own
 * forms with a presigned link to the printed workbook, null until the run has written it.
 */
async function downloadForm(tools: PageTools, invoiceNo: string, where: HTMLElement): Promise<void> {
  try {
    const detail = await tools.api('GET', `/api/invoices/${encodeURIComponent(invoiceNo)}`);
    if (detail.download_url) window.location.assign(detail.download_url);
    else where.replaceChildren(tools.statusBox('warn', t('formNotPrinted')));
  } catch (error) {
    tools.showError(where, error);
  }
}

function formsTable(tools: PageTools, forms: Json[]): HTMLElement {
  const { h } = tools;
  const result = h('div', { 'aria-live': 'polite', id: 'position-form-result' });
  return h('div', { class: 'table-wrap' }, h('table', { id: 'position-forms' },
    h('thead', {}, h('tr', {}, ...['invoiceNo', 'period', 'status', 'total', 'owed', 'download'].map((w) => h('th', { scope: 'col' }, t(w))))),
    h('tbody', {}, ...forms.map((f) => h('tr', {}, h('td', {}, f.invoice_no), h('td', {}, f.period), h('td', {}, t(f.status)), h('td', {}, `¥${f.total}`), h('td', {}, `¥${f.owed}`),
      h('td', {}, h('button', { type: 'button', class: 'secondary', id: `form-download-${f.invoice_no}`, 'aria-label': `${t('download')} ${f.invoice_no}`, click: () => void downloadForm(tools, f.invoice_no, result) }, t('download'))))))), result);
}

/** The card of the dealer's own position. */
export function positionCard(tools: PageTools, dealer: string): HTMLElement {
  const { h } = tools;
  const body = h('div', { 'aria-live': 'polite', id: 'position' });
  const load = async () => {
    try {
      const p = await tools.api('GET', `/api/dealers/${encodeURIComponent(dealer)}/position`);
      const surplus = (p.surplus as Json[]).map((s) => `${s.part_code} ${s.qty}`).join(', ') || '0';
      const parts: HTMLElement[] = [
        h('p', { id: 'position-summary' }, `${t('asOf')} ${p.as_of} · ${t('openLots')} ${p.open_lots} · ${t('returnedQty')} ${p.returned} · ${t('surplus')} ${surplus} · ${t('chargedQty')} ${p.charged_units} · ${t('balance')} ¥${p.balance}`),
        p.lots.length === 0 ? h('p', { class: 'muted' }, t('noLots')) : lotsTable(tools, p.lots),
        h('h3', {}, t('yourForms')),
        p.forms.length === 0 ? h('p', { class: 'muted' }, t('noForms')) : formsTable(tools, p.forms),
      ];
      if (p.reconciliation !== null) {
        const { period, as_of } = p.reconciliation;
        parts.push(h('button', { type: 'button', class: 'secondary', id: 'own-reconciliation', click: () => void tools.downloadFromApi(`/api/dealers/${encodeURIComponent(dealer)}/reconciliations/${period}?as_of=${as_of}`, `reconciliation-${dealer}-${period}-${as_of}.xlsx`).catch((error) => tools.showError(body, error)) }, `${t('downloadOwnReconciliation')} ${period}`));
      }
      body.replaceChildren(...parts);
    } catch (error) {
      tools.showError(body, error);
    }
  };
  void load();
  return h('section', { class: 'card', 'aria-labelledby': 'h-position', id: 'position-card' }, h('h2', { id: 'h-position' }, t('position')), body);
}
