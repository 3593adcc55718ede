import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue, SheetRow } from '../../shared/domain/cells.js';
import { INSTALLATION_FIELDS, REPAIR_FIELDS, type FieldSpec } from '../../shared/domain/fields.js';
import { createHeaderMatcher, isHeaderRow, mapHeaderRow, probableField } from '../../shared/domain/headers.js';
import { toFullWidth } from '../helpers/arbitraries.js';
import { fieldSpec } from '../helpers/rows.js';

const row = (cells: readonly CellValue[], rowNumber = 1): SheetRow => ({ row: rowNumber, cells });
const matchInstallation = createHeaderMatcher(INSTALLATION_FIELDS);
const nameOf = (text: string): string | undefined => matchInstallation(text)?.name;

describe('a header cell', () => {
  it.each([
    ['install_id'],
    ['安装单号'],
    ['Install ID'],
    ['INSTALL_ID'],
    [' install id '],
    ['ｉｎｓｔａｌｌ＿ｉｄ'],
    ['安装单号\ninstall_id'],
    ['安装单号 install_id'],
    ['安装单号(install_id)'],
    ['安装单号（install_id）'],
    ['安装单号 / install_id'],
    ['install_id 安装单号'],
    ['安装单号*'],
  ])('%j names install_id', (text) => {
    expect(nameOf(text)).toBe('install_id');
  });

  it('may use an alias', () => {
    expect(nameOf('序列号')).toBe('serial_no');
    expect(nameOf('Serial Number')).toBe('serial_no');
    expect(createHeaderMatcher(REPAIR_FIELDS)('qty')?.name).toBe('part_qty');
  });

  it.each([
    ['安装单号 serial_no'],
    ['请填写安装日期'],
    ['install date of the product'],
    ['安装'],
    [''],
  ])('%j names no field: a bilingual pair must agree and words inside a sentence do not count', (text) => {
    expect(nameOf(text)).toBeUndefined();
  });
});

describe('the header row', () => {
  it('is a row whose cells name fields', () => {
    expect(isHeaderRow(row(INSTALLATION_FIELDS.map((f) => f.zh)), INSTALLATION_FIELDS)).toBe(true);
  });

  it('is not a merged title or a notes row that mentions field names in sentences', () => {
    expect(isHeaderRow(row(['安装情况统计 Installation report 2026-10']), INSTALLATION_FIELDS)).toBe(false);
    expect(isHeaderRow(row(['说明：安装日期须在报表月份内', '购买日期不得晚于安装日期', 'install_date must be in the month']), INSTALLATION_FIELDS)).toBe(false);
  });

  it('needs at least three fields', () => {
    expect(isHeaderRow(row(['install_id', 'install_date']), INSTALLATION_FIELDS)).toBe(false);
    expect(isHeaderRow(row(['install_id', 'install_date', 'phone']), INSTALLATION_FIELDS)).toBe(true);
  });

  it('needs more cells naming fields than cells that do not', () => {
    expect(isHeaderRow(row(['install_id', 'install_date', 'phone', 'a', 'b', 'c']), INSTALLATION_FIELDS)).toBe(false);
    expect(isHeaderRow(row(['install_id', 'install_date', 'phone', 'a', 'b']), INSTALLATION_FIELDS)).toBe(true);
  });
});

describe('mapping the header row', () => {
  it('maps each field to its 0-based column, skipping blank cells', () => {
    // Prepare
    const header = row([null, 'install_id', '', '安装日期', 'phone']);
    // Act
    const { columns, errors } = mapHeaderRow(header, INSTALLATION_FIELDS);
    // Assess
    expect(columns.get('install_id')).toBe(1);
    expect(columns.get('install_date')).toBe(3);
    expect(columns.get('phone')).toBe(4);
    expect(errors.map((e) => e.code)).toContain('missing_column');
  });

  it('ignores a column the template does not know, with one warning naming it', () => {
    // Prepare
    const header = row([...INSTALLATION_FIELDS.map((f) => f.zh), '销售员'], 3);
    // Act
    const { errors, warnings } = mapHeaderRow(header, INSTALLATION_FIELDS);
    // Assess
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ row: 3, column: null, value: '销售员', code: 'unknown_column' })]);
  });

  it('rejects a missing required column with one error naming it; optional columns may be absent', () => {
    // Prepare
    const header = row(INSTALLATION_FIELDS.filter((f) => !['phone', 'remarks'].includes(f.name)).map((f) => f.name), 2);
    // Act
    const { errors } = mapHeaderRow(header, INSTALLATION_FIELDS);
    // Assess
    expect(errors).toEqual([expect.objectContaining({ row: 2, column: 'phone', code: 'missing_column' })]);
    expect(errors[0]?.message_zh).toContain('联系电话');
  });

  it('rejects a field named twice, even in two languages', () => {
    // Prepare
    const header = row([...INSTALLATION_FIELDS.map((f) => f.name), '安装日期']);
    // Act
    const { errors, columns } = mapHeaderRow(header, INSTALLATION_FIELDS);
    // Assess
    expect(errors).toEqual([expect.objectContaining({ column: 'install_date', value: '安装日期', code: 'duplicate_column' })]);
    expect(columns.get('install_date')).toBe(1);
  });
});

