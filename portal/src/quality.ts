/**
 * Service quality on the portal (issue 17): the month's scorecards (a dealer its own; finance
 * and the department every dealer, sortable by the worst figure) with twelve months side by
 * side, the end-user archive search, the department's complaint form with the overdue list,
 * and the dealer archive download. The page's helpers come in as `PageTools`.
 */
import type { PageTools } from './master-data.js';
import { t } from './i18n.js';
import { pollUntil } from './polling.js';
import { dateTime, previousMonth } from './business-date.js';
import type { Issue } from '../../shared/domain/issues.js';

type Json = any;

const FIGURES = ['reached_24h', 'completed_48h', 'satisfaction', 'complaint_rate'] as const;

const verdictText = (score: Json): string => (score.pass === null ? t('qNotScored') : score.pass ? t('qPass') : t('qFail'));

function figureCell(tools: PageTools, score: Json): HTMLElement {
  const { h } = tools;
  return h('td', { class: `num ${score.pass === false ? 'fail' : ''}`, 'data-pass': String(score.pass) },
    `${score.value ?? '–'}${score.value === null ? '' : ' %'} `,
    h('span', { class: `badge ${score.pass === false ? 'void' : score.pass ? 'paid' : 'draft'}` }, verdictText(score)),
    score.breaches.length === 0 ? null : h('div', { class: 'muted breaches' }, score.breaches.join(', ')));
}

/** The maker's verified figures beside the dealer's reported ones, flagged when short by more than the margin. */
function verifiedCell(tools: PageTools, verified: Json): HTMLElement {
  const { h } = tools;
  if (verified === null || verified === undefined) return h('td', { class: 'muted' }, '–');
  const pair = (line: Json) => `${line.value ?? '–'} / ${line.reported ?? '–'}${line.value === null ? '' : ' %'}`;
  return h('td', { class: `num ${verified.flag ? 'fail' : ''}`, 'data-flag': String(verified.flag) },
    h('div', {}, `${t('qVerifiedCalls')} ${verified.called}/${verified.sampled}`),
    h('div', {}, `${t('qVerifiedConfirmed')} ${pair(verified.confirmed)}`),
    h('div', {}, `${t('qVerifiedSatisfied')} ${pair(verified.satisfaction)}`),
    verified.flag ? h('span', { class: 'badge void' }, `${t('qVerifiedFlag')} > ${verified.margin}`) : null);
}

const figureHeader = (figure: (typeof FIGURES)[number]) => `${t(`q_${figure}`)} (${figure === 'complaint_rate' ? '<' : '≥'} ${figure === 'completed_48h' ? '100' : figure === 'reached_24h' ? '90' : figure === 'satisfaction' ? '85' : '3'} %)`;

/** Twelve months of one dealer side by side: a row per figure, a column per month. */
async function trendTable(tools: PageTools, dealer: string, last: string): Promise<HTMLElement> {
  const { h } = tools;
  const data = await tools.api('GET', `/api/scorecards/trend?last=${last}&dealer=${encodeURIComponent(dealer)}`);
  const months: Json[] = data.dealers[0]?.months ?? [];
  return h('div', { class: 'table-wrap' },
    h('h3', {}, `${t('qTrend')} · ${dealer}`),
    h('table', { id: `trend-${dealer}` },
      h('thead', {}, h('tr', {}, h('th', {}, ''), ...months.map((m) => h('th', {}, m.period)))),
      h('tbody', {},
        h('tr', {}, h('th', {}, t('qRepairs')), ...months.map((m) => h('td', { class: 'num' }, String(m.repairs)))),
        ...FIGURES.map((figure) => h('tr', {}, h('th', {}, t(`q_${figure}`)), ...months.map((m) => h('td', { class: `num ${m[figure].pass === false ? 'fail' : ''}` }, m[figure].value ?? '–')))))));
}

/**
 * The month's scorecards. `dealer` set: that dealer's only (a dealer's own page); unset: every
 * dealer, sortable by dealer code or by the worst figure.
 */
