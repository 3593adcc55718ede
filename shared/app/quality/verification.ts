import type { Caller } from '../../domain/access.js';
import type { BackOfficeConfig } from '../../config.js';
import { periodOf } from '../../domain/dates.js';
import { DEFAULT_SAMPLE_RULE, drawSample, recordCall, type CallOutcome, type OutcomeProblem, type VerificationCall } from '../../domain/verification.js';
import { authorize, Refusal } from '../access.js';
import type { Clock, MasterStore, ReportStore, VerificationStore } from '../ports.js';
import { repairsOf } from './scorecard.js';
import { businessNow } from './time.js';

export interface VerificationDeps {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly verification: VerificationStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'verificationSample' | 'verificationMarginPercent'>;
}

/** What recording one call came to. */
export type CallRecordResult =
  | { readonly status: 'recorded' | 'replaced' | 'unchanged'; readonly call: VerificationCall }
  | { readonly status: 'rejected'; readonly errors: readonly OutcomeProblem[] };

/** Attempts at a write that keeps losing the race to other writers of the same call before giving up. */
const WRITE_ATTEMPTS = 5;

/**
 * Records the outcome of the maker's call about one repair (`verification record`), by the
 * department. The repair is found on the dealer's current repair reports; its month is the
 * one its completion date falls in, and only a repair of that month's sample may be recorded
 * (the sample is what the maker committed to call: anything else would let the department
 * pick the repairs that flatter or damn a dealer). A repair called before is replaced with the
 * earlier outcome kept; a write that loses a race reads the call again and replaces that one,
 * so no outcome is lost from the history.
 */
export async function recordVerificationCall(deps: VerificationDeps, caller: Caller, dealer: string, repair_id: string, outcome: CallOutcome): Promise<CallRecordResult> {
  authorize(caller, 'record_verification');
  const master = await deps.master.load();
  if (!master.dealers.has(dealer)) throw new Refusal('not_found', `Dealer "${dealer}" is not in the master data`, `经销商编码“${dealer}”不在经销商名录中`);
  const repair = (await deps.reports.repairRecords(dealer, [repair_id])).get(repair_id);
  if (repair === undefined) {
    throw new Refusal('not_found', `Repair ${repair_id} is on no current repair report of dealer ${dealer}`, `经销商 ${dealer} 的现行维修报表中没有维修单 ${repair_id}`);
  }
  const period = periodOf(repair.completed_date);
  const sample = drawSample(dealer, period, (await repairsOf(deps.reports, dealer, period)) ?? [], deps.config.verificationSample ?? DEFAULT_SAMPLE_RULE);
  if (!sample.includes(repair_id)) {
    throw new Refusal(
      'invalid',
      `Repair ${repair_id} of dealer ${dealer} is not in the maker's sample of ${period} (${sample.join(', ') || 'none'}): only sampled repairs are called and recorded`,
      `经销商 ${dealer} 的维修单 ${repair_id} 不在 ${period} 的厂家抽查样本（${sample.join('、') || '无'}）中：只登记抽中的维修单`,
    );
  }
  const key = { dealer, period, repair_id };
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const existing = await deps.verification.find(dealer, period, repair_id);
    const applied = recordCall(existing, key, outcome, caller.subject, businessNow(deps.clock.now(), deps.config.businessTimeZone));
    if ('problems' in applied) return { status: 'rejected', errors: applied.problems };
    if (!applied.changed) return { status: 'unchanged', call: applied.call };
    if ((await deps.verification.save(applied.call)) === 'saved') return { status: existing === undefined ? 'recorded' : 'replaced', call: applied.call };
  }
  throw new Refusal('conflict', `The call about repair ${repair_id} keeps being recorded by someone else meanwhile; read it again`, `维修单 ${repair_id} 的回访结果正被他人同时登记，请重新读取`);
}
