/**
 * The portal: one page for dealers (templates, uploads, errors, history), finance (invoices,
 * statuses, statistics) and the warehouse and admins (returns and shipments files). It holds
 * no secret: it signs in, keeps the token for the tab, and calls the HTTP API with it; files
 * go to and come from S3 through the presigned links the API hands out.
 */
import { t, type Lang, setLang, lang } from './i18n.js';
import { INSTALLATION_FIELDS, REPAIR_FIELDS, RETURN_FIELDS, SHIPMENT_FIELDS } from '../../shared/domain/fields.js';
import type { LedgerType } from '../../shared/domain/ledger-validation.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import type { AuthorizationServer } from 'oauth4webapi';
import { authorizationServer, completeSignIn, loadRuntimeConfig, refreshSession, signInUrl, signOutUrl, type RuntimeConfig, type Session } from './auth.js';
import { pollUntil } from './polling.js';
import { dateTime, previousMonth, scheduledAsOf, useBusinessTimeZone } from './business-date.js';
import { masterDataCard } from './master-data.js';
import { archiveSearchCard, complaintCard, dealerArchiveCard, disputeCard, disputeQueueCard, hazardCard, scorecardCard, unboxingCard, verificationCard } from './quality.js';
import { dealerRequestsCard, requestQueueCard } from './requests.js';
import { messagesCard, showUnread } from './notices.js';
import { positionCard } from './position.js';
import { balancesCard, consolidatedCard, correctionCard, flaggedLoanCard, formLifeCard } from './finance.js';

type Json = any;

interface Issue {
  row: number | null;
  column: string | null;
  value: string | null;
  code: string;
  message: string;
  message_zh: string;
}

const app = document.getElementById('app') as HTMLElement;
const SESSION_KEY = 'backoffice.session';
let me: Json = null;
let runtime: RuntimeConfig | null = null;
let issuer: AuthorizationServer | null = null;

const storedSession = (): Session | null => JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
const keepSession = (session: Session): void => sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));

/** The ID token to call the API with, renewed by the refresh token a minute before it expires. */
async function currentToken(): Promise<string | null> {
  const session = storedSession();
  if (session === null) return null;
  if (session.expiresAt - Date.now() > 60_000 || runtime === null || issuer === null) return session.idToken;
  const renewed = await refreshSession(runtime, issuer, session);
  if (renewed === null) return session.idToken;
  keepSession(renewed);
  return renewed.idToken;
}
/** Where the issuer sends the browser back after sign-in and sign-out: the portal's own root. */
const portalRoot = `${location.origin}/`;

/** Builds an element; text goes in as text, never as HTML. */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | ((e: Event) => void)> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name, value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  for (const child of children) if (child !== null) el.append(child);
  return el;
}

const msg = (issue: { message: string; message_zh: string }) => (lang() === 'zh' ? issue.message_zh : issue.message);

class ApiError extends Error {
  constructor(readonly status: number, readonly body: Json) {
    super(body?.error ? msg(body.error) : `HTTP ${status}`);
  }
}

