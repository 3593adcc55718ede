import { correctLedgerLine } from '../shared/app/finance/corrections.js';
import { reconcilePeriod, type ReconcileDeps } from '../shared/app/reconcile.js';
import { addDays } from '../shared/domain/dates.js';
import { chargedLotsOf, chargeRecordsOf, waivedLotsOf } from '../shared/domain/invoice.js';
import { priceListFrom, reconcileDealer } from '../shared/domain/reconciliation.js';
import type { ReturnLine, ShipmentLine } from '../shared/domain/ledger-validation.js';
import type { Dealer } from '../shared/domain/master.js';
import { DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { loadConfig } from '../shared/config.js';
import { memoryAdapters } from '../test/helpers/memory/index.js';

/**
 * `npx tsx bench/year-history.ts [DEALERS]` (`npm run bench -- year-history`): how a year of
 * history changes the reconciliation's time per dealer, on the in-memory ports. BENCH dealers
 * (default 1,000) each get a lot every week of 2026 and most of them back, a quarter of the
 * returns recorded a month late (credited at the next run), and one shipment line a month
 * corrected; the period is run at every month end, so each run reads the dealer's whole
 * ledger and every form, credit note and correction of the months before. Prints each
 * month's time per dealer (the whole run: stores, forms, the reconciliation workbook) and,
 * apart, the pure reconciliation's time per dealer with every input read beforehand, which
 * the in-memory stores' scans of every dealer's lines do not blur; then one JSON line.
 */
const dealersCount = Number(process.argv[2] ?? 1_000);
const adapters = memoryAdapters('2026-12-31T00:00:00.000Z');
const deps: ReconcileDeps = { ...adapters, config: loadConfig({}), renderInvoice: async () => new Uint8Array() };
const admin = { subject: 'bench', roles: new Set(['admin'] as const), dealer: null };
const dealers: Dealer[] = Array.from({ length: dealersCount }, (_, i) => ({
  dealer_code: `D${String(i).padStart(5, '0')}`, dealer_name: `经销商 ${i}`, region: '华东', contact: '联系人', phone: '13800000000', payment_method: '银行转账', return_window_days: 30,
}));
await adapters.master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });

const months: { month: string; ms_per_dealer: number; domain_ms_per_dealer: number; forms: number; credit_notes: number; ledger_lines: number; corrections: number }[] = [];
const prices = priceListFrom((await adapters.master.load()).parts);

/** The pure reconciliation of every dealer as of `asOf`, its inputs read first: milliseconds per dealer. */
async function domainOnly(asOf: string): Promise<number> {
  const inputs = [];
  for (const dealer of dealers) {
    const forms = (await adapters.invoices.chargeState(dealer.dealer_code)).invoices;
    const ledger = await adapters.ledger.dealerLedger(dealer.dealer_code, asOf);
    inputs.push({
      dealer_code: dealer.dealer_code, return_window_days: 30, shipments: ledger.shipments, returns: ledger.returns,
      previous_charges: chargedLotsOf(forms), charge_records: chargeRecordsOf(forms), waived: waivedLotsOf(forms), as_of: asOf, prices,
    });
  }
  const started = performance.now();
  for (const input of inputs) reconcileDealer(input);
  return (performance.now() - started) / dealersCount;
}
let lines = 0;
let corrections = 0;
for (let m = 1; m <= 12; m++) {
  const month = `2026-${String(m).padStart(2, '0')}`;
  const shipments: ShipmentLine[] = [];
  const returns: ReturnLine[] = [];
  for (const dealer of dealers) {
    for (let week = 0; week < 4; week++) {
      const shipped = addDays(`${month}-01`, week * 7);
      const id = `S-${dealer.dealer_code}-${month}-${week}`;
      shipments.push({ shipment_id: id, line: 1, shipped_date: shipped, dealer_code: dealer.dealer_code, part_code: 'P-VALVE-01', qty: 2, kind: 'warranty_loan', return_required: null, repair_id: null, remarks: null });
      // Three lots in four come back within the window; the last of them is recorded a month late.
      if (week < 3) returns.push({ return_id: `R-${id}`, line: 1, received_date: addDays(shipped, 20), dealer_code: dealer.dealer_code, part_code: 'P-VALVE-01', qty: 2, condition: null, remarks: null });
    }
  }
  const [inTime, late] = [returns.filter((_, i) => i % 3 !== 2), returns.filter((_, i) => i % 3 === 2)];
  await adapters.ledger.record('shipments', shipments, 'bench');
  await adapters.ledger.record('returns', inTime, 'bench');
  lines += shipments.length + inTime.length;
  for (const dealer of dealers) {
    await correctLedgerLine(adapters, admin, { type: 'shipments', id: `S-${dealer.dealer_code}-${month}-3`, line: 1, qty: 1, reason: 'bench' });
    corrections += 1;
  }
  const asOf = addDays(`${month}-01`, 59);
  const started = performance.now();
  const run = await reconcilePeriod(deps, { period: month, as_of: asOf, concurrency: 4 });
  const ms = performance.now() - started;
  await adapters.ledger.record('returns', late, 'bench-late');
  lines += late.length;
  const entry = {
    month, ms_per_dealer: Number((ms / dealersCount).toFixed(2)), domain_ms_per_dealer: Number((await domainOnly(asOf)).toFixed(3)), forms: run.invoices.length,
    credit_notes: run.invoices.filter((i) => i.kind === 'credit_note').length, ledger_lines: lines, corrections,
  };
  months.push(entry);
  console.log(`${month} as of ${asOf}: ${entry.ms_per_dealer.toFixed(2)} ms/dealer (reconcileDealer alone ${entry.domain_ms_per_dealer.toFixed(3)}), ${entry.forms} forms (${entry.credit_notes} credit notes), ${lines} ledger lines, ${corrections} corrections so far`);
}
const first = months[0]?.ms_per_dealer ?? 0;
const last = months.at(-1)?.ms_per_dealer ?? 0;
const [firstDomain, lastDomain] = [months[0]?.domain_ms_per_dealer ?? 0, months.at(-1)?.domain_ms_per_dealer ?? 0];
console.log(JSON.stringify({
  dealers: dealersCount, first_month_ms_per_dealer: first, last_month_ms_per_dealer: last, ratio: Number((last / first).toFixed(2)),
  first_month_domain_ms_per_dealer: firstDomain, last_month_domain_ms_per_dealer: lastDomain, peak_rss_mb: Math.round(process.memoryUsage().rss / 2 ** 20),
}));
