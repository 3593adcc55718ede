/**
 * Correcting a recorded ledger line (reconciliation rule 7): the after-sales department its
 * shipment lines, the warehouse its return lines. The correction is kept beside the line,
 * which stays as recorded; the next reconciliation reads the corrected quantity (and credits
 * what a correction shows was charged wrongly).
 */
import type { Caller } from '../../domain/access.js';
import { CORRECTED_QTY_BOUNDS, outOfBoundsMessage, rangeText } from '../../domain/bounds.js';
import { correctionProblems, type LedgerCorrection } from '../../domain/corrections.js';
import type { LedgerType } from '../../domain/ledger-validation.js';
import { authorize, Refusal } from '../access.js';
import { ledgerLineKey, type Clock, type LedgerStore } from '../ports.js';

export interface CorrectionDeps {
  readonly ledger: LedgerStore;
  readonly clock: Clock;
}

export interface CorrectionRequest {
  readonly type: LedgerType;
  readonly id: string;
  readonly line: number;
  readonly qty: number;
  readonly reason: string;
}

/** A ledger line's history: the line as recorded, then every correction with who, when and why. */
export interface LineHistory {
  readonly type: LedgerType;
  readonly id: string;
  readonly line: number;
  readonly dealer: string;
  readonly part_code: string;
  readonly original_qty: number;
  /** The quantity the reconciliation reads now. */
  readonly qty: number;
  readonly corrections: readonly LedgerCorrection[];
}

const actionOf = (type: LedgerType): 'correct_shipments' | 'correct_returns' => (type === 'shipments' ? 'correct_shipments' : 'correct_returns');

async function lineHistory(ledger: LedgerStore, type: LedgerType, id: string, line: number): Promise<LineHistory | undefined> {
  const found = type === 'shipments' ? await ledger.find('shipments', [{ id, line }]) : await ledger.find('returns', [{ id, line }]);
  const recorded = found.get(ledgerLineKey(id, line));
  if (recorded === undefined) return undefined;
  const corrections = await ledger.corrections(recorded.dealer_code, type, id, line);
  return {
    type, id, line, dealer: recorded.dealer_code, part_code: recorded.part_code,
    original_qty: recorded.qty, qty: corrections.at(-1)?.qty ?? recorded.qty, corrections,
  };
}

const noSuchLine = (type: LedgerType, id: string, line: number): Refusal =>
  new Refusal(
    'not_found',
    `No ${type === 'shipments' ? 'shipment' : 'return'} line ${id} line ${line} is recorded: check the id and the line number`,
    `没有记录${type === 'shipments' ? '发货单' : '退料单'} ${id} 第 ${line} 行：请核对单号和行号`,
  );

/**
 * Records a correction of one ledger line and returns the line's history with it. Refused in
 * both languages: a quantity that is negative or not whole, a blank reason (409), a line never
 * recorded (404).
 */
export async function correctLedgerLine(deps: CorrectionDeps, caller: Caller, request: CorrectionRequest): Promise<LineHistory> {
  authorize(caller, actionOf(request.type));
  const problems = correctionProblems(request);
  if (problems.includes('negative_qty') || problems.includes('not_whole')) {
    throw new Refusal(
      'conflict',
      `Quantity ${request.qty} cannot be a corrected quantity: write a whole number of 0 or more (0 cancels the line)`,
      `更正数量 ${request.qty} 无效：应为 0 或正整数（0 表示取消该行）`,
    );
  }
  if (problems.includes('too_large')) {
    const { en, zh } = outOfBoundsMessage({ name: 'qty', zh: '更正数量' }, String(request.qty), rangeText(CORRECTED_QTY_BOUNDS));
    throw new Refusal('invalid', en, zh);
  }
  if (problems.includes('no_reason')) throw new Refusal('conflict', 'A correction needs a reason', '更正必须填写原因');
  const before = await lineHistory(deps.ledger, request.type, request.id, request.line);
  if (before === undefined) throw noSuchLine(request.type, request.id, request.line);
  const correction = {
    type: request.type, id: request.id, line: request.line, dealer_code: before.dealer,
    previous_qty: before.qty, qty: request.qty, reason: request.reason.trim(), by: caller.subject, at: deps.clock.now().toISOString(),
    sequence: before.corrections.length + 1,
  } satisfies LedgerCorrection;
  const outcome = await deps.ledger.correct(correction);
  if (outcome === 'missing') throw noSuchLine(request.type, request.id, request.line);
  if (outcome === 'stale') {
    const now = await lineHistory(deps.ledger, request.type, request.id, request.line);
    throw new Refusal(
      'conflict',
      `${request.id} line ${request.line} was corrected by someone else meanwhile (it reads ${now?.qty ?? '?'} now, not ${before.qty}); look at it again and correct it from there`,
      `${request.id} 第 ${request.line} 行刚被他人更正（现为 ${now?.qty ?? '?'}，不是 ${before.qty}）；请刷新后在此基础上重新更正`,
    );
  }
  return { ...before, qty: correction.qty, corrections: [...before.corrections, correction] };
}

/** One ledger line as recorded with its corrections, for whoever may correct it. */
export async function ledgerLineHistory(deps: Pick<CorrectionDeps, 'ledger'>, caller: Caller, type: LedgerType, id: string, line: number): Promise<LineHistory> {
  authorize(caller, actionOf(type));
  const history = await lineHistory(deps.ledger, type, id, line);
  if (history === undefined) throw noSuchLine(type, id, line);
  return history;
}
