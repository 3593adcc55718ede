import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctLedgerLine } from '../../../shared/app/finance/corrections.js';
import { setFormStatus, type FormDeps } from '../../../shared/app/finance/form-life.js';
import { reconcilePeriod, type ReconcileDeps } from '../../../shared/app/reconcile.js';
import { addDays } from '../../../shared/domain/dates.js';
import { chargedLotsOf, chargeRecordsOf, waivedLotsOf } from '../../../shared/domain/invoice.js';
import { reconcileDealer } from '../../../shared/domain/reconciliation.js';
import { flatPrices, returned, shipment } from '../../helpers/ledger.js';
import { caller, demoBackOffice } from '../../helpers/memory/world.js';

/**
 * "Every unit lent is exactly once returned, charged, waived, credited-and-returned or still
 * out" (issue 12), after every step of random sequences of shipments, returns, corrections,
 * runs and voids on the in-memory ports. A credited unit is a returned one: the lot's charge is
 * net of its credits.
 */
type Step =
  | { readonly kind: 'ship'; readonly day: number; readonly qty: number }
  | { readonly kind: 'return'; readonly day: number; readonly qty: number }
  | { readonly kind: 'correct'; readonly which: number; readonly qty: number }
  | { readonly kind: 'run'; readonly days: number }
  | { readonly kind: 'void' };

const START = '2026-07-01';
const steps = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('ship' as const), day: fc.integer({ min: 0, max: 120 }), qty: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ kind: fc.constant('return' as const), day: fc.integer({ min: 0, max: 200 }), qty: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ kind: fc.constant('correct' as const), which: fc.nat(), qty: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ kind: fc.constant('run' as const), days: fc.integer({ min: 0, max: 40 }) }),
    fc.constant({ kind: 'void' as const }),
  ),
  { minLength: 1, maxLength: 14 },
);

async function replay(sequence: readonly Step[]): Promise<void> {
  const office = await demoBackOffice('2026-12-31T00:00:00.000Z');
  const deps: ReconcileDeps & FormDeps = { ...office, renderInvoice: async () => new Uint8Array() };
  const shipped: string[] = [];
  let asOf = '2026-09-01';
  let n = 0;
  for (const step of sequence) {
    n += 1;
    if (step.kind === 'ship') {
      const id = `S${n}`;
      shipped.push(id);
      await office.ledger.record('shipments', [shipment({ shipment_id: id, shipped_date: addDays(START, step.day), qty: step.qty })], 'p');
    } else if (step.kind === 'return') {
      await office.ledger.record('returns', [returned({ return_id: `R${n}`, received_date: addDays(START, step.day), qty: step.qty })], 'p');
    } else if (step.kind === 'correct' && shipped.length > 0) {
      const id = shipped[step.which % shipped.length] as string;
      await correctLedgerLine(office, caller('admin'), { type: 'shipments', id, line: 1, qty: step.qty, reason: 'property' });
    } else if (step.kind === 'run') {
      asOf = addDays(asOf, step.days);
      await reconcilePeriod(deps, { period: '2026-10', as_of: asOf });
    } else if (step.kind === 'void') {
      const draft = (await office.invoices.byPeriod('2026-10')).find((i) => i.status === 'draft' && i.kind !== 'credit_note');
      if (draft !== undefined) await setFormStatus(deps, caller('finance'), draft.invoice_no, 'void', 'property');
    }

    // Assess, after every step: the state as the next run at the last as-of date would read it.
    const forms = (await office.invoices.chargeState('D001')).invoices;
    const ledger = await office.ledger.dealerLedger('D001', '2026-12-31');
    const charged = chargedLotsOf(forms);
    const view = reconcileDealer({
      dealer_code: 'D001', return_window_days: 60, shipments: ledger.shipments, returns: ledger.returns,
      previous_charges: charged, charge_records: chargeRecordsOf(forms), waived: waivedLotsOf(forms), as_of: asOf, prices: flatPrices('35.50'),
    });
    for (const lot of view.lots) {
      expect(lot.returned + lot.charged + lot.waived + lot.open, lot.lot_id).toBe(lot.qty);
      expect(Math.min(lot.returned, lot.charged, lot.waived, lot.open), lot.lot_id).toBeGreaterThanOrEqual(0);
    }
    // A credit never exceeds what was charged: no lot's net charge is negative, and each charged lot's credits are within its charge.
    for (const [lot, units] of charged) expect(units, lot).toBeGreaterThan(0);
    const credits = forms.filter((f) => f.kind === 'credit_note').flatMap((f) => f.lines);
    for (const line of credits) expect(line.qty).toBeLessThan(0);
    // Charged units are charged once: no lot on two forms that are not void, other than its own credit notes.
    const chargingForms = new Map<string, Set<string>>();
    for (const form of forms.filter((f) => f.status !== 'void' && f.kind !== 'credit_note')) {
      for (const line of form.lines) if (line.lot !== null) chargingForms.set(line.lot.lot_id, new Set([...(chargingForms.get(line.lot.lot_id) ?? []), form.invoice_no]));
    }
    for (const [lot, names] of chargingForms) expect(names.size, lot).toBe(1);
  }
}

describe('every unit lent is exactly once returned, charged, waived, credited-and-returned or still out', () => {
  it('holds after every step of random sequences of shipments, returns, corrections, runs and voids', async () => {
    await fc.assert(fc.asyncProperty(steps, replay), { numRuns: 60 });
  }, 120_000);
});
