import { describe, expect, it } from 'vitest';
import { makeIssue, severityOf, unknownSerialWarning, valueIssue } from '../../shared/domain/messages.js';
import { INSTALLATION_FIELDS } from '../../shared/domain/fields.js';
import { fieldSpec } from '../helpers/rows.js';

const installDate = fieldSpec(INSTALLATION_FIELDS, 'install_date');

describe('issue messages', () => {
  it('say in both languages which field, what was there and how to write it', () => {
    // Act
    const issue = valueIssue('invalid_date', { row: 7, column: 'install_date', value: '2026/13/45' }, installDate, '2026/13/45');
    // Assess
    expect(issue).toEqual({
      row: 7,
      column: 'install_date',
      value: '2026/13/45',
      code: 'invalid_date',
      message: 'install_date: "2026/13/45" is not a date; write it as 2026-10-03',
      message_zh: '安装日期：“2026/13/45”不是有效日期，请按 2026-10-03 填写',
    });
  });

  it('list the accepted choices', () => {
    const commissioning = fieldSpec(INSTALLATION_FIELDS, 'commissioning');
    const issue = valueIssue('invalid_choice', { row: 3, column: 'commissioning', value: 'good' }, commissioning, 'good');
    expect(issue.message).toContain('passed (合格), failed (不合格)');
    expect(issue.message_zh).toContain('合格 / 不合格');
  });

  it('quote a long value shortened, keeping it whole in the issue', () => {
    const long = 'x'.repeat(600);
    const issue = valueIssue('text_too_long', { row: 3, column: 'remarks', value: long }, fieldSpec(INSTALLATION_FIELDS, 'remarks'), long);
    expect(issue.value).toBe(long);
    expect(issue.message).toContain('600 characters; at most 500');
    expect(issue.message.length).toBeLessThan(200);
  });

  it('quote no bidirectional control or zero-width character, in the value or the messages', () => {
    // Prepare: a value that would read backwards after U+202E and hide a U+200B
    const tricky = 'I-\u202E1\u200B2\u2066';
    // Act
    const issue = makeIssue('duplicate_id', { row: 5, column: 'install_id', value: tricky }, { field: fieldSpec(INSTALLATION_FIELDS, 'install_id'), value: tricky, firstRow: 4 });
    // Assess
    expect(issue.value).toBe('I-12');
    expect(issue.message).toContain('"I-12"');
    expect(issue.message_zh).toContain('“I-12”');
  });

  it('name the earlier row of a duplicate', () => {
    const issue = makeIssue('duplicate_id', { row: 9, column: 'install_id', value: 'I-1' }, { field: fieldSpec(INSTALLATION_FIELDS, 'install_id'), value: 'I-1', firstRow: 4 });
    expect(issue.message).toContain('row 4');
    expect(issue.message_zh).toContain('第 4 行');
  });
});

describe('severity', () => {
  it('makes unknown columns and unknown serial numbers warnings, everything else errors', () => {
    expect(severityOf('unknown_column')).toBe('warning');
    expect(severityOf('unknown_serial')).toBe('warning');
    expect(severityOf('required')).toBe('error');
  });
});

describe('the unknown serial warning', () => {
  it('names the row, the serial_no column and the serial', () => {
    const warning = unknownSerialWarning(5, 'SN-9');
    expect(warning).toMatchObject({ row: 5, column: 'serial_no', value: 'SN-9', code: 'unknown_serial' });
    expect(warning.message_zh).toContain('产品序列号');
  });
});
