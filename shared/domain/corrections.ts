/**
 * Ledger corrections (domain.md, reconciliation rule 7): a shipment or return line recorded
 * wrong is never edited; a correction entry beside it names the line, the corrected quantity
 * (0 cancels the line) and the reason, with who and when. Readers of the ledger see each line
 * at its latest correction's quantity.
 */
import { CORRECTED_QTY_BOUNDS } from './bounds.js';
import type { LedgerType } from './ledger-validation.js';

export interface LedgerCorrection {
  readonly type: LedgerType;
  /** The shipment or return id of the line corrected. */
  readonly id: string;
  readonly line: number;
  /** The dealer of the line, copied so that a dealer's ledger finds its corrections. */
  readonly dealer_code: string;
  /** The line's quantity as it stood before this correction. */
  readonly previous_qty: number;
  /** The corrected quantity; 0 cancels the line. */
  readonly qty: number;
  readonly reason: string;
  readonly by: string;
  /** ISO-8601 time it was recorded. */
  readonly at: string;
  /**
   * Its place in the line's history (1 for the first correction): orders a line's corrections,
   * and is the expected previous version of a correction being recorded — only one correction
   * can take each place, so `previous_qty` always chains. Absent on corrections recorded before
   * it was kept (they come first, in time order).
   */
  readonly sequence?: number;
}

/** Orders two corrections of one line: by their place in its history, then by time. */
export const correctionOrder = (a: LedgerCorrection, b: LedgerCorrection): number =>
  (a.sequence ?? 0) - (b.sequence ?? 0) || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0);

/** What a correction request may be refused for, before any line is looked up. */
export type CorrectionProblem = 'negative_qty' | 'not_whole' | 'too_large' | 'no_reason';

/** The problems of a requested correction: a quantity that is not a whole number from 0 to 9,999, or a blank reason. */
export function correctionProblems(request: { readonly qty: number; readonly reason: string }): CorrectionProblem[] {
  const problems: CorrectionProblem[] = [];
  if (!Number.isSafeInteger(request.qty)) problems.push('not_whole');
  else if (request.qty < 0) problems.push('negative_qty');
  else if (request.qty > CORRECTED_QTY_BOUNDS.max) problems.push('too_large');
  if (request.reason.trim() === '') problems.push('no_reason');
  return problems;
}

/** The key a correction and its line share. */
export const correctedLineKey = (type: LedgerType, id: string, line: number): string => `${type}#${id}#${line}`;

/**
 * The lines at their corrected quantities: each line takes its latest correction's quantity
 * (by `correctionOrder`, then order given); a line corrected to 0 stays with quantity 0, so that a charge
 * naming it can be credited. Lines without a correction come back as they are, in order.
 */
export function applyCorrections<L extends { readonly line: number; readonly qty: number }>(
  type: LedgerType,
  lines: readonly L[],
  idOf: (line: L) => string,
  corrections: readonly LedgerCorrection[],
): L[] {
  const latest = new Map<string, LedgerCorrection>();
  for (const c of corrections) {
    if (c.type !== type) continue;
    const key = correctedLineKey(type, c.id, c.line);
    const before = latest.get(key);
    if (before === undefined || correctionOrder(before, c) <= 0) latest.set(key, c);
  }
  return lines.map((line) => {
    const correction = latest.get(correctedLineKey(type, idOf(line), line.line));
    return correction === undefined ? line : { ...line, qty: correction.qty };
  });
}
