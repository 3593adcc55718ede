/**
 * Service quality on the portal (issue 17), the cards not yet rebuilt as pages (scorecards,
 * the complaints register, unboxing, the return calls, design hazards, the end-user and the dealer archives
 * are pages of their own): the department's complaint form with the overdue list. The page's helpers come in as `PageTools`.
 */
import type { PageTools } from './master-data.js';
import { t } from './i18n.js';
import type { Issue } from '../../shared/domain/issues.js';

type Json = any;

const FORM_FIELDS: ReadonlyArray<readonly [name: string, type: string, required: boolean]> = [
  ['complaint_id', 'text', true],
  ['received_at', 'datetime-local', true],
  ['dealer_code', 'text', true],
  ['customer_name', 'text', true],
  ['phone', 'tel', true],
  ['product_model', 'text', false],
  ['serial_no', 'text', false],
  ['category', 'select', true],
  ['service_fault', 'select', false],
  ['action_taken', 'text', false],
  ['first_reply_at', 'datetime-local', false],
  ['resolved_at', 'datetime-local', false],
  ['follow_up_date', 'date', false],
  ['follow_up_outcome', 'text', false],
];

const CATEGORIES = ['timeliness', 'attitude', 'repair_quality', 'product_quality', 'charges', 'other'];

/** The after-sales department's complaint form, and the complaints overdue now. */
export function complaintCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const fields = FORM_FIELDS.map(([name, type, required]) => {
    const id = `complaint-${name}`;
    const input = type === 'select'
      ? h('select', { id, name }, ...(name === 'category' ? CATEGORIES.map((c) => h('option', { value: c }, t(`qc_${c}`))) : [h('option', { value: '' }, '—'), h('option', { value: 'yes' }, t('qYes')), h('option', { value: 'no' }, t('qNo'))]))
      : h('input', { id, name, type, required });
    inputs.set(name, input);
    return h('div', { class: 'field' }, h('label', { for: id }, `${t(`qf_${name}`)}${required ? ' *' : ''}`), input);
  });
  const live = h('div', { 'aria-live': 'polite', id: 'complaint-result' });
  const overdue = h('div', { 'aria-live': 'polite', id: 'overdue' });
  const loadOverdue = async () => {
    try {
      const data = await tools.api('GET', '/api/complaints/overdue');
      overdue.replaceChildren(data.overdue.length === 0 ? h('p', { class: 'muted' }, t('qNoOverdue')) : h('ul', { id: 'overdue-list' }, ...data.overdue.map((o: Json) =>
        h('li', { 'data-id': o.complaint_id }, `${o.complaint_id} · ${o.dealer_code} · ${o.customer_name} · ${o.overdue.map((r: string) => t(`qo_${r}`)).join(', ')} · ${t('qOpenDays')} ${o.open_days}`))));
    } catch (error) {
      tools.showError(overdue, error);
    }
  };
  const submit = async () => {
    const body: Record<string, string | null> = {};
    for (const [name, input] of inputs) body[name] = input.value.trim() === '' ? null : input.value.trim();
    try {
      const answer = await tools.api('POST', '/api/complaints', body);
      live.replaceChildren(tools.statusBox('ok', `${t(`qs_${answer.status}`)} · ${answer.complaint.complaint_id}`));
      await loadOverdue();
    } catch (error) {
      const errors = (error as { body?: Json }).body?.errors as Issue[] | undefined;
      if (errors === undefined) tools.showError(live, error);
      else live.replaceChildren(tools.statusBox('bad', t('qNotRecorded')), tools.issuesByRow(errors.map((e) => ({ ...e, sheet: null })), errors.length, t('errors')));
    }
  };
  queueMicrotask(() => void loadOverdue());
  return h('section', { class: 'card', 'aria-labelledby': 'h-complaints' },
    h('h2', { id: 'h-complaints' }, t('qComplaints')),
    h('p', { class: 'muted' }, t('qComplaintHint')),
    h('form', { id: 'complaint-form', class: 'grid', submit: (e: Event) => { e.preventDefault(); void submit(); } },
      ...fields, h('div', { class: 'row' }, h('button', { type: 'submit', id: 'complaint-submit' }, t('qRecord')),
        h('button', { type: 'button', class: 'secondary', id: 'complaint-template', click: () => void tools.downloadFromApi('/api/templates/complaints', 'complaints-template.xlsx').catch((error) => tools.showError(live, error)) }, t('qTemplate')))),
    live,
    h('h3', {}, t('qOverdue')), overdue);
}
