import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/domain/cells.js';
import { RETURN_FIELDS, SHIPMENT_FIELDS } from '../../shared/domain/fields.js';
import { createLedgerValidator, type LedgerContext } from '../../shared/domain/ledger-validation.js';
import { runTable, tableSheet } from '../helpers/rows.js';

const ctx: LedgerContext = {
  today: '2026-11-02',
  master: { hasDealer: (c) => ['D001', 'D002'].includes(c), hasPart: (c) => ['P-VALVE-01', 'P-SEAL-03'].includes(c) },
};

const shipment = (o: Record<string, CellValue> = {}) => ({ shipment_id: 'S1', shipped_date: '2026-07-10', dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 4, kind: '保修借料', ...o });
const returned = (o: Record<string, CellValue> = {}) => ({ return_id: 'R1', received_date: '2026-08-01', dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 1, ...o });

describe('shipments', () => {
  it('numbers the lines of one shipment id in file order, so a re-upload names the same lines', () => {
    const { entities, errors } = runTable(
      createLedgerValidator('shipments', ctx),
      tableSheet(SHIPMENT_FIELDS, [shipment(), shipment({ shipment_id: 'S2' }), shipment({ part_code: 'P-SEAL-03', kind: 'gift' })]),
    );
    expect(errors).toEqual([]);
    expect(entities.map((e) => [e.row, e.line.shipment_id, e.line.line, e.line.kind])).toEqual([
      [2, 'S1', 1, 'warranty_loan'],
      [3, 'S2', 1, 'warranty_loan'],
      [4, 'S1', 2, 'gift'],
    ]);
  });

  it('requires a special approval to say whether the part comes back, and keeps that answer', () => {
    const { entities, errors } = runTable(
      createLedgerValidator('shipments', ctx),
      tableSheet(SHIPMENT_FIELDS, [shipment({ kind: '特批' }), shipment({ shipment_id: 'S2', kind: '特批', return_required: '是' })]),
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'return_required', 'return_required_missing']]);
    expect(entities.map((e) => e.line.return_required)).toEqual([true]);
  });

  it('refuses unknown dealers and parts, a quantity of 0 and a shipment dated after the upload', () => {
    const { errors } = runTable(
      createLedgerValidator('shipments', ctx),
      tableSheet(SHIPMENT_FIELDS, [shipment({ dealer_code: 'D999' }), shipment({ part_code: 'NOPE' }), shipment({ qty: 0 }), shipment({ shipped_date: '2026-11-03' })]),
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'dealer_code', 'unknown_dealer'],
      [3, 'part_code', 'unknown_part'],
      [4, 'qty', 'not_positive'],
      [5, 'shipped_date', 'future_date'],
    ]);
  });
});

describe('returns', () => {
  it('reads a return line with its optional condition', () => {
    const { entities, errors } = runTable(createLedgerValidator('returns', ctx), tableSheet(RETURN_FIELDS, [returned({ condition: '破损' })]));
    expect(errors).toEqual([]);
    expect(entities[0]?.line).toEqual({ return_id: 'R1', line: 1, received_date: '2026-08-01', dealer_code: 'D001', part_code: 'P-VALVE-01', qty: 1, condition: '破损', remarks: null });
  });
});