export function scorecardCard(tools: PageTools, dealer?: string): HTMLElement {
  const { h } = tools;
  const month = h('input', { type: 'month', id: 'scorecard-period', value: previousMonth(), required: true });
  const sort = h('select', { id: 'scorecard-sort', 'aria-label': t('qSort') }, h('option', { value: 'worst' }, t('qSortWorst')), h('option', { value: 'dealer' }, t('qSortDealer')));
  const live = h('div', { 'aria-live': 'polite', id: 'scorecards' });
  const trend = h('div', { id: 'scorecard-trend' });
  const showTrend = async (code: string) => {
    try {
      trend.replaceChildren(await trendTable(tools, code, month.value));
    } catch (error) {
      tools.showError(trend, error);
    }
  };
  const pages = tools.pager('scorecards', () => void load());
  const load = async () => {
    try {
      const query = `period=${month.value}${dealer === undefined ? `&sort=${sort.value}&limit=50${pages.query()}` : `&dealer=${encodeURIComponent(dealer)}`}`;
      const data = await tools.api('GET', `/api/scorecards?${query}`);
      pages.shown(data.next_cursor);
      if (data.dealers.length === 0) {
        live.replaceChildren(h('p', { class: 'muted' }, t('qNoScores')));
        return;
      }
      live.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { id: 'scorecard-table' },
        h('thead', {}, h('tr', {}, h('th', {}, t('dealer')), h('th', {}, t('qRepairs')), ...FIGURES.map((f) => h('th', {}, figureHeader(f))), h('th', {}, t('qVerified')), h('th', {}, t('qOverdueSteps')), h('th', {}, ''))),
        h('tbody', {}, ...data.dealers.map((card: Json) => h('tr', { 'data-dealer': card.dealer },
          h('td', {}, card.dealer),
          h('td', { class: 'num' }, String(card.repairs)),
          ...FIGURES.map((f) => figureCell(tools, card[f])),
          verifiedCell(tools, card.verified),
          h('td', { class: card.overdue_steps.length > 0 ? 'fail' : 'muted', 'data-overdue-steps': String(card.overdue_steps.length) },
            card.overdue_steps.length === 0 ? '–' : card.overdue_steps.map((o: Json) => `${o.complaint_id}: ${o.steps.map((s: Json) => t(`qo_${s.step}`)).join(', ')}`).join('; ')),
          h('td', {}, h('button', { type: 'button', class: 'secondary', id: `trend-button-${card.dealer}`, click: () => void showTrend(card.dealer) }, t('qTrend')))))))));
      if (dealer !== undefined) await showTrend(dealer);
    } catch (error) {
      tools.showError(live, error);
    }
  };
  const again = () => {
    pages.reset();
    void load();
  };
  month.addEventListener('change', again);
  sort.addEventListener('change', again);
  queueMicrotask(() => void load());
  return h('section', { class: 'card', 'aria-labelledby': 'h-scorecards' },
    h('h2', { id: 'h-scorecards' }, t('qScorecards')),
    h('p', { class: 'muted' }, t('qScorecardHint')),
    h('div', { class: 'row' }, h('label', { for: 'scorecard-period' }, t('period')), month, ...(dealer === undefined ? [h('label', { for: 'scorecard-sort' }, t('qSort')), sort] : [])),
    live, ...(dealer === undefined ? [pages.el] : []), trend);
}

function eventLine(tools: PageTools, event: Json): HTMLElement {
  const { h } = tools;
  const when = dateTime(String(event.at));
  let what: string;
  if (event.kind === 'installation') {
    what = `${t('qInstalled')} · ${t('qCommissioning')} ${event.commissioning === 'passed' ? t('qPassed') : t('qFailed')} · ${t('qPurchased')} ${event.purchase_date} · ${event.address}`;
  } else if (event.kind === 'repair') {
    const parts = event.parts.map((p: Json) => `${p.part_code}×${p.part_qty}`).join(', ');
    const loans = event.loans.map((l: Json) => `${l.shipment_id} ${l.part_code}×${l.qty} (${t(l.kind)})`).join(', ');
    what = `${event.service_type === 'return_visit' ? t('qReturnVisit') : t('qRepair')} ${event.id} · ${event.fault_description} → ${event.fault_cause} → ${event.action_taken}${parts ? ` · ${t('qParts')} ${parts}` : ''}${loans ? ` · ${t('qLoans')} ${loans}` : ''}`;
  } else {
    what = `${t('qComplaint')} ${event.id} · ${t(`qc_${event.category}`)}${event.service_fault ? ` · ${t('qServiceFault')}` : ''} · ${event.action_taken}`;
  }
  return h('li', { 'data-kind': event.kind, 'data-id': event.id }, h('strong', {}, `${when} `), h('span', { class: 'muted' }, `${event.dealer} `), what);
}

