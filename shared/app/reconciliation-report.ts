import type { ReconciliationWorkbookInput } from '../sheets/reconciliation-workbook.js';
import { periodBounds } from '../domain/dates.js';
import { partNamesOf } from '../domain/master.js';
import { unformedCharge, type UnformedRow } from '../domain/statistics.js';
import { forEachLimited } from './concurrency.js';
import type { LedgerStore, MasterStore, ReconciliationStore } from './ports.js';

/** Dealers whose month of ledger is read at once: three small queries each (shipments, returns, corrections), on the last dealer's time. */
const LEDGER_READS_IN_FLIGHT = 8;

/**
 * The 用户借料盘点表 of a period as of a date, from the dealers' stored reconciliations (so
 * it is the same whether the run was local or fanned out on AWS): every dealer and part,
 * every lot, the loans the cross-check flagged, and the charged shipments of the month that
 * no form names (the statistics' `unformedCharge`), for finance to form or explain. Null when
 * the period has not been reconciled as of that date.
 */
export async function reconciliationReport(
  deps: { master: MasterStore; reconciliations: ReconciliationStore; ledger: LedgerStore },
  period: string,
  as_of: string,
): Promise<ReconciliationWorkbookInput | null> {
  const results = await deps.reconciliations.dealerResults(period, as_of);
  if (results.length === 0) return null;
  const master = await deps.master.load();
  const { first, last } = periodBounds(period);
  const upTo = as_of < last ? as_of : last;
  const unformed = new Map<string, UnformedRow[]>();
  await forEachLimited(results, LEDGER_READS_IN_FLIGHT, async ({ dealer_code }) => {
    const { shipments } = await deps.ledger.dealerLedger(dealer_code, upTo, first);
    unformed.set(dealer_code, shipments.flatMap((line) => unformedCharge(line) ?? []));
  });
  return {
    period,
    as_of,
    dealers: results.map(({ flagged_loans, ...reconciliation }) => ({
      code: reconciliation.dealer_code,
      name: master.dealers.get(reconciliation.dealer_code)?.dealer_name ?? reconciliation.dealer_code,
      reconciliation,
      flagged: flagged_loans,
      unformed: unformed.get(reconciliation.dealer_code) ?? [],
    })),
    partNames: partNamesOf(master.parts),
  };
}
