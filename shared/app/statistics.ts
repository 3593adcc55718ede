import { periodBounds } from '../domain/dates.js';
import { priceListFrom } from '../domain/reconciliation.js';
import { partNamesOf } from '../domain/master.js';
import { createStatistics, type MonthStatistics } from '../domain/statistics.js';
import type { InvoiceStore, LedgerStore, MasterStore, ReportStore } from './ports.js';
import { REPORT_TYPES } from '../domain/fields.js';

export interface StatisticsDeps {
  readonly master: MasterStore;
  readonly reports: ReportStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
}

export interface StatisticsResult {
  readonly statistics: MonthStatistics;
  readonly names: {
    readonly dealers: ReadonlyMap<string, string>;
    readonly parts: ReadonlyMap<string, string>;
    readonly products: ReadonlyMap<string, string>;
  };
}

/**
 * The month's statistics, streamed dealer by dealer from each dealer's current reports, its
 * ledger lines dated in the month and the month's invoices; records are added to counters
 * as they are read and never held.
 */
export async function monthStatistics(deps: StatisticsDeps, period: string): Promise<StatisticsResult> {
  const { first, last } = periodBounds(period);
  const master = await deps.master.load();
  const prices = priceListFrom(master.parts);
  const stats = createStatistics(period, { priceOf: (part, date) => prices.costOn(part, date) });
  for (const dealer of master.dealers.keys()) {
    for (const type of REPORT_TYPES) {
      const target = { dealer, type, period };
      const current = await deps.reports.currentVersion(target);
      if (current === undefined) continue;
      for await (const item of deps.reports.readItems(target, current.version)) {
        if (item.kind === 'installation') stats.addInstallation(dealer, item.record);
        else if (item.kind === 'repair') stats.addRepair(dealer, { ...item.record, ...item.classification });
        else stats.addPartLine(dealer, item.record);
      }
    }
    const ledger = await deps.ledger.dealerLedger(dealer, last, first);
    ledger.shipments.forEach((shipment) => stats.addShipment(shipment));
    ledger.returns.forEach((returned) => stats.addReturn(returned));
  }
  for (const invoice of await deps.invoices.byPeriod(period)) {
    // A void form charged nothing.
    if (invoice.status === 'void') continue;
    for (const line of invoice.lines) stats.addCharge(invoice.dealer.code, line);
  }
  return {
    statistics: stats.result(),
    names: {
      dealers: new Map([...master.dealers.values()].map((d) => [d.dealer_code, d.dealer_name])),
      parts: partNamesOf(master.parts),
      products: new Map([...master.products.values()].map((p) => [p.product_model, p.product_name])),
    },
  };
}