describe('headers as people write them', () => {
  it.each([
    ['安装日期（年/月/日）', 'install_date'],
    ['购买日期(年/月/日)', 'purchase_date'],
    ['联系电话（手机）', 'phone'],
    ['产品序列号(S/N)', 'serial_no'],
    ['产品序列号 (S/N)', 'serial_no'],
    ['开箱问题（如有）', 'unboxing_issue'],
    ['备注（选填）', 'remarks'],
    ['【必填】安装人员', 'installer'],
    ['安装 日期 [yyyy-mm-dd]', 'install_date'],
  ])('%j names %s once its note in brackets is taken off', (text, name) => {
    expect(nameOf(text)).toBe(name);
  });

  it('does not take a note naming another field for a note', () => {
    expect(nameOf('安装单号(serial_no)')).toBeUndefined();
    expect(nameOf('（安装日期）')).toBeUndefined();
  });

  it('keeps the data of an optional column with a note: it is mapped, not dropped with a warning', () => {
    const header = row([...INSTALLATION_FIELDS.filter((f) => !['unboxing_issue', 'remarks'].includes(f.name)).map((f) => f.zh), '开箱问题（如有）', '备注（选填）']);
    const { columns, warnings, errors } = mapHeaderRow(header, INSTALLATION_FIELDS);
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(columns.get('unboxing_issue')).toBe(10);
    expect(columns.get('remarks')).toBe(11);
  });

  it('names the column a close miss probably means, in the warning and in the missing column error', () => {
    const header = row(INSTALLATION_FIELDS.map((f) => (f.name === 'phone' ? '联系电活' : f.zh)), 4);
    const { errors, warnings } = mapHeaderRow(header, INSTALLATION_FIELDS);
    expect(warnings).toEqual([expect.objectContaining({ code: 'unknown_column', value: '联系电活' })]);
    expect(warnings[0]?.message).toContain('probably means phone (联系电话)');
    expect(warnings[0]?.message_zh).toContain('可能是“联系电话”列');
    expect(errors).toEqual([expect.objectContaining({ code: 'missing_column', column: 'phone', value: '联系电活' })]);
    expect(errors[0]?.message).toContain('"联系电活" is probably it');
  });

  it.each([
    ['安装日', 'install_date'],
    ['Install Dat', 'install_date'],
    ['产品序列号码', 'serial_no'],
  ])('%j is close to %s', (text, name) => {
    expect(probableField(text, INSTALLATION_FIELDS)?.name).toBe(name);
  });

  it.each([['序号'], ['销售员'], ['日期'], ['x']])('%j is close to no one field', (text) => {
    expect(probableField(text, INSTALLATION_FIELDS)).toBeUndefined();
  });

  it('suggests only among the fields the header has not already named', () => {
    const header = row([...INSTALLATION_FIELDS.map((f) => f.zh), '安装日']);
    const { warnings } = mapHeaderRow(header, INSTALLATION_FIELDS);
    expect(warnings).toEqual([expect.objectContaining({ code: 'unknown_column', value: '安装日' })]);
    expect(warnings[0]?.message).not.toContain('probably');
  });
});

/** One spelling of a field's header, as a dealer might type it. */
const anySpelling = (field: FieldSpec): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(field.name, field.zh, ...(field.aliases ?? []), `${field.zh}\n${field.name}`, `${field.zh}（${field.name}）`, `${field.zh} ${field.name}`),
      fc.infiniteStream(fc.tuple(fc.boolean(), fc.boolean(), fc.constantFrom('', '', '', ' '))),
    )
    .map(([text, style]) =>
      [...text]
        .map((c) => {
          const [upper, wide, space] = style.next().value;
          const cased = upper ? c.toUpperCase() : c.toLowerCase();
          return (wide ? toFullWidth(cased) : cased) + space;
        })
        .join(''),
    );

describe.each([
  ['installation', INSTALLATION_FIELDS],
  ['repair', REPAIR_FIELDS],
])('the %s headers', (_type, fields) => {
  it('map the same whatever the column order, casing, spacing and full-width forms', () => {
    const shuffledSpellings = fc
      .shuffledSubarray([...fields], { minLength: fields.length })
      .chain((order) => fc.tuple(fc.constant(order), fc.tuple(...order.map(anySpelling))));
    fc.assert(
      fc.property(shuffledSpellings, ([order, spellings]) => {
        // Act
        const { columns, errors, warnings } = mapHeaderRow(row(spellings), fields);
        // Assess
        expect(errors).toEqual([]);
        expect(warnings).toEqual([]);
        order.forEach((field, i) => expect(columns.get(field.name)).toBe(i));
        expect(isHeaderRow(row(spellings), fields)).toBe(true);
      }),
    );
  });
});

it('finds the field by name through the helper used in tests', () => {
  expect(fieldSpec(INSTALLATION_FIELDS, 'phone').zh).toBe('联系电话');
});
