import { describe, expect, it } from 'vitest';
import { chooseSheet, namesPeriod, type SheetSurvey } from '../../shared/domain/sheet-choice.js';

const sheet = (name: string, over: Partial<SheetSurvey> = {}): SheetSurvey => ({ name, hidden: false, header: true, rows: 20, inPeriod: 0, ...over });

describe('a sheet named for the month', () => {
  it.each([['10月'], ['2026年10月'], ['十月'], ['2026-10'], ['2026.10'], ['202610'], ['October'], ['Oct 2026'], ['维修汇总（10月）']])('%j names 2026-10', (name) => {
    expect(namesPeriod(name, '2026-10')).toBe(true);
  });

  it.each([['9月'], ['110月'], ['2026-1'], ['十一月'], ['Octopus'], ['2026-100'], ['Sheet1']])('%j does not name 2026-10', (name) => {
    expect(namesPeriod(name, '2026-10')).toBe(false);
  });

  it('tells January from October and November', () => {
    expect(namesPeriod('1月', '2026-01')).toBe(true);
    expect(namesPeriod('11月', '2026-01')).toBe(false);
    expect(namesPeriod('十一月', '2026-01')).toBe(false);
    expect(namesPeriod('2026-01', '2026-01')).toBe(true);
  });
});

describe('choosing the data sheet', () => {
  it('takes the sheet whose rows fall in the month over another month’s', () => {
    expect(chooseSheet([sheet('9月', { inPeriod: 0 }), sheet('10月', { inPeriod: 20 })], '2026-10')).toEqual({ kind: 'chosen', name: '10月' });
    expect(chooseSheet([sheet('A', { inPeriod: 20 }), sheet('B', { inPeriod: 1 })], '2026-10')).toEqual({ kind: 'chosen', name: 'A' });
  });

  it('takes the sheet named for the month when the rows cannot tell', () => {
    expect(chooseSheet([sheet('9月'), sheet('10月')], '2026-10')).toEqual({ kind: 'chosen', name: '10月' });
  });

  it('passes over a blank template, hidden or not, for the sheet with rows', () => {
    expect(chooseSheet([sheet('模板', { hidden: true, rows: 0 }), sheet('数据', { rows: 3 })], '2026-10')).toEqual({ kind: 'chosen', name: '数据' });
    expect(chooseSheet([sheet('模板', { rows: 0 }), sheet('数据', { rows: 3 })], '2026-10')).toEqual({ kind: 'chosen', name: '数据' });
  });

  it('prefers a visible sheet to a hidden one with rows', () => {
    expect(chooseSheet([sheet('旧', { hidden: true, inPeriod: 20 }), sheet('新', { inPeriod: 0 })], '2026-10')).toEqual({ kind: 'chosen', name: '新' });
  });

  it('says so when the only rows are on a hidden sheet', () => {
    const choice = chooseSheet([sheet('模板', { rows: 0 }), sheet('10月', { hidden: true })], '2026-10');
    expect(choice).toMatchObject({ kind: 'refused', issue: { code: 'data_on_hidden_sheet', value: '10月', row: null, column: null } });
    expect(choice.kind === 'refused' && choice.issue.message_zh).toContain('隐藏');
  });

  it('reads a hidden sheet that is the only one with the header, saying so', () => {
    const choice = chooseSheet([sheet('安装', { hidden: true }), sheet('说明', { header: false, rows: 0 })], '2026-10');
    expect(choice).toMatchObject({ kind: 'chosen', name: '安装', warning: { code: 'hidden_sheet_read', value: '安装' } });
  });

  it('names the candidates when it cannot tell, never choosing silently', () => {
    const choice = chooseSheet([sheet('张三'), sheet('李四'), sheet('说明', { header: false, rows: 0 })], '2026-10');
    expect(choice).toMatchObject({ kind: 'refused', issue: { code: 'sheet_ambiguous', value: '张三, 李四' } });
    expect(choice.kind === 'refused' && choice.issue.message).toContain('"张三", "李四"');
  });

  it('reads the first visible sheet when none holds the header, so that the missing header is reported there', () => {
    expect(chooseSheet([sheet('隐藏', { hidden: true, header: false }), sheet('Sheet1', { header: false })], '2026-10')).toEqual({ kind: 'chosen', name: 'Sheet1' });
  });

  it('keeps a header-only sheet when no sheet has rows (a month with nothing to report)', () => {
    expect(chooseSheet([sheet('说明', { header: false, rows: 0 }), sheet('10月', { rows: 0 })], '2026-10')).toEqual({ kind: 'chosen', name: '10月' });
  });
});
