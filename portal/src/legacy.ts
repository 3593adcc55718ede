/**
 * The helpers of the portal's cards from before the React shell (issue 25): only the master-data
 * card (master-data.ts) is still hosted inside a page (pages.tsx `Legacy`) until a React page
 * replaces it; the upload with progress is shared with the React pages. The API and the session
 * come from session.ts.
 */
import { t, lang } from './i18n.js';
import { columnLabel } from './columns.js';
import { XLSX_CONTENT_TYPE } from '../../shared/sheets/content-type.js';
import Modal from 'antd/es/modal';
import { api, downloadFromApi, messageOf } from './session.js';
import { CursorTrail } from './paging.js';

type Json = any;

interface Issue {
  row: number | null;
  column: string | null;
  value: string | null;
  code: string;
  message: string;
  message_zh: string;
}

/** Builds an element; text goes in as text, never as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | ((e: Event) => void)> = {}, ...children: (Node | string | null)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name, value);
    else if (value === true) el.setAttribute(name, '');
    else if (value !== false) el.setAttribute(name, value);
  }
  for (const child of children) if (child !== null) el.append(child);
  return el;
}

/** A presigned link opens as a download; S3 names the file. */
export function downloadLink(url: string, label: string, id?: string): HTMLAnchorElement {
  return h('a', { href: url, class: 'button secondary', download: '', ...(id ? { id } : {}) }, label);
}

export function statusBox(kind: 'ok' | 'bad' | 'warn', text: string): HTMLElement {
  return h('div', { class: `status ${kind}`, role: kind === 'bad' ? 'alert' : 'status' }, text);
}

export function showError(where: HTMLElement, error: unknown): void {
  where.replaceChildren(statusBox('bad', error instanceof Error ? error.message : String(error)));
}

/** Where a list the API answers a page at a time stands: the cursor of the page shown, and the buttons to the next and previous pages. */
export interface Pager {
  readonly el: HTMLElement;
  /** The query parameter of the page to ask for (`&cursor=…`, or nothing for the first). */
  query(): string;
  /** What the page answered: whether there is a next one. */
  shown(next: string | null | undefined): void;
  /** Back to the first page (a filter changed). */
  reset(): void;
}

/** Previous and next buttons over the API's cursors (`next_cursor`), calling `load` for the page asked for. */
export function pager(id: string, load: () => void): Pager {
  const trail = new CursorTrail();
  const previous = h('button', { type: 'button', class: 'secondary', id: `${id}-previous`, disabled: true }, t('previousPage'));
  const following = h('button', { type: 'button', class: 'secondary', id: `${id}-next`, disabled: true }, t('nextPage'));
  previous.addEventListener('click', () => {
    if (trail.back()) load();
  });
  following.addEventListener('click', () => {
    if (trail.forward()) load();
  });
  return {
    el: h('div', { class: 'row pager' }, previous, following),
    query: () => {
      const cursor = trail.current();
      return cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    },
    shown(answered) {
      trail.shown(answered);
      previous.disabled = !trail.hasPrevious;
      following.disabled = !trail.hasNext;
    },
    reset: () => trail.reset(),
  };
}

/* ---------- uploads ---------- */

/** Runs `act` once the user confirms in a dialog: for every action that cannot be undone. */
export function confirmed(action: string, act: () => void): () => void {
  return () => {
    Modal.confirm({ title: action, content: t('cannotUndo'), okText: t('confirm'), cancelText: t('cancel'), onOk: act });
  };
}

/** Puts a file into S3 with the presigned POST, reporting progress; fetch cannot report upload progress, XHR can. */
export function postWithProgress(ticket: Json, file: File, progress: HTMLProgressElement | ((percent: number) => void)): Promise<void> {
  const report = typeof progress === 'function' ? progress : (percent: number) => {
    progress.value = percent;
  };
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.form.fields as Record<string, string>)) form.append(name, value);
    form.append('file', file);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', ticket.form.url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) report(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new Error(t('uploadFailed')))));
    xhr.addEventListener('error', () => reject(new Error(t('uploadFailed'))));
    xhr.send(form);
  });
}

export function dropZone(inputId: string, onFile: (file: File) => void): HTMLElement {
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

const rowLabel = (row: number): string => (lang() === 'zh' ? `第 ${row} 行` : `Row ${row}`);

/** The errors of a rejected upload, grouped by the row Excel shows, each with its column, value and reason. */
export function issuesByRow(issues: Issue[], total: number, title: string): HTMLElement {
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
        h('ul', {}, ...found.map((i) => {
          const where = `${i.column === null ? '' : columnLabel(i.column)}${i.value !== null ? ` = “${i.value}”` : ''}`;
          return h('li', {}, where === '' ? null : h('span', { class: 'muted' }, `${where}${lang() === 'zh' ? '：' : ': '}`), messageOf(i));
        }))),
    );
  }
  if (total > issues.length) list.append(h('p', { class: 'muted' }, t('moreInWorkbook')));
  return list;
}

/** The page's helpers, as the feature cards (portal/src/<feature>.ts) take them. */
export const pageTools = { h, api, postWithProgress, dropZone, statusBox, showError, downloadLink, issuesByRow, downloadFromApi, confirmed, pager };
