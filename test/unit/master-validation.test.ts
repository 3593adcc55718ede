import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/domain/cells.js';
import { DEALER_FIELDS, PART_FIELDS, PRODUCT_FIELDS } from '../../shared/domain/fields.js';
import { createMasterValidator, findMasterSheet } from '../../shared/domain/master-validation.js';
import { runTable, tableSheet } from '../helpers/rows.js';

const dealer = (o: Record<string, CellValue> = {}) => ({ dealer_code: 'D001', dealer_name: '华东', region: '华东', contact: '王', phone: 13800138001, payment_method: '转账', ...o });
const part = (o: Record<string, CellValue> = {}) => ({ part_code: 'P1', part_name: '阀', unit: '个', cost_price: '35.5', valid_from: '2026-01-01', ...o });

describe('master data', () => {
  it('reads a dealer, keeping a phone typed as a number as text and no window as the default', () => {
    const { entities: records, errors } = runTable(createMasterValidator('dealers'), tableSheet(DEALER_FIELDS, [dealer()]));
    expect(errors).toEqual([]);
    expect(records).toEqual([{ ...dealer(), phone: '13800138001', return_window_days: null }]);
  });

  it('refuses the same dealer code twice, naming the first row', () => {
    const { errors } = runTable(createMasterValidator('dealers'), tableSheet(DEALER_FIELDS, [dealer(), dealer()]));
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'dealer_code', 'duplicate_id']]);
    expect(errors[0]?.message).toContain('row 2');
  });

  it('refuses a return window or a warranty that is not a positive whole number', () => {
    const dealers = runTable(createMasterValidator('dealers'), tableSheet(DEALER_FIELDS, [dealer({ return_window_days: 0 })]));
    const products = runTable(createMasterValidator('products'), tableSheet(PRODUCT_FIELDS, [{ product_model: 'M', product_name: 'm', warranty_months: 1.5 }]));
    expect(dealers.errors.map((e) => e.code)).toEqual(['not_positive']);
    expect(products.errors.map((e) => [e.column, e.code])).toEqual([['warranty_months', 'invalid_integer']]);
  });

  it('keeps a price as an exact two-place decimal string and allows several prices per part on different dates', () => {
    const { entities: records, errors } = runTable(createMasterValidator('parts'), tableSheet(PART_FIELDS, [part(), part({ cost_price: 36.1, valid_from: '2026-07-01' })]));
    expect(errors).toEqual([]);
    expect(records.map((p) => [p.cost_price, p.valid_from])).toEqual([
      ['35.50', '2026-01-01'],
      ['36.10', '2026-07-01'],
    ]);
  });

  it('refuses a negative price, a price below the fen, and two prices for one part on one date', () => {
    const { errors } = runTable(
      createMasterValidator('parts'),
      tableSheet(PART_FIELDS, [part({ cost_price: '-1' }), part({ part_code: 'P2', cost_price: '1.005' }), part({ part_code: 'P3' }), part({ part_code: 'P3', cost_price: '9' })]),
    );
    expect(errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, 'cost_price', 'negative_amount'],
      [3, 'cost_price', 'too_many_decimals'],
      [5, 'valid_from', 'duplicate_id'],
    ]);
  });

  it('finds each sheet by its Chinese or English name', () => {
    expect(findMasterSheet('dealers', ['说明', '经销商名录', '产品', '配件'])).toBe('经销商名录');
    expect(findMasterSheet('parts', ['Dealers', 'Products', 'Parts'])).toBe('Parts');
    expect(findMasterSheet('products', ['经销商', '配件'])).toBeUndefined();
  });
});
