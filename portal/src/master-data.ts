/**
 * The admin's master-data card: the template, the workbook dropped through a presigned form,
 * and its verdict as the import function records it (dealers, products and the parts price
 * list loaded, or the file rejected whole with every error by sheet and the annotated workbook).
 * The page's own helpers come in as `PageTools`, so this module has no page state of its own.
 */
import { pollUntil } from './polling.js';
import { t } from './i18n.js';
import type { Issue } from '../../shared/domain/issues.js';
import type { Pager } from './legacy.js';

type Json = any;

const SHEETS = ['dealers', 'products', 'parts'] as const;

/** An issue of the master-data workbook names its sheet too: the same row number exists on three. */
type MasterIssue = Issue & { readonly sheet: (typeof SHEETS)[number] | null };

/** What the card borrows from the page (portal/src/main.ts). */
export interface PageTools {
  h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Record<string, string | boolean | ((e: Event) => void)>, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K];
  api(method: string, path: string, body?: unknown): Promise<Json>;
  postWithProgress(ticket: Json, file: File, progress: HTMLProgressElement): Promise<void>;
  dropZone(inputId: string, onFile: (file: File) => void): HTMLElement;
  statusBox(kind: 'ok' | 'bad' | 'warn', text: string): HTMLElement;
  showError(where: HTMLElement, error: unknown): void;
  downloadLink(url: string, label: string, id?: string): HTMLAnchorElement;
  issuesByRow(issues: MasterIssue[], total: number, title: string): HTMLElement;
  downloadFromApi(path: string, fileName: string): Promise<void>;
  /** A click handler that runs `act` once the user confirms an action that cannot be undone. */
  confirmed(action: string, act: () => void): () => void;
  /** Previous and next buttons over a list the API answers a page at a time. */
  pager(id: string, load: () => void): Pager;
}

/** The verdict: counts of an accepted file; the errors of a rejected one, sheet by sheet, and its annotated workbook. */
function verdictOf(tools: PageTools, state: Json): HTMLElement {
  const { h } = tools;
  const box = h('div', { class: 'result', 'data-state': state.state, id: 'master-result' });
  const counts = `${t('masterDealers')} ${state.counts.dealers} · ${t('masterProducts')} ${state.counts.products} · ${t('masterParts')} ${state.counts.parts}`;
  if (state.state === 'accepted') {
    box.append(tools.statusBox('ok', `${t('accepted')} · ${counts}`));
    return box;
  }
  box.append(tools.statusBox('bad', `${t('rejected')} · ${state.errors_total} ${t('errorsCount')} · ${t('masterNothingSaved')}`));
  if (state.error_workbook_url) box.append(tools.downloadLink(state.error_workbook_url, t('downloadAnnotated'), 'master-annotated'));
  const errors = state.errors as MasterIssue[];
  const whole = errors.filter((issue) => issue.sheet === null);
  if (whole.length > 0) box.append(tools.issuesByRow(whole, whole.length, t('errors')));
  for (const sheet of SHEETS) {
    const found = errors.filter((issue) => issue.sheet === sheet);
    if (found.length > 0) box.append(tools.issuesByRow(found, found.length, `${t('errors')} · ${t(`master${sheet[0]!.toUpperCase()}${sheet.slice(1)}`)}`));
  }
  if (state.errors_total > errors.length) box.append(h('p', { class: 'muted' }, t('moreInWorkbook')));
  return box;
}

/** The card: download the template, drop the workbook, watch it checked and loaded. */
export function masterDataCard(tools: PageTools): HTMLElement {
  const { h } = tools;
  const progress = h('progress', { max: '100', value: '0', id: 'progress-master', 'aria-label': t('progress') }) as HTMLProgressElement;
  const live = h('div', { 'aria-live': 'polite', id: 'result-master' });
  const upload = async (file: File) => {
    try {
      progress.value = 0;
      live.replaceChildren(tools.statusBox('warn', t('uploading')));
      const ticket = await tools.api('POST', '/api/master/uploads');
      if (file.size > ticket.max_bytes) throw new Error(t('tooLarge'));
      await tools.postWithProgress(ticket, file, progress);
      live.replaceChildren(tools.statusBox('warn', t('checking')));
      const verdict = await pollUntil(async () => {
        const state = await tools.api('GET', `/api/master/uploads/${ticket.upload_id}`);
        return state.state === 'accepted' || state.state === 'rejected' ? state : undefined;
      }, (ms) => new Promise((r) => setTimeout(r, ms)));
      live.replaceChildren(verdict === undefined ? tools.statusBox('warn', t('masterStillChecking')) : verdictOf(tools, verdict));
    } catch (error) {
      tools.showError(live, error);
    }
  };
  return h('section', { class: 'card', 'aria-labelledby': 'h-master' },
    h('h2', { id: 'h-master' }, t('masterData')),
    h('p', { class: 'muted' }, t('masterHint')),
    h('div', { class: 'row' },
      h('button', { type: 'button', class: 'secondary', id: 'master-template', click: () => void tools.downloadFromApi('/api/templates/master', 'master-data-template.xlsx').catch((error) => tools.showError(live, error)) }, t('masterTemplate'))),
    tools.dropZone('file-master', (file) => void upload(file)),
    h('label', { for: 'progress-master' }, t('progress')), progress, live);
}
