import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORDS } from '../../portal/src/i18n.js';
import { NOTICE_TEMPLATES } from '../../shared/domain/notice-templates.js';
import { FORM_FILTERS } from '../../shared/app/finance/form-list.js';
import { SETTLEMENTS } from '../../shared/domain/journal.js';
import { INVOICE_KINDS } from '../../shared/domain/invoice.js';
import { RETURN_FIELDS } from '../../shared/domain/fields.js';
import type { LotStatus } from '../../shared/domain/reconciliation.js';
import type { Dispute } from '../../shared/domain/disputes.js';
import { COMPLAINT_STATES, type Complaint } from '../../shared/domain/complaints.js';
import { wallClock } from '../../portal/src/business-date.js';

/**
 * Issue 25: a Chinese screen or message names things in Chinese. What a person must never read
 * there: a field id or state code (`request_id`, `awaiting_payment`), a command-line flag
 * (`--reason`), a storage path (`master-imports/`), or a machine time with its `T`.
 */
const FORBIDDEN: ReadonlyArray<readonly [string, RegExp]> = [
  ['an identifier with an underscore', /\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b/],
  ['a camelCase identifier', /\b[a-z]+[A-Z][A-Za-z0-9]*\b/],
  ['a command-line flag', /(^|[\s（(])--[a-z]/],
  ['a storage path', /\b[a-z0-9]+(-[a-z0-9]+)*\/(\s|$|[^\d])/],
  ['an ISO time with T', /\d{4}-\d{2}-\d{2}T\d{2}/],
];

const offences = (text: string): string[] => FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([what]) => what);

/** A template's text without its `{placeholders}`, which are filled with Chinese words or values. */
const unplaced = (text: string): string => text.replace(/\{[a-z_]+\}/g, '');

describe('the Chinese the portal and its messages show', () => {
  it('every word of the portal catalogue', () => {
    const found = Object.entries(WORDS).flatMap(([key, [zh]]) => offences(zh).map((what) => `${key}: ${what} in “${zh}”`));
    expect(found).toEqual([]);
  });

  it('every message template', () => {
    const found = Object.entries(NOTICE_TEMPLATES).flatMap(([kind, template]) =>
      Object.entries(template).flatMap(([part, text]) => offences(unplaced((text as { zh: string }).zh)).map((what) => `${kind}.${part}: ${what}`)));
    expect(found).toEqual([]);
  });

  it('every word the finance, warehouse, position, dispute and complaint pages make from a state or field code, so that no code is shown as it is', () => {
    // Keys built as t(`prefix_${code}`): a code without its word would be shown raw (`run_done_with_failures`).
    const made = [
      ...FORM_FILTERS.map((s) => `forms_${s}`),
      ...SETTLEMENTS.map((s) => `settle_${s}`),
      ...['running', 'done', 'done_with_failures'].map((s) => `run_${s}`),
      ...['payment', 'refund', 'transfer_in', 'transfer_out'].map((s) => `money_${s}`),
      ...[...RETURN_FIELDS.map((f) => f.name), 'line'].map((f) => `retf_${f}`),
      ...INVOICE_KINDS,
      // The dealer's position, its disputes and the manager's queue (issue 25's rebuilt pages).
      ...(['open', 'returned', 'charged', 'overdue', 'waived'] satisfies LotStatus[]).map((s) => `lot_${s}`),
      ...(['open', 'upheld', 'waived'] satisfies Dispute['status'][]).map((s) => `qd_${s}`),
      ...['draft', 'issued', 'void'],
      // The complaints register: each state, and each field its drawer and history name.
      ...COMPLAINT_STATES.map((s) => `qcs_${s}`),
      ...(['complaint_id', 'received_at', 'dealer_code', 'customer_name', 'phone', 'product_model', 'serial_no', 'category', 'service_fault', 'action_taken', 'first_reply_at',
        'resolved_at', 'follow_up_due', 'follow_up_date', 'follow_up_outcome', 'closed_at', 'compensation', 'investigation'] satisfies (keyof Complaint)[]).map((f) => `qf_${f}`),
    ];
    const words = WORDS as Record<string, readonly [string, string]>;
    expect(made.filter((key) => words[key] === undefined)).toEqual([]);
    expect(made.flatMap((key) => offences(words[key]![0]).map((what) => `${key}: ${what}`))).toEqual([]);
  });

  it('every Chinese text written into the portal’s source outside the catalogue', () => {
    const dir = join(import.meta.dirname, '../../portal/src');
    const found = readdirSync(dir).flatMap((file) =>
      [...readFileSync(join(dir, file), 'utf8').matchAll(/'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g)]
        .map((m) => (m[1] ?? m[2] ?? '').replace(/\$\{[^}]*\}/g, ''))
        .filter((text) => /[\u4e00-\u9fff]/.test(text))
        .flatMap((text) => offences(text).map((what) => `${file}: ${what} in “${text}”`)));
    expect(found).toEqual([]);
  });

  it('shows a time the API keeps on the business clock without its T', () => {
    expect(wallClock('2026-12-07T15:17:00')).toBe('2026-12-07 15:17');
    expect(offences(`异议已提交，${wallClock('2026-12-07T15:17:00')}`)).toEqual([]);
  });

  it('catches what it is for', () => {
    for (const bad of ['request_id 格式不正确', '须填写理由（--reason）', '报表存储桶的 master-imports/ 下', '生成于 2026-12-07T07:17:00Z', 'warrantyMonths']) expect(offences(bad)).not.toEqual([]);
    expect(offences('经销商 D001 的 FY-2026-10-0001 已开票，¥71.00，2026-12-07 07:17')).toEqual([]);
  });
});