/** The end-user archive: a unit's whole history by serial number, owner phone or owner name. */
export function archiveSearchCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const by = h('select', { id: 'archive-by', 'aria-label': t('qSearchBy') }, h('option', { value: 'phone' }, t('qByPhone')), h('option', { value: 'serial' }, t('qBySerial')), h('option', { value: 'owner' }, t('qByOwner')));
  const term = h('input', { id: 'archive-term', required: true, size: '20' });
  const live = h('div', { 'aria-live': 'polite', id: 'archive-result' });
  const search = async () => {
    try {
      const data = await tools.api('GET', `/api/archive/units?${by.value}=${encodeURIComponent(term.value)}`);
      if (data.units.length === 0) {
        live.replaceChildren(h('p', { class: 'muted' }, t('qNoUnit')));
        return;
      }
      live.replaceChildren(...data.units.map((unit: Json) => h('div', { class: 'unit', 'data-serial': unit.serial_no },
        h('h3', {}, `${unit.product_model} · ${unit.serial_no}${unit.owner ? ` · ${unit.owner.name} ${unit.owner.phone}` : ''}`),
        h('ol', { class: 'history' }, ...unit.events.map((event: Json) => eventLine(tools, event))))));
    } catch (error) {
      tools.showError(live, error);
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'h-archive' },
    h('h2', { id: 'h-archive' }, t('qArchive')),
    h('p', { class: 'muted' }, t('qArchiveHint')),
    h('form', { class: 'row', id: 'archive-form', submit: (e: Event) => { e.preventDefault(); void search(); } },
      h('label', { for: 'archive-by' }, t('qSearchBy')), by, h('label', { for: 'archive-term' }, t('qTerm')), term,
      h('button', { type: 'submit', id: 'archive-search' }, t('search'))),
    live);
}

/** The complaint form's fields, in the workbook's order: name, input type, required. */
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

/** The dealer archive by region for a span of months, as a workbook. */
export function dealerArchiveCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const to = h('input', { type: 'month', id: 'archive-to', value: previousMonth(), required: true });
  const last = previousMonth();
  const from = h('input', { type: 'month', id: 'archive-from', value: `${Number(last.slice(0, 4)) - 1}${last.slice(4)}`, required: true });
  const live = h('div', { 'aria-live': 'polite', id: 'dealer-archive-result' });
  // At 2,000 dealers the archive takes minutes: the statistics worker makes it and the page waits for its link.
  const download = async () => {
    try {
      const span = { from: from.value, to: to.value };
      live.replaceChildren(tools.statusBox('warn', t('preparingArchive')));
      await tools.api('POST', '/api/dealer-archive', span);
      const ready = await pollUntil(async () => {
        const answer = await tools.api('GET', `/api/dealer-archive?from=${span.from}&to=${span.to}`);
        return answer.status === 'ready' ? answer : undefined;
      }, (ms) => new Promise((resolve) => setTimeout(resolve, ms)));
      live.replaceChildren(ready === undefined ? tools.statusBox('warn', t('stillPreparing')) : tools.downloadLink(ready.workbook_url, t('download'), 'dealer-archive-link'));
    } catch (error) {
      tools.showError(live, error);
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'h-dealer-archive' },
    h('h2', { id: 'h-dealer-archive' }, t('qDealerArchive')),
    h('p', { class: 'muted' }, t('qDealerArchiveHint')),
    h('div', { class: 'row' }, h('label', { for: 'archive-from' }, t('qFrom')), from, h('label', { for: 'archive-to' }, t('qTo')), to,
      h('button', { type: 'button', id: 'dealer-archive-download', click: () => void download() }, t('qMakeArchive'))),
    live);
}

/**
 * The department's return calls: the month's sample of each dealer's repairs, and the form
 * that records the outcome of a call about one of them.
 */
