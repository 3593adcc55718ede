import type { ReconciliationWorkbookInput } from '../sheets/reconciliation-workbook.js';
import { partNamesOf } from '../domain/master.js';
import type { MasterStore, ReconciliationStore } from './ports.js';

/**
 * The 用户借料盘点表 of a period as of a date, from the dealers' stored reconciliations (so
 * it is the same whether the run was local or fanned out on AWS): every dealer and part,
 * every lot, the loans the cross-check flagged. Null when the period has not been
 * reconciled as of that date.
 */
export async function reconciliationReport(
  deps: { master: MasterStore; reconciliations: ReconciliationStore },
  period: string,
  as_of: string,
): Promise<ReconciliationWorkbookInput | null> {
  const results = await deps.reconciliations.dealerResults(period, as_of);
  if (results.length === 0) return null;
  const master = await deps.master.load();
  return {
    period,
    as_of,
    dealers: results.map(({ flagged_loans, ...reconciliation }) => ({
      code: reconciliation.dealer_code,
      name: master.dealers.get(reconciliation.dealer_code)?.dealer_name ?? reconciliation.dealer_code,
      reconciliation,
      flagged: flagged_loans,
    })),
    partNames: partNamesOf(master.parts),
  };
}
