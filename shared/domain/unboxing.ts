/**
 * The unboxing phase acted on (domain.md, "Product phases": a written report at once, photos
 * where needed, listed for immediate attention): every installation of a dealer's current
 * report that names an unboxing problem (开箱问题) is an unboxing case, with a due date for the
 * department's written plan (书面方案), a status, and photos attached.
 *
 * Decisions the domain leaves open, taken here:
 * - **Opened by the report:** a case exists as soon as the installation report that names the
 *   problem is current; it is derived from the report, and only what the department does with
 *   it (plan, photos, closing) is stored. A re-upload without the problem drops an untouched
 *   case; one acted on stays, since its plan and photos are records of their own.
 * - **Due:** the written plan is due `days` after the installation date (configurable; "at
 *   once" in the seed, 2 days by default so that a report uploaded on the 3rd still lists its
 *   month's cases as overdue, not as not yet due).
 * - **Life:** open → planned (the written plan recorded, with who and when) → closed (with a
 *   note); an open case past its due date is overdue.
 */
import { addDays, compareDates, type IsoDate, type Period } from './dates.js';
import type { Installation } from './report-validation.js';
import type { LocalDateTime } from './values.js';

export const DEFAULT_PLAN_DAYS = 2;
export const MAX_PHOTOS = 20;
const MAX_TEXT = 2000;

export interface UnboxingCase {
  readonly dealer: string;
  readonly install_id: string;
  readonly period: Period;
  readonly product_model: string;
  readonly serial_no: string;
  readonly owner_name: string;
  readonly phone: string;
  readonly install_date: IsoDate;
  readonly issue: string;
  readonly due_date: IsoDate;
  readonly status: 'open' | 'planned' | 'closed';
  readonly plan: { readonly text: string; readonly by: string; readonly at: LocalDateTime } | null;
  readonly closed: { readonly note: string; readonly by: string; readonly at: LocalDateTime } | null;
  /** Object keys of the photos attached, in the order attached. */
  readonly photos: readonly string[];
  /** 0 while only derived from the report; 1 and on once stored. */
  readonly version: number;
}

/** The case an installation with an unboxing problem opens; none without one. */
export function caseOf(dealer: string, period: Period, installation: Installation, days: number = DEFAULT_PLAN_DAYS): UnboxingCase | undefined {
  if (installation.unboxing_issue === null || installation.unboxing_issue.trim() === '') return undefined;
  const { install_id, product_model, serial_no, owner_name, phone, install_date } = installation;
  return {
    dealer, install_id, period, product_model, serial_no, owner_name, phone, install_date,
    issue: installation.unboxing_issue.trim(), due_date: addDays(install_date, days), status: 'open', plan: null, closed: null, photos: [], version: 0,
  };
}

/** Whether the case is still waiting for its plan after its due date. */
export const isOverdue = (c: Pick<UnboxingCase, 'status' | 'due_date'>, today: IsoDate): boolean => c.status === 'open' && compareDates(today, c.due_date) > 0;

export interface CaseProblem {
  readonly field: string;
  readonly value: string | null;
  readonly message: string;
  readonly message_zh: string;
}

export type CaseStep =
  | { readonly kind: 'plan'; readonly text: string }
  | { readonly kind: 'close'; readonly note: string }
  | { readonly kind: 'photo'; readonly key: string };

/** One step of a case (pure): the plan written, a photo attached, the case closed; or why not. */
export function applyCaseStep(c: UnboxingCase, step: CaseStep, by: string, at: LocalDateTime): { readonly case: UnboxingCase } | { readonly problems: readonly CaseProblem[] } {
  const problem = (field: string, value: string | null, message: string, message_zh: string) => ({ problems: [{ field, value, message: `${field}: ${message}`, message_zh: `${field}：${message_zh}` }] });
  if (c.status === 'closed') return problem('status', c.status, `case ${c.install_id} is closed`, `开箱问题 ${c.install_id} 已关闭`);
  const next = { ...c, version: c.version + 1 };
  switch (step.kind) {
    case 'plan': {
      const text = step.text.trim();
      if (text === '' || text.length > MAX_TEXT) return problem('plan', step.text.slice(0, 40), `the written plan is required, at most ${MAX_TEXT} characters`, `必须填写书面方案，最多 ${MAX_TEXT} 字`);
      return { case: { ...next, status: 'planned', plan: { text, by, at } } };
    }
    case 'close': {
      const note = step.note.trim();
      if (c.plan === null) return problem('status', c.status, `case ${c.install_id} has no written plan yet: record the plan before closing it`, `开箱问题 ${c.install_id} 尚无书面方案，请先登记方案再关闭`);
      if (note === '' || note.length > MAX_TEXT) return problem('note', step.note.slice(0, 40), `a closing note is required, at most ${MAX_TEXT} characters`, `必须填写关闭说明，最多 ${MAX_TEXT} 字`);
      return { case: { ...next, status: 'closed', closed: { note, by, at } } };
    }
    case 'photo': {
      if (c.photos.length >= MAX_PHOTOS) return problem('photos', String(c.photos.length), `at most ${MAX_PHOTOS} photos per case`, `每个开箱问题最多 ${MAX_PHOTOS} 张照片`);
      if (c.photos.includes(step.key)) return { case: c };
      return { case: { ...next, photos: [...c.photos, step.key] } };
    }
  }
}

/**
 * The cases of a dealer's month: those the current report opens, with what the department
 * stored of each, and the stored ones acted on whose row has since left the report.
 */
export function mergeCases(derived: readonly UnboxingCase[], stored: readonly UnboxingCase[]): UnboxingCase[] {
  const byId = new Map(derived.map((c) => [c.install_id, c]));
  for (const s of stored) byId.set(s.install_id, s);
  return [...byId.values()].sort((a, b) => compareDates(a.due_date, b.due_date) || (a.install_id < b.install_id ? -1 : 1));
}
