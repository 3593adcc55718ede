/**
 * The one warranty decision (shared/domain/warranty.ts) applied to stored repairs, from the
 * facts on file when it is asked: the dealer's upload answer, the cross-check of loans and
 * the statistics each derive it again rather than trust what was stored at the upload, so a
 * repair uploaded before its unit's installation report follows the archive once it arrives.
 */
import type { MasterData } from '../../domain/master.js';
import type { Repair } from '../../domain/report-validation.js';
import { decideWarranty, type WarrantyDecision } from '../../domain/warranty.js';
import type { RepairCharging } from '../../domain/reconciliation.js';
import { archiveKey, type ArchiveEntry, type ArchiveStore, type ReportStore } from '../ports.js';

/** The decision for one repair of a dealer's report, given the archive's entry for its unit (if any). */
export function decideRepair(master: MasterData, dealer: string, repair: Repair, entry: ArchiveEntry | undefined): WarrantyDecision {
  return decideWarranty({
    stated: {
      dealer_code: dealer,
      purchase_date: repair.purchase_date,
      service_date: repair.completed_date,
      charge_cause: repair.charge_cause,
      service_type: repair.service_type,
      unboxing_problem: false,
    },
    archived: entry,
    warranty_months: master.products.get(repair.product_model)?.warranty_months ?? 0,
  });
}

/**
 * Phase and charging of a dealer's repairs by id, from its current repair reports and the
 * archive as they stand now; a repair no current report holds is absent.
 */
export async function currentRepairCharging(
  deps: { readonly reports: ReportStore; readonly archive: ArchiveStore },
  master: MasterData,
  dealer: string,
  repairIds: readonly string[],
): Promise<Map<string, RepairCharging>> {
  const repairs = await deps.reports.repairRecords(dealer, repairIds);
  const archived = repairs.size === 0 ? new Map<string, ArchiveEntry>() : await deps.archive.find([...repairs.values()]);
  const charging = new Map<string, RepairCharging>();
  for (const [id, repair] of repairs) {
    const { phase, materials_charged } = decideRepair(master, dealer, repair, archived.get(archiveKey(repair.product_model, repair.serial_no)));
    charging.set(id, { phase, materials_charged });
  }
  return charging;
}