export function verificationCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const month = h('input', { type: 'month', id: 'verification-period', value: previousMonth(), required: true });
  const sample = h('div', { 'aria-live': 'polite', id: 'verification-sample' });
  const live = h('div', { 'aria-live': 'polite', id: 'verification-result' });
  const dealer = h('input', { id: 'verification-dealer', required: true, size: '8' });
  const repair = h('input', { id: 'verification-repair', required: true, size: '12' });
  const yesNo = (id: string, blank: boolean) => h('select', { id }, ...(blank ? [h('option', { value: '' }, '—')] : []), h('option', { value: 'yes' }, t('qYes')), h('option', { value: 'no' }, t('qNo')));
  const reached = yesNo('verification-reached', false);
  const confirmed = yesNo('verification-confirmed', true);
  const satisfaction = h('select', { id: 'verification-satisfaction' }, h('option', { value: '' }, '—'), ...['satisfied', 'fairly_satisfied', 'dissatisfied'].map((s) => h('option', { value: s }, t(`qSat_${s}`))));
  const field = (id: string, label: string, input: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), input);
  const pick = (code: string, id: string) => {
    dealer.value = code;
    repair.value = id;
  };
  const samplePages = tools.pager('verification-sample', () => void loadSample());
  const loadSample = async () => {
    try {
      const data = await tools.api('GET', `/api/verification/sample?period=${month.value}&limit=50${samplePages.query()}`);
      samplePages.shown(data.next_cursor);
      sample.replaceChildren(data.dealers.length === 0 ? h('p', { class: 'muted' }, t('qNoSample')) : h('ul', { id: 'verification-sample-list' }, ...data.dealers.map((d: Json) =>
        h('li', { 'data-dealer': d.dealer }, `${d.dealer} · ${d.sampled.length}/${d.repairs} `, ...d.sampled.map((id: string) => h('button', { type: 'button', class: 'secondary', 'data-repair': id, click: () => pick(d.dealer, id) }, id))))));
    } catch (error) {
      tools.showError(sample, error);
    }
  };
  const submit = async () => {
    const body = {
      dealer: dealer.value.trim(),
      repair_id: repair.value.trim(),
      reached: reached.value === 'yes',
      confirmed: confirmed.value === '' ? null : confirmed.value === 'yes',
      satisfaction: satisfaction.value === '' ? null : satisfaction.value,
    };
    try {
      const answer = await tools.api('POST', '/api/verification/calls', body);
      live.replaceChildren(tools.statusBox('ok', `${t(`qCall_${answer.status}`)} · ${answer.call.dealer} ${answer.call.repair_id} (${answer.call.period})`));
    } catch (error) {
      const errors = (error as { body?: Json }).body?.errors as Array<{ message: string; message_zh: string }> | undefined;
      if (errors === undefined) tools.showError(live, error);
      else live.replaceChildren(tools.statusBox('bad', errors.map((e) => `${e.message_zh} ${e.message}`).join('; ')));
    }
  };
  month.addEventListener('change', () => {
    samplePages.reset();
    void loadSample();
  });
  return h('section', { class: 'card', 'aria-labelledby': 'h-verification' },
    h('h2', { id: 'h-verification' }, t('qVerification')),
    h('p', { class: 'muted' }, t('qVerificationHint')),
    h('div', { class: 'row' }, h('label', { for: 'verification-period' }, t('period')), month, h('button', { type: 'button', class: 'secondary', id: 'verification-load', click: () => { samplePages.reset(); void loadSample(); } }, t('qLoadSample'))),
    sample, samplePages.el,
    h('form', { id: 'verification-form', class: 'grid', submit: (e: Event) => { e.preventDefault(); void submit(); } },
      field('verification-dealer', t('qf_dealer_code'), dealer), field('verification-repair', t('qRepairId'), repair),
      field('verification-reached', t('qReached'), reached), field('verification-confirmed', t('qConfirmed'), confirmed), field('verification-satisfaction', t('qSatisfactionAsked'), satisfaction),
      h('div', { class: 'row' }, h('button', { type: 'submit', id: 'verification-submit' }, t('qRecordCall')))),
    live);
}

