import { businessDateOf, periodBounds } from '../domain/dates.js';
import { caseOf, DEFAULT_PLAN_DAYS, isOverdue, mergeCases, type UnboxingCase } from '../domain/unboxing.js';
import type { BackOfficeConfig } from '../config.js';
import { partNamesOf } from '../domain/master.js';
import { createStatistics, type MonthStatistics } from '../domain/statistics.js';
import { archiveKey, type ArchiveStore, type Clock, type ComplaintStore, type InvoiceStore, type JournalStore, type LedgerStore, type MasterStore, type ReportItem, type ReportStore, type UnboxingStore } from './ports.js';
import { dealerEntries } from './finance/journal.js';
import { decideRepair } from './warranty/repair-decisions.js';
import { REPORT_TYPES } from '../domain/fields.js';

export interface StatisticsDeps {
  readonly master: MasterStore;
  readonly reports: ReportStore;
  readonly archive: ArchiveStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  readonly journal: JournalStore;
  readonly clock: Clock;
  readonly complaints: ComplaintStore;
  /** The department's work on the month's unboxing cases, counted by status. */
  readonly unboxing?: UnboxingStore;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'unboxingPlanDays'>;
}

export interface StatisticsResult {
  readonly statistics: MonthStatistics;
  readonly names: {
    readonly dealers: ReadonlyMap<string, string>;
    readonly parts: ReadonlyMap<string, string>;
    readonly products: ReadonlyMap<string, string>;
  };
}

/** Repairs whose units are looked up in the archive in one call. */
const REPAIRS_PER_LOOKUP = 500;

/**
 * The month's statistics, streamed dealer by dealer from each dealer's current reports, its
 * ledger lines dated in the month and its receivables journal; records are added to counters
 * as they are read, never held beyond a chunk. The unboxing cases are counted by status as
 * the department's list shows them: opened by the installation report, merged with what was
 * done on them. Each repair's phase and charging is the warranty
 * decision from the archive as it stands now, not what was stored when it was uploaded.
 */
export async function monthStatistics(deps: StatisticsDeps, period: string): Promise<StatisticsResult> {
  const { first, last } = periodBounds(period);
  const master = await deps.master.load();
  const stats = createStatistics(period);
  const planDays = deps.config.unboxingPlanDays ?? DEFAULT_PLAN_DAYS;
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  for (const dealer of master.dealers.keys()) {
    const derivedCases: UnboxingCase[] = [];
    for (const type of REPORT_TYPES) {
      const target = { dealer, type, period };
      const current = await deps.reports.currentVersion(target);
      if (current === undefined) continue;
      let repairs: Extract<ReportItem, { kind: 'repair' }>[] = [];
      const addRepairs = async () => {
        const archived = await deps.archive.find(repairs.map((r) => r.record));
        for (const { record } of repairs) {
          const { phase, materials_charged } = decideRepair(master, dealer, record, archived.get(archiveKey(record.product_model, record.serial_no)));
          stats.addRepair(dealer, { ...record, phase, materials_charged });
        }
        repairs = [];
      };
      for await (const item of deps.reports.readItems(target, current.version)) {
        if (item.kind === 'installation') {
          stats.addInstallation(dealer, item.record);
          const opened = caseOf(dealer, period, item.record, planDays);
          if (opened !== undefined) derivedCases.push(opened);
        }
        else if (item.kind === 'repair') {
          repairs.push(item);
          if (repairs.length >= REPAIRS_PER_LOOKUP) await addRepairs();
        } else stats.addPartLine(dealer, item.record);
      }
      if (repairs.length > 0) await addRepairs();
    }
    if (deps.unboxing !== undefined) {
      for (const c of mergeCases(derivedCases, await deps.unboxing.cases(dealer, period))) stats.addUnboxingCase(c, isOverdue(c, today));
    }
    const ledger = await deps.ledger.dealerLedger(dealer, last, first);
    ledger.shipments.forEach((shipment) => stats.addShipment(shipment));
    ledger.returns.forEach((returned) => stats.addReturn(returned));
    stats.addJournal(await dealerEntries(deps, dealer));
  }
  for (const complaint of await deps.complaints.received(period, period)) stats.addComplaint(complaint);
  return {
    statistics: stats.result(),
    names: {
      dealers: new Map([...master.dealers.values()].map((d) => [d.dealer_code, d.dealer_name])),
      parts: partNamesOf(master.parts),
      products: new Map([...master.products.values()].map((p) => [p.product_model, p.product_name])),
    },
  };
}
