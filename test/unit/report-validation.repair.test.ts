import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../shared/domain/issues.js';
import { extraPartRow, repair, reportSheet, validate, type RowInput, type ValidationRun } from '../helpers/rows.js';

/** Where each error is and why, which is what these rules are about. */
const errorsOf = ({ summary }: ValidationRun): Pick<Issue, 'row' | 'column' | 'code'>[] =>
  summary.errors.map(({ row, column, code }) => ({ row, column, code }));

const validateRepairs = (records: readonly (RowInput | null)[]): ValidationRun => validate('repair', reportSheet('repair', records));

describe('a repair report', () => {
  it('yields the repair and its part line from a one-row repair', () => {
    // Act
    const run = validateRepairs([repair({ charge_cause: 'Misuse', customer_confirmed: '否', satisfaction: '基本满意' })]);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.entities).toEqual([
      {
        kind: 'repair',
        row: 2,
        record: {
          repair_id: 'R-001',
          called_at: '2026-10-05T09:00:00',
          arrived_at: '2026-10-05T15:30:00',
          completed_date: '2026-10-05',
          owner_name: '张敏',
          phone: '13900139000',
          address: '上海市徐汇区漕溪北路 1 号',
          product_model: 'WC-100',
          serial_no: 'SN-0001',
          purchase_date: '2025-06-01',
          fault_description: '冲水无力',
          fault_cause: '进水阀老化',
          action_taken: '更换进水阀',
          charge_cause: 'misuse',
          service_type: 'repair',
          customer_confirmed: false,
          satisfaction: 'fairly_satisfied',
        },
      },
      { kind: 'part_line', row: 2, record: { repair_id: 'R-001', part_code: 'P-VALVE-01', part_qty: 1 } },
    ]);
    expect(run.summary.counts).toEqual({ rows: 1, records: 1, part_lines: 1 });
  });

  it('accepts a repair the customer did not confirm (用户确认 否) with a warning naming its row, in both languages', () => {
    // Prepare: R-002 on row 3 was not confirmed; R-001 and its extra part row were
    const records = [repair(), extraPartRow('R-001', 'P-SEAL-03', '2'), repair({ repair_id: 'R-002', serial_no: 'SN-2', customer_confirmed: '否' })];
    // Act
    const run = validateRepairs(records);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.entities.filter((e) => e.kind === 'repair').map((e) => e.record)).toEqual([
      expect.objectContaining({ repair_id: 'R-001', customer_confirmed: true }),
      expect.objectContaining({ repair_id: 'R-002', customer_confirmed: false }),
    ]);
    expect(run.summary.warnings).toEqual([
      expect.objectContaining({ row: 4, column: 'customer_confirmed', value: '否', code: 'unconfirmed_repair' }),
    ]);
    const [warning] = run.summary.warnings;
    expect(warning?.message).toContain('R-002');
    expect(warning?.message_zh).toContain('未经客户确认');
  });

  it('property: every repair recorded unconfirmed has exactly one warning, on its first row', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (confirmed) => {
        const run = validateRepairs(confirmed.map((yes, i) => repair({ repair_id: `R-${i}`, serial_no: `SN-${i}`, customer_confirmed: yes ? '是' : 'no' })));
        const unconfirmedRows = confirmed.flatMap((yes, i) => (yes ? [] : [i + 2]));
        expect(run.summary.warnings.filter((w) => w.code === 'unconfirmed_repair').map((w) => w.row)).toEqual(unconfirmedRows);
        expect(run.summary.errors).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });

  it('yields a repair without part line when no part was used', () => {
    const run = validateRepairs([repair({ part_code: null, part_qty: null })]);
    expect(run.summary.errors).toEqual([]);
    expect(run.entities.map((e) => e.kind)).toEqual(['repair']);
    expect(run.summary.counts).toEqual({ rows: 1, records: 1, part_lines: 0 });
  });

  it('yields one repair and a part line per row for a repair spanning rows that leave its own fields blank', () => {
    // Prepare
    const records = [repair(), extraPartRow('R-001', 'P-SEAL-03', '２'), null, repair({ repair_id: 'R-002', serial_no: 'SN-2', part_code: null, part_qty: null })];
    // Act
    const run = validateRepairs(records);
    // Assess
    expect(run.summary.errors).toEqual([]);
    expect(run.entities.map((e) => [e.kind, e.row])).toEqual([
      ['repair', 2],
      ['part_line', 2],
      ['part_line', 3],
      ['repair', 5],
    ]);
    expect(run.entities[2]).toEqual({ kind: 'part_line', row: 3, record: { repair_id: 'R-001', part_code: 'P-SEAL-03', part_qty: 2 } });
    expect(run.summary.counts).toEqual({ rows: 3, records: 2, part_lines: 2 });
  });

  it('accepts extra rows that repeat the repair\'s own fields, however they are written', () => {
    // Prepare: the same values in other accepted spellings.
    const again = repair({ part_code: 'P-SEAL-03', completed_date: '2026/10/5', called_at: '2026年10月5日 9时00分', phone: 13900139000, charge_cause: '无' });
    // Act & Assess
    expect(validateRepairs([repair(), again]).summary.errors).toEqual([]);
  });

  it('refuses an extra row whose own field differs from the repair\'s first row, naming both', () => {
    // Prepare
    const records = [repair(), extraPartRow('R-001', 'P-SEAL-03', 1, { serial_no: 'SN-9999' })];
    // Act
    const run = validateRepairs(records);
    // Assess
    expect(run.summary.errors).toEqual([expect.objectContaining({ row: 3, column: 'serial_no', value: 'SN-9999', code: 'repair_conflict' })]);
    expect(run.summary.errors[0]?.message).toContain('"SN-0001" in row 2');
    expect(run.entities.map((e) => e.row)).toEqual([2, 2]);
  });

  it('requires the repair id on every row, and then only the id', () => {
    const run = validateRepairs([repair(), extraPartRow('', 'P-SEAL-03', 1)]);
    expect(errorsOf(run)).toEqual([{ row: 3, column: 'repair_id', code: 'required' }]);
  });

  it('requires the own fields on a repair\'s first row', () => {
    const run = validateRepairs([repair({ fault_cause: null })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'fault_cause', code: 'required' }]);
    expect(run.entities).toEqual([]);
  });

  it('refuses a completed date outside the report\'s month', () => {
    const run = validateRepairs([repair({ called_at: '2026-11-01 08:00', arrived_at: '2026-11-01 09:00', completed_date: '2026-11-01' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'completed_date', code: 'out_of_period' }]);
  });

  it('refuses an arrival before the call', () => {
    const run = validateRepairs([repair({ called_at: '2026-10-05 09:00', arrived_at: '2026-10-05 08:59' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'arrived_at', code: 'arrival_before_call' }]);
  });

  it('refuses a completion before the day of the call', () => {
    const run = validateRepairs([repair({ called_at: '2026-10-06 09:00', arrived_at: '2026-10-06 10:00', completed_date: '2026-10-05' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'completed_date', code: 'completed_before_call' }]);
  });

  it('refuses a completion before the day of the arrival', () => {
    const run = validateRepairs([repair({ called_at: '2026-10-04 09:00', arrived_at: '2026-10-06 10:00', completed_date: '2026-10-05' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'completed_date', code: 'completed_before_arrival' }]);
  });

  it('refuses a purchase after the completed date', () => {
    const run = validateRepairs([repair({ purchase_date: '2026-10-06' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'purchase_date', code: 'purchase_after_completion' }]);
  });

  it('refuses a call or arrival time without a time of day', () => {
    const run = validateRepairs([repair({ called_at: '2026-10-05' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'called_at', code: 'missing_time' }]);
  });

  it('refuses dates after the upload day', () => {
    const run = validate('repair', reportSheet('repair', [repair()]), { today: '2026-10-04' });
    expect(errorsOf(run)).toEqual([
      { row: 2, column: 'called_at', code: 'future_date' },
      { row: 2, column: 'arrived_at', code: 'future_date' },
      { row: 2, column: 'completed_date', code: 'future_date' },
    ]);
  });

  it('refuses an unknown product model', () => {
    expect(errorsOf(validateRepairs([repair({ product_model: 'XX-9' })]))).toEqual([{ row: 2, column: 'product_model', code: 'unknown_product' }]);
  });

  it('refuses a charge cause, service type, confirmation or satisfaction it does not know', () => {
    const run = validateRepairs([repair({ charge_cause: '其他', service_type: '安装', customer_confirmed: '也许', satisfaction: '一般' })]);
    expect(errorsOf(run).map((e) => e.column)).toEqual(['charge_cause', 'service_type', 'customer_confirmed', 'satisfaction']);
    expect(errorsOf(run).every((e) => e.code === 'invalid_choice')).toBe(true);
  });
});

describe('the part lines of a repair report', () => {
  it('refuse a part that is not in the price list', () => {
    const run = validateRepairs([repair({ part_code: 'P-NOPE' })]);
    expect(errorsOf(run)).toEqual([{ row: 2, column: 'part_code', code: 'unknown_part' }]);
    expect(run.entities).toEqual([]);
  });

  it('refuse a part without a quantity', () => {
    expect(errorsOf(validateRepairs([repair({ part_qty: null })]))).toEqual([{ row: 2, column: 'part_qty', code: 'part_without_qty' }]);
  });

  it('refuse a quantity without a part', () => {
    expect(errorsOf(validateRepairs([repair({ part_code: null, part_qty: 2 })]))).toEqual([{ row: 2, column: 'part_code', code: 'part_qty_without_part' }]);
  });

  it.each([[0], [-1], ['0']])('refuse the quantity %j, which is not positive', (qty) => {
    expect(errorsOf(validateRepairs([repair({ part_qty: qty })]))).toEqual([{ row: 2, column: 'part_qty', code: 'not_positive' }]);
  });

  it.each([[1.5], ['two']])('refuse the quantity %j, which is not a whole number', (qty) => {
    expect(errorsOf(validateRepairs([repair({ part_qty: qty })]))).toEqual([{ row: 2, column: 'part_qty', code: 'invalid_integer' }]);
  });

  it('refuse the same part twice in one repair, naming the earlier row', () => {
    // Act
    const run = validateRepairs([repair(), extraPartRow('R-001', 'P-VALVE-01', 1)]);
    // Assess
    expect(errorsOf(run)).toEqual([{ row: 3, column: 'part_code', code: 'duplicate_part_line' }]);
    expect(run.summary.errors[0]?.message).toContain('row 2');
  });

  it('allow the same part in different repairs', () => {
    const run = validateRepairs([repair(), repair({ repair_id: 'R-002' })]);
    expect(run.summary.errors).toEqual([]);
  });

  it('are counted on every row naming a part, even a wrong one', () => {
    const run = validateRepairs([repair({ part_code: 'P-NOPE' }), extraPartRow('R-001', 'P-SEAL-03', 1)]);
    expect(run.summary.counts).toEqual({ rows: 2, records: 1, part_lines: 2 });
  });
});

describe('a repair over many rows', () => {
  it('yields one repair and as many part lines as rows, whatever the own fields left blank on the extra rows', () => {
    const ownFields = ['called_at', 'arrived_at', 'completed_date', 'owner_name', 'phone', 'address', 'product_model', 'serial_no', 'purchase_date', 'fault_description', 'fault_cause', 'action_taken', 'charge_cause', 'service_type', 'customer_confirmed', 'satisfaction'];
    const extraRow = fc.subarray(ownFields).map((kept) => {
      const full = repair();
      return Object.fromEntries(Object.entries(full).map(([name, value]) => [name, name === 'repair_id' || kept.includes(name) ? value : null]));
    });
    fc.assert(
      fc.property(fc.array(extraRow, { maxLength: 5 }), (extras) => {
        // Prepare: each extra row names its own part.
        const records = [repair({ part_code: 'PART-0' }), ...extras.map((row, i) => ({ ...row, part_code: `PART-${i + 1}`, part_qty: i + 1 }))];
        // Act
        const run = validate('repair', reportSheet('repair', records), { master: { warrantyMonths: () => 12, hasPart: () => true } });
        // Assess
        expect(run.summary.errors).toEqual([]);
        expect(run.entities.filter((e) => e.kind === 'repair')).toHaveLength(1);
        expect(run.entities.filter((e) => e.kind === 'part_line')).toHaveLength(records.length);
      }),
    );
  });
});