/** The month's unboxing cases for immediate attention: the written plan, photos, closing. */
export function unboxingCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const month = h('input', { type: 'month', id: 'unboxing-period', value: previousMonth(), required: true });
  const list = h('div', { 'aria-live': 'polite', id: 'unboxing-cases' });
  const casePages = tools.pager('unboxing', () => void load());
  const load = async () => {
    try {
      const data = await tools.api('GET', `/api/unboxing?period=${month.value}&limit=50${casePages.query()}`);
      casePages.shown(data.next_cursor);
      list.replaceChildren(data.cases.length === 0 ? h('p', { class: 'muted' }, t('qNoUnboxing')) : h('ul', {}, ...data.cases.map((c: Json) => {
        const id = `${c.dealer}-${c.install_id}`;
        const path = `/api/unboxing/${encodeURIComponent(c.dealer)}/${c.period}/${encodeURIComponent(c.install_id)}`;
        const text = h('input', { id: `unboxing-text-${id}`, 'aria-label': c.status === 'open' ? t('qPlan') : t('qCloseNote'), placeholder: c.status === 'open' ? t('qPlan') : t('qCloseNote'), size: '30' });
        const photo = h('input', { type: 'file', accept: 'image/jpeg,image/png,image/heic,image/webp', id: `unboxing-photo-${id}`, 'aria-label': t('qAddPhoto') });
        const progress = h('progress', { max: '100', value: '0' });
        const act = (work: () => Promise<unknown>) => async () => {
          try {
            await work();
            await load();
          } catch (error) {
            tools.showError(list, error);
          }
        };
        photo.addEventListener('change', () => {
          const file = (photo as HTMLInputElement).files?.[0];
          if (file === undefined) return;
          void act(async () => {
            const answer = await tools.api('POST', `${path}/photos`, { content_type: file.type });
            await tools.postWithProgress({ form: answer.upload }, file, progress as HTMLProgressElement);
          })();
        });
        return h('li', { 'data-case': id, 'data-status': c.status, 'data-overdue': String(c.overdue) },
          c.overdue ? h('span', { class: 'badge void' }, t('qOverdueBadge')) : null,
          ` ${c.dealer} · ${c.install_id} · ${c.product_model} ${c.serial_no} · ${c.owner_name} ${c.phone} · ${c.issue} · ${t('qDue')} ${c.due_date} · ${t(`qu_${c.status}`)}`,
          c.plan ? h('div', { class: 'muted' }, `${t('qPlan')}: ${c.plan.text} (${c.plan.by} ${dateTime(String(c.plan.at))})`) : null,
          c.closed ? h('div', { class: 'muted' }, `${t('qCloseNote')}: ${c.closed.note} (${c.closed.by} ${dateTime(String(c.closed.at))})`) : null,
          ...c.photo_urls.map((url: string, i: number) => tools.downloadLink(url, `📷 ${i + 1}`)),
          ...(c.status === 'closed'
            ? []
            : [h('div', { class: 'row' }, text,
              h('button', { type: 'button', id: `unboxing-step-${id}`, click: () => void act(() => tools.api('POST', `${path}/steps`, c.status === 'open' ? { plan: text.value.trim() } : { close: text.value.trim() }))() }, c.status === 'open' ? t('qSavePlan') : t('qCloseCase')),
              photo, progress)]));
      })));
    } catch (error) {
      tools.showError(list, error);
    }
  };
  month.addEventListener('change', () => {
    casePages.reset();
    void load();
  });
  queueMicrotask(() => void load());
  return h('section', { class: 'card', 'aria-labelledby': 'h-unboxing' },
    h('h2', { id: 'h-unboxing' }, t('qUnboxing')),
    h('p', { class: 'muted' }, t('qUnboxingHint')),
    h('div', { class: 'row' }, h('label', { for: 'unboxing-period' }, t('period')), month),
    list, casePages.el);
}

/** Design hazards (设计隐患): a repair marked with a note, and the department's list. */
export function hazardCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const dealer = h('input', { id: 'hazard-dealer', placeholder: 'D001', size: '8' });
  const repair = h('input', { id: 'hazard-repair', size: '12', 'aria-label': t('qRepairId'), placeholder: t('qRepairId') });
  const note = h('input', { id: 'hazard-note', size: '30', 'aria-label': t('qHazardNote'), placeholder: t('qHazardNote') });
  const live = h('div', { 'aria-live': 'polite', id: 'hazard-result' });
  const list = h('div', { id: 'hazard-list' });
  const load = async () => {
    try {
      const data = await tools.api('GET', '/api/design-hazards');
      list.replaceChildren(data.hazards.length === 0 ? h('p', { class: 'muted' }, t('qNoHazards')) : h('ul', {}, ...data.hazards.map((x: Json) =>
        h('li', { 'data-repair': x.repair_id }, `${x.dealer} · ${x.repair_id} · ${x.product_model} ${x.serial_no} · ${x.fault_description} → ${x.fault_cause} · ${x.note} · ${x.marked_by} ${dateTime(String(x.marked_at))}`))));
    } catch (error) {
      tools.showError(list, error);
    }
  };
  const mark = async () => {
    try {
      await tools.api('POST', '/api/design-hazards', { dealer: dealer.value.trim(), repair_id: repair.value.trim(), note: note.value.trim() });
      live.replaceChildren(tools.statusBox('ok', `${t('qMarkHazard')} · ${repair.value.trim()}`));
      await load();
    } catch (error) {
      const errors = (error as { body?: Json }).body?.errors as Array<{ message: string; message_zh: string }> | undefined;
      if (errors === undefined) tools.showError(live, error);
      else live.replaceChildren(tools.statusBox('bad', errors.map((e) => `${e.message_zh} ${e.message}`).join('; ')));
    }
  };
  queueMicrotask(() => void load());
  return h('section', { class: 'card', 'aria-labelledby': 'h-hazards' },
    h('h2', { id: 'h-hazards' }, t('qHazards')),
    h('p', { class: 'muted' }, t('qHazardHint')),
    h('div', { class: 'row' }, dealer, repair, note, h('button', { type: 'button', id: 'hazard-mark', click: () => void mark() }, t('qMarkHazard'))),
    live, list);
}