async function api(method: string, path: string, body?: unknown): Promise<Json> {
  const token = await currentToken();
  const response = await fetch(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) {
    sessionStorage.removeItem(SESSION_KEY);
    void render();
    throw new ApiError(401, await response.json().catch(() => null));
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Saves a file the API answers with itself (templates), since a plain link cannot carry the token. */
async function downloadFromApi(path: string, fileName: string): Promise<void> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${(await currentToken()) ?? ''}` } });
  if (!response.ok) throw new ApiError(response.status, await response.json().catch(() => null));
  const url = URL.createObjectURL(await response.blob());
  const a = h('a', { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A presigned link opens as a download; S3 names the file. */
function downloadLink(url: string, label: string, id?: string): HTMLAnchorElement {
  return h('a', { href: url, class: 'button secondary', download: '', ...(id ? { id } : {}) }, label);
}

function statusBox(kind: 'ok' | 'bad' | 'warn', text: string): HTMLElement {
  return h('div', { class: `status ${kind}`, role: kind === 'bad' ? 'alert' : 'status' }, text);
}

function showError(where: HTMLElement, error: unknown): void {
  where.replaceChildren(statusBox('bad', error instanceof Error ? error.message : String(error)));
}

/* ---------- sign-in: the OpenID Connect issuer's page (locally, npm start's own issuer) ---------- */

async function signInView(): Promise<void> {
  const config = runtime;
  const server = issuer;
  if (config === null || server === null) {
    app.replaceChildren(statusBox('bad', t('signInFailed')));
    return;
  }
  const button = h('button', { type: 'button', id: 'signin', click: async () => location.assign(await signInUrl(config, server, portalRoot, sessionStorage)) }, t('signInWithAccount'));
  app.replaceChildren(h('section', { class: 'card' }, h('h2', {}, t('signInTitle')), h('p', { class: 'muted' }, t('signInAccount')), button));
}

/* ---------- uploads ---------- */

/** Puts a file into S3 with the presigned POST, reporting progress; fetch cannot report upload progress, XHR can. */
function postWithProgress(ticket: Json, file: File, progress: HTMLProgressElement): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.form.fields as Record<string, string>)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', ticket.form.url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) progress.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(t('uploadFailed')))));
    xhr.addEventListener('error', () => reject(new Error(t('uploadFailed'))));
    xhr.send(form);
  });
}

function dropZone(inputId: string, onFile: (file: File) => void): HTMLElement {
  const input = h('input', { type: 'file', id: inputId, accept: `.xlsx,${XLSX_CONTENT_TYPE}`, class: 'file' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) onFile(file);
    input.value = '';
  });
  const zone = h('div', { class: 'drop' }, h('label', { for: inputId }, t('chooseFile')), input, h('p', { class: 'muted' }, t('dropHint')));
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const file = e.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  return zone;
}

/** Column headings as the templates write them, so a dealer finds the column in the sheet. */
const HEADINGS = new Map([...INSTALLATION_FIELDS, ...REPAIR_FIELDS, ...SHIPMENT_FIELDS, ...RETURN_FIELDS].map((f) => [f.name, f.zh]));
const columnLabel = (name: string): string => (HEADINGS.has(name) ? `${HEADINGS.get(name)} (${name})` : name);
const rowLabel = (row: number): string => (lang() === 'zh' ? `第 ${row} 行` : `Row ${row}`);

/** The errors of a rejected upload, grouped by the row Excel shows, each with its column, value and reason. */
function issuesByRow(issues: Issue[], total: number, title: string): HTMLElement {
  const rows = new Map<string, Issue[]>();
  for (const issue of issues) {
    const key = issue.row === null ? t('wholeFile') : rowLabel(issue.row);
    rows.set(key, [...(rows.get(key) ?? []), issue]);
  }
  const list = h('div', { class: 'issues' }, h('h3', {}, `${title} (${total})`));
  for (const [row, found] of rows) {
    list.append(
      h('div', { class: 'errors-row' },
        h('strong', {}, row),
        h('ul', {}, ...found.map((i) => h('li', {}, h('span', { class: 'muted' }, `${i.column === null ? '' : columnLabel(i.column)}${i.value !== null ? ` = “${i.value}”` : ''}: `), msg(i))))),
    );
  }
  if (total > issues.length) list.append(h('p', { class: 'muted' }, t('moreInWorkbook')));
  return list;
}

function submissionResult(state: Json): HTMLElement {
  const s = state.submission;
  const box = h('div', { class: 'result', 'data-state': state.state });
  if (state.state === 'accepted') {
    box.append(statusBox(s.late ? 'warn' : 'ok', `${t('accepted')} · ${t('version')} ${s.version} · ${s.counts.records} ${t('records')}${s.late ? ` · ${t('late')}` : ''}`));
    if (s.histories !== undefined) box.append(h('p', { class: 'muted', 'data-histories': s.histories }, t(s.histories === 'pending' ? 'historiesPending' : 'historiesUpToDate')));
    if (s.warnings_total > 0) box.append(issuesByRow(s.warnings, s.warnings_total, t('warnings')));
    return box;
  }
  box.append(statusBox('bad', `${t('rejected')} · ${s.errors_total} ${t('errorsCount')}`));
  if (s.error_workbook_url) box.append(downloadLink(s.error_workbook_url, t('downloadAnnotated'), 'annotated'));
  box.append(issuesByRow(s.errors, s.errors_total, t('errors')));
  if (s.warnings_total > 0) box.append(issuesByRow(s.warnings, s.warnings_total, t('warnings')));
  return box;
}

function reportUploader(dealer: string, type: 'installation' | 'repair', period: () => string, onDone: () => void): HTMLElement {
  const progress = h('progress', { max: '100', value: '0', id: `progress-${type}`, 'aria-label': t('progress') }) as HTMLProgressElement;
  const live = h('div', { 'aria-live': 'polite', id: `result-${type}` });
  const upload = async (file: File) => {
    try {
      progress.value = 0;
      live.replaceChildren(statusBox('warn', t('uploading')));
      const ticket = await api('POST', `/api/dealers/${dealer}/uploads`, { type, period: period() });
      if (file.size > ticket.max_bytes) throw new Error(t('tooLarge'));
      await postWithProgress(ticket, file, progress);
      live.replaceChildren(statusBox('warn', t('checking')));
      const verdict = await pollUntil(async () => {
        const state = await api('GET', `/api/dealers/${dealer}/uploads/${type}/${period()}/${ticket.upload_id}`);
        return state.state === 'accepted' || state.state === 'rejected' ? state : undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      if (verdict === undefined) {
        live.replaceChildren(statusBox('warn', t('stillChecking')));
        return;
      }
      live.replaceChildren(submissionResult(verdict));
      onDone();
    } catch (error) {
      showError(live, error);
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': `h-${type}` },
    h('h2', { id: `h-${type}` }, t(type)),
    dropZone(`file-${type}`, (file) => void upload(file)),
    h('label', { for: `progress-${type}` }, t('progress')), progress, live);
}

/* ---------- dealer ---------- */

async function templatesCard(types: string[]): Promise<HTMLElement> {
  const { templates } = await api('GET', '/api/templates');
  const card = h('section', { class: 'card' }, h('h2', {}, t('templates')));
  const row = h('div', { class: 'row' });
  for (const tpl of templates.filter((x: Json) => types.includes(x.type))) {
    row.append(h('button', { type: 'button', class: 'secondary', id: `template-${tpl.type}`, click: () => void downloadFromApi(`/api/templates/${tpl.type}`, tpl.file_name) }, `${t('download')} ${lang() === 'zh' ? tpl.title.zh : tpl.title.en}`));
  }
  card.append(row);
  return card;
}

function historyCard(dealer: string, period: () => string): { card: HTMLElement; refresh: () => Promise<void> } {
  const body = h('div', { 'aria-live': 'polite' });
  const card = h('section', { class: 'card', id: 'history' }, h('h2', {}, t('history')), body);
  const refresh = async () => {
    try {
      const month = await api('GET', `/api/dealers/${dealer}/reports?period=${period()}`);
      body.replaceChildren(
        h('p', { class: 'muted' }, `${t('deadline')}: ${month.deadline}`),
        ...month.reports.map((report: Json) =>
          h('div', {},
            h('h3', {}, `${t(report.type)} `, h('span', { class: `badge ${report.marker}`, 'data-marker': report.marker }, t(report.marker))),
            report.versions.length === 0
              ? h('p', { class: 'muted' }, t('noVersions'))
              : h('div', { class: 'table-wrap' }, h('table', {},
                  h('thead', {}, h('tr', {}, h('th', {}, t('version')), h('th', {}, t('status')), h('th', {}, t('receivedAt')), h('th', { class: 'num' }, t('recordsHeading')))),
                  h('tbody', {}, ...report.versions.map((v: Json) =>
                    h('tr', {},
                      h('td', {}, String(v.version)),
                      h('td', {}, h('span', { class: `badge ${v.status}` }, t(v.status)), v.late ? h('span', { class: 'badge late' }, t('late')) : null),
                      h('td', {}, dateTime(v.received_at)),
                      h('td', { class: 'num' }, String(v.counts.records)))))))),
        ),
      );
    } catch (error) {
      showError(body, error);
    }
  };
  return { card, refresh };
}

function periodPicker(id: string, onChange: () => void): { el: HTMLElement; value: () => string } {
  const input = h('input', { type: 'month', id, value: previousMonth(), required: true });
  input.addEventListener('change', onChange);
  return { el: h('div', { class: 'row' }, h('label', { for: id }, t('period')), input), value: () => input.value };
}

async function dealerView(): Promise<void> {
  const dealer = me.dealer as string;
  const history = historyCard(dealer, () => picker.value());
  const picker = periodPicker('period', () => void history.refresh());
  app.replaceChildren(
    h('section', { class: 'card' }, h('h2', {}, `${me.dealer_name ?? ''} (${dealer})`), picker.el, h('p', { class: 'muted' }, t('dealerHint'))),
    await templatesCard(['installation', 'repair']),
    h('div', { class: 'grid' }, reportUploader(dealer, 'installation', picker.value, () => void history.refresh()), reportUploader(dealer, 'repair', picker.value, () => void history.refresh())),
    history.card,
    scorecardCard(pageTools, dealer), archiveSearchCard(pageTools),
    dealerRequestsCard(pageTools, dealer),
    positionCard(pageTools, dealer),
    disputeCard(pageTools),
    messagesCard(pageTools, refreshUnread),
    balancesCard(pageTools),
  );
  await history.refresh();
}

/* ---------- finance ---------- */

function barChart(rows: Json[]): SVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const width = 640;
  const barH = 14;
  const gap = 10;
  const height = rows.length * (barH * 2 + gap) + 30;
  const max = Math.max(1, ...rows.flatMap((r) => [r.installations, r.repairs]));
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'chart');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', t('chartLabel'));
  const el = (tag: string, attrs: Record<string, string | number>, text?: string) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
  };
  rows.forEach((r, i) => {
    const y = 20 + i * (barH * 2 + gap);
    el('text', { x: 0, y: y + barH }, r.dealer_code);
    el('rect', { x: 60, y, width: ((width - 120) * r.installations) / max, height: barH, fill: '#0b5cad' });
    el('text', { x: 64 + ((width - 120) * r.installations) / max, y: y + barH - 2 }, String(r.installations));
    el('rect', { x: 60, y: y + barH, width: ((width - 120) * r.repairs) / max, height: barH, fill: '#f0a500' });
    el('text', { x: 64 + ((width - 120) * r.repairs) / max, y: y + barH * 2 - 2 }, String(r.repairs));
  });
  el('text', { x: 60, y: 12, class: 'legend-installations' }, `■ ${t('installations')}`);
  el('text', { x: 220, y: 12, class: 'legend-repairs' }, `■ ${t('repairs')}`);
  return svg;
}

/** Asks for a workbook made off the request path until it is ready (the API says `preparing` meanwhile); undefined when the page gave up. */
function whenReady(ask: () => Promise<Json>): Promise<Json | undefined> {
  return pollUntil(async () => {
    const answer = await ask();
    return answer.status === 'ready' ? answer : undefined;
  }, (ms) => new Promise((r) => setTimeout(r, ms)));
}

async function financeView(): Promise<void> {
  const list = h('div', { 'aria-live': 'polite', id: 'invoices' });
  const stats = h('div', { 'aria-live': 'polite', id: 'statistics' });
  const dealerInput = h('input', { id: 'dealer-filter', placeholder: 'D001', size: '8', pattern: '[A-Za-z0-9_-]{1,32}' });
  const load = async () => {
    try {
      const query = `period=${picker.value()}${dealerInput.value ? `&dealer=${encodeURIComponent(dealerInput.value.trim())}` : ''}`;
      const data = await api('GET', `/api/invoices?${query}`);
      const rows = data.invoices.map((inv: Json) => {
        const select = h('select', { 'aria-label': `${t('newStatus')} ${inv.invoice_no}`, id: `status-${inv.invoice_no}` }, ...inv.next_statuses.map((s: string) => h('option', { value: s }, t(s))));
        return h('tr', {},
          h('td', {}, inv.invoice_no),
          h('td', {}, `${inv.dealer.code} ${inv.dealer.name}`),
          h('td', { class: 'num' }, `¥${inv.total}`),
          h('td', {}, h('span', { class: `badge ${inv.status}` }, t(inv.status))),
          h('td', {},
            h('button', { type: 'button', class: 'secondary', id: `download-${inv.invoice_no}`, click: async () => {
              const detail = await api('GET', `/api/invoices/${inv.invoice_no}`);
              if (detail.download_url) window.location.assign(detail.download_url);
            } }, t('download')),
            ' ',
            inv.next_statuses.length === 0 ? null : select,
            inv.next_statuses.length === 0 ? null : h('button', { type: 'button', click: async () => {
              try {
                await api('POST', `/api/invoices/${inv.invoice_no}/status`, { status: select.value });
                await load();
              } catch (error) {
                showError(list, error);
              }
            } }, t('apply'))));
      });
      list.replaceChildren(
        h('p', {}, `${t('invoiceCount')}: ${data.count} · ${t('total')}: ¥${data.total}`),
        h('div', { class: 'table-wrap' }, h('table', {},
          h('thead', {}, h('tr', {}, h('th', {}, t('invoiceNo')), h('th', {}, t('dealer')), h('th', { class: 'num' }, t('amount')), h('th', {}, t('status')), h('th', {}, t('actions')))),
          h('tbody', {}, ...rows))),
      );
    } catch (error) {
      showError(list, error);
    }
  };
  const loadStats = async () => {
    try {
      const period = picker.value();
      stats.replaceChildren(statusBox('warn', t('computing')));
      await api('POST', `/api/statistics/${period}`);
      stats.replaceChildren(statusBox('warn', t('preparingStats')));
      const data = await whenReady(() => api('GET', `/api/statistics/${period}`));
      if (data === undefined) {
        stats.replaceChildren(statusBox('warn', t('stillPreparing')));
        return;
      }
      stats.replaceChildren(
        h('p', {}, `${t('installations')}: ${data.totals.installations} · ${t('repairs')}: ${data.totals.repairs} · ${t('outbound')}: ${data.totals.outbound_qty}`),
        barChart(data.dealers),
        h('p', { class: 'muted', id: 'stats-made-at' }, `${t('madeAt')} ${dateTime(data.made_at)}`),
        downloadLink(data.workbook_url, t('downloadStats'), 'stats-download'),
      );
    } catch (error) {
      showError(stats, error);
    }
  };
  const asOf = h('input', { type: 'date', id: 'reconciliation-as-of' }) as HTMLInputElement;
  const reconciliation = h('div', { 'aria-live': 'polite', id: 'reconciliation' });
  const loadReconciliation = async () => {
    try {
      reconciliation.replaceChildren(statusBox('warn', t('computing')));
      const path = `/api/reconciliations/${picker.value()}?as_of=${asOf.value}`;
      const data = await whenReady(async () => {
        const answer = await api('GET', path);
        if (answer.status === 'preparing') reconciliation.replaceChildren(statusBox('warn', t('preparingReconciliation')));
        return answer;
      });
      if (data === undefined) {
        reconciliation.replaceChildren(statusBox('warn', t('stillPreparing')));
        return;
      }
      reconciliation.replaceChildren(
        h('p', {}, `${t('dealersReconciled')}: ${data.dealers} · ${t('flaggedLoans')}: ${data.flagged}`),
        downloadLink(data.workbook_url, t('downloadReconciliation'), 'reconciliation-download'),
      );
    } catch (error) {
      showError(reconciliation, error);
    }
  };
  const picker = periodPicker('period', () => {
    asOf.value = scheduledAsOf(picker.value());
    void load();
  });
  asOf.value = scheduledAsOf(picker.value());
  app.replaceChildren(
    h('section', { class: 'card' }, h('h2', {}, t('invoices')),
      h('div', { class: 'row' }, picker.el, h('label', { for: 'dealer-filter' }, t('dealer')), dealerInput, h('button', { type: 'button', id: 'search', click: () => void load() }, t('search'))),
      list),
    h('section', { class: 'card' }, h('h2', {}, t('statistics')), h('button', { type: 'button', id: 'load-stats', click: () => void loadStats() }, t('showStats')), stats),
    h('section', { class: 'card' }, h('h2', {}, t('reconciliation')), h('p', { class: 'muted' }, t('reconciliationHint')),
      h('div', { class: 'row' }, h('label', { for: 'reconciliation-as-of' }, t('asOf')), asOf,
        h('button', { type: 'button', id: 'load-reconciliation', click: () => void loadReconciliation() }, t('showReconciliation'))),
      reconciliation),
    scorecardCard(pageTools), archiveSearchCard(pageTools), dealerArchiveCard(pageTools),
    messagesCard(pageTools, refreshUnread),
    formLifeCard(pageTools),
    balancesCard(pageTools),
    consolidatedCard(pageTools),
  );
  await load();
}

/* ---------- warehouse and admin: returns and shipments ---------- */

function ledgerUploader(type: LedgerType): HTMLElement {
  const progress = h('progress', { max: '100', value: '0', id: `progress-${type}` }) as HTMLProgressElement;
  const live = h('div', { 'aria-live': 'polite', id: `result-${type}` });
  const upload = async (file: File) => {
    try {
      const ticket = await api('POST', `/api/ledger/${type}/uploads`);
      await postWithProgress(ticket, file, progress);
      live.replaceChildren(statusBox('warn', t('checking')));
      // The ledger worker records the file off the request path; a 200,000-row file takes minutes.
      const result = await pollUntil(async () => {
        const state = await api('GET', `/api/ledger/${type}/uploads/${ticket.upload_id}`);
        if (state.state === 'accepted' || state.state === 'rejected') return state;
        if (state.state === 'processing') live.replaceChildren(statusBox('warn', t('ledgerRecording')));
        return undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      if (result === undefined) {
        live.replaceChildren(statusBox('warn', t('ledgerStillRecording')));
        return;
      }
      if (result.state === 'accepted') {
        live.replaceChildren(statusBox('ok', `${t('accepted')} · ${result.counts.recorded} ${t('recorded')} · ${result.counts.already_recorded} ${t('alreadyRecorded')}`));
      } else {
        live.replaceChildren(statusBox('bad', `${t('rejected')} · ${result.errors_total} ${t('errorsCount')}`));
        if (result.error_workbook_url) live.append(downloadLink(result.error_workbook_url, t('downloadAnnotated')));
        live.append(issuesByRow(result.errors, result.errors_total, t('errors')));
      }
    } catch (error) {
      showError(live, error);
    }
  };
  return h('section', { class: 'card' }, h('h2', {}, t(type)), dropZone(`file-${type}`, (f) => void upload(f)), h('label', { for: `progress-${type}` }, t('progress')), progress, live);
}

async function backOfficeView(): Promise<void> {
  const roles = me.roles as string[];
  const parts: HTMLElement[] = [];
  if (roles.includes('admin')) parts.push(await templatesCard(['shipments', 'returns', 'master']), ledgerUploader('shipments'));
  else parts.push(await templatesCard(['returns']));
  parts.push(ledgerUploader('returns'));
  if (roles.includes('admin')) parts.push(masterDataCard({ h, api, postWithProgress, dropZone, statusBox, showError, downloadLink, issuesByRow, downloadFromApi }));
  if (roles.includes('admin')) parts.push(complaintCard(pageTools), unboxingCard(pageTools), hazardCard(pageTools), scorecardCard(pageTools), verificationCard(pageTools), archiveSearchCard(pageTools), dealerArchiveCard(pageTools));
  parts.push(requestQueueCard(pageTools, roles));
  if (roles.includes('admin')) parts.push(messagesCard(pageTools, refreshUnread));
  parts.push(correctionCard(pageTools, roles.includes('admin') ? ['shipments', 'returns'] : ['returns']));
  if (roles.includes('admin')) parts.push(flaggedLoanCard(pageTools));
  if (roles.includes('manager') || roles.includes('admin')) parts.push(disputeQueueCard(pageTools, roles.includes('manager')));
  app.replaceChildren(...parts);
}

/** The page's helpers, as the feature cards (portal/src/<feature>.ts) take them. */
const pageTools = { h, api, postWithProgress, dropZone, statusBox, showError, downloadLink, issuesByRow, downloadFromApi };

/* ---------- shell ---------- */

/** The unread count in the header, again after a message was read. */
const refreshUnread = (): void => void showUnread(pageTools, document.getElementById('who')!).catch(() => undefined);

async function render(): Promise<void> {
  document.documentElement.lang = lang() === 'zh' ? 'zh-CN' : 'en';
  document.getElementById('title')!.textContent = t('appTitle');
  document.getElementById('lang')!.textContent = lang() === 'zh' ? 'English' : '中文';
  document.getElementById('lang')!.setAttribute('lang', lang() === 'zh' ? 'en' : 'zh-CN');
  const signOut = document.getElementById('signout') as HTMLButtonElement;
  signOut.textContent = t('signOut');
  const who = document.getElementById('who')!;
  if (storedSession() === null) {
    me = null;
    signOut.hidden = true;
    who.textContent = '';
    return signInView();
  }
  try {
    me = await api('GET', '/api/me');
  } catch {
    return;
  }
  useBusinessTimeZone(me.business_time_zone);
  signOut.hidden = false;
  who.textContent = `${me.roles.map((r: string) => t(r)).join(', ')}${me.dealer ? ` · ${me.dealer}` : ''}`;
  refreshUnread();
  if (me.roles.includes('finance')) return financeView();
  if (me.roles.includes('dealer') && me.dealer) return dealerView();
  return backOfficeView();
}

document.getElementById('lang')!.addEventListener('click', () => {
  setLang((lang() === 'zh' ? 'en' : 'zh') as Lang);
  void render();
});
document.getElementById('signout')!.addEventListener('click', () => {
  const idToken = storedSession()?.idToken ?? null;
  sessionStorage.removeItem(SESSION_KEY);
  const away = runtime === null || issuer === null ? null : signOutUrl(runtime, issuer, portalRoot, idToken);
  if (away === null) void render();
  else location.assign(away);
});

/** Reads how to sign in, finishes a sign-in the issuer has just redirected back from, then shows the page. */
async function start(): Promise<void> {
  runtime = await loadRuntimeConfig();
  issuer = runtime === null ? null : await authorizationServer(runtime).catch(() => null);
  if (runtime !== null && issuer !== null && new URL(location.href).searchParams.has('code')) {
    const session = await completeSignIn(runtime, issuer, location.href, portalRoot, sessionStorage);
    history.replaceState(null, '', portalRoot);
    if (session === null) {
      await render();
      app.prepend(statusBox('bad', t('signInFailed')));
      return;
    }
    keepSession(session);
  }
  await render();
}
void start();
