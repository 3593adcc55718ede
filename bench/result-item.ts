import { addDays, addMonths } from '../shared/domain/dates.js';
import { reconcileDealer, type DealerReconciliation, type LedgerReturn, type LedgerShipment } from '../shared/domain/reconciliation.js';
import { parseYuan } from '../shared/domain/money.js';
import { resultItem } from '../shared/store/dynamo-reconciliation-store.js';
import { MemoryReconciliationStore } from '../test/helpers/memory/reconciliation-store.js';
import { itemSize } from './item-size.js';

/**
 * `npx tsx bench/result-item.ts [YEARS] [LOTS_A_MONTH]` (`npm run bench -- result-item`, issue 23):
 * the size of one dealer's reconciliation result item as its history grows, against
 * DynamoDB's 400 KB item limit. YEARS years (default 10) of LOTS_A_MONTH one-unit warranty
 * loans a month (default 100) over four parts, 95 of each month's returned within the 60-day
 * window and 5 kept (charged by the run after their deadline); the month is reconciled on the
 * 5th of the next month with the charges fed back, and saved in the memory reconciliation
 * store, which keeps what the DynamoDB store keeps. Per year's last run: lots in the
 * reconciliation, the item as it was written before closed lots left it (every lot) and as
 * it is written now (open lots only), in DynamoDB's item-size bytes, and the closed-lot
 * versions written that year. Asserts nothing; one JSON line last.
 */
const years = Number(process.argv[2] ?? 10);
const lotsAMonth = Number(process.argv[3] ?? 100);
const DEALER = 'D001';
const PARTS = ['P-VALVE-01', 'P-SEAL-03', 'P-PUMP-02', 'P-BOARD-04'];
const prices = { costOn: () => parseYuan('35.50') };
const LIMIT = 400 * 1024;

const store = new MemoryReconciliationStore();
const shipments: LedgerShipment[] = [];
const returns: LedgerReturn[] = [];
const charges = new Map<string, number>();
const rows: Array<{ year: number; lots: number; before_bytes: number; after_bytes: number; open_lots: number; versions: number }> = [];
let versionsBefore = 0;

console.log('year  lots in run   item before (every lot)   item now (open lots)   open lots   closed-lot versions written');
for (let month = 0; month < years * 12; month++) {
  const first = addMonths('2017-01-01', month);
  const period = first.slice(0, 7);
  for (let n = 0; n < lotsAMonth; n++) {
    const shipped_date = addDays(first, n % 28);
    const part_code = PARTS[n % PARTS.length] as string;
    shipments.push({ shipment_id: `S${period}-${String(n).padStart(3, '0')}`, line: 1, shipped_date, dealer_code: DEALER, part_code, qty: 1, kind: 'warranty_loan', return_required: null, return_window_days: 60 });
    if (n % 20 !== 19) returns.push({ received_date: addDays(shipped_date, 20 + (n % 30)), dealer_code: DEALER, part_code, qty: 1 });
  }
  const as_of = addDays(addMonths(first, 1), 4);
  const run: DealerReconciliation = reconcileDealer({ dealer_code: DEALER, return_window_days: 60, shipments, returns, previous_charges: charges, as_of, prices });
  for (const c of run.new_charges) charges.set(c.lot_id, (charges.get(c.lot_id) ?? 0) + c.qty);
  await store.saveDealer(period, run, []);
  if (month % 12 === 11) {
    const stored = store.storedResult(period, as_of, DEALER);
    if (stored === undefined) throw new Error(`no result for ${period}`);
    const { flagged_loans, ...now } = stored;
    const versions = store.closedLotVersionCount(DEALER);
    const row = {
      year: (month + 1) / 12,
      lots: run.lots.length,
      before_bytes: itemSize(resultItem(period, run, [], 0)),
      after_bytes: itemSize(resultItem(period, now, flagged_loans, 0)),
      open_lots: now.lots.length,
      versions: versions - versionsBefore,
    };
    versionsBefore = versions;
    rows.push(row);
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB${bytes > LIMIT ? ' (over 400 KB)' : ''}`;
    console.log(`${String(row.year).padStart(4)}  ${String(row.lots).padStart(11)}   ${kb(row.before_bytes).padStart(23)}   ${kb(row.after_bytes).padStart(20)}   ${String(row.open_lots).padStart(9)}   ${String(row.versions).padStart(27)}`);
  }
}
console.log(JSON.stringify({ years, lots_a_month: lotsAMonth, rows }));
