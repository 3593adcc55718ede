/**
 * The texts of the messages, kept as data in one place for both languages: a subject, a lead
 * paragraph, one line per item (lots, reports, request lines) and a closing line, with
 * `{name}` placeholders. Rendering is plain text only. Every value put into a placeholder is
 * made inert first: control and direction characters go, and anything a mail client or
 * browser would turn into a link (a scheme, `www.`) is broken up, so nothing from an upload
 * becomes HTML or a link. The only links a message carries are the portal's own, built here
 * from identifiers that match their patterns.
 */
import type { LotNotice, NoticeEvent, NoticeKind, ReportToFollowUp, RequestLineNotice } from './notices.js';
import { formatYuan, type Fen } from './money.js';
import { OVERDUE_STEP_NAMES } from './complaints.js';

export type Language = 'en' | 'zh';
export type Bilingual = Readonly<Record<Language, string>>;

/** A link to what a message is about: a path of the portal (`#/…`), never an outside address. */
export interface NoticeLink {
  readonly href: string;
  readonly label: Bilingual;
}

interface Template {
  readonly subject: Bilingual;
  readonly lead: Bilingual;
  /** One line per item of the event's list. */
  readonly item?: Bilingual;
  readonly close?: Bilingual;
}

/** Every message's words. Placeholders name the values `variables` gives each kind. */
export const NOTICE_TEMPLATES: Readonly<Record<NoticeKind, Template>> = {
  upload_checked: {
    subject: { en: 'Your {upload_en} upload was {status_en}', zh: '您上传的{upload_zh}已{status_zh}' },
    lead: {
      en: 'The {upload_en} file{for_en} was checked: {status_en}, {errors} error(s), {warnings} warning(s).',
      zh: '{upload_zh}文件{for_zh}已校验：{status_zh}，错误 {errors} 处，提示 {warnings} 处。',
    },
    close: {
      en: '{annotated_en}',
      zh: '{annotated_zh}',
    },
  },
  reports_missing: {
    subject: { en: 'Reports to follow up for {period}', zh: '{period} 月报需跟进' },
    lead: { en: 'These reports of {period} are missing or arrived late (due by the 3rd):', zh: '以下 {period} 的月报缺失或迟交（截止日为每月 3 日）：' },
    item: { en: '- {type_en}: {status_en}', zh: '- {type_zh}：{status_zh}' },
    close: { en: 'Please upload a missing report in the portal as soon as you can.', zh: '请尽快在门户上传缺失的月报。' },
  },
  reports_follow_up: {
    subject: { en: 'Reports missing or late for {period}: {count}', zh: '{period} 缺失或迟交的月报：{count} 份' },
    lead: { en: 'Reports of {period} to follow up:', zh: '{period} 需跟进的月报：' },
    item: { en: '- {dealer} {dealer_name}: {type_en} {status_en}', zh: '- {dealer} {dealer_name}：{type_zh}{status_zh}' },
    close: { en: '{unmailed_en}', zh: '{unmailed_zh}' },
  },
  lots_due: {
    subject: { en: 'Parts to return within {days} days', zh: '{days} 天内需退回的借料' },
    lead: {
      en: 'These borrowed parts must be back by their deadline, or they are charged at cost:',
      zh: '以下借料须在退料期限前退回，逾期将按成本价收费：',
    },
    item: {
      en: '- {part_code} {part_name}: {qty} out, lot {shipment_id}/{line}, due {due_date} ({days_left} day(s) left), at cost {cost}',
      zh: '- {part_code} {part_name}：未退 {qty}，批次 {shipment_id}/{line}，期限 {due_date}（剩 {days_left} 天），按成本价 {cost} 元',
    },
  },
  lots_overdue: {
    subject: { en: 'Borrowed parts overdue', zh: '借料已逾期' },
    lead: {
      en: 'These borrowed parts are past their deadline and will be charged at cost at the next reconciliation:',
      zh: '以下借料已过退料期限，将在下次盘点时按成本价收费：',
    },
    item: {
      en: '- {part_code} {part_name}: {qty} out, lot {shipment_id}/{line}, was due {due_date}, at cost {cost}',
      zh: '- {part_code} {part_name}：未退 {qty}，批次 {shipment_id}/{line}，期限 {due_date}，按成本价 {cost} 元',
    },
  },
  form_issued: {
    subject: { en: 'Fee form {invoice_no} issued: {total}', zh: '收费单 {invoice_no} 已开具：{total} 元' },
    lead: { en: 'Fee form {invoice_no} of {period} for dealer {dealer} was issued, total {total} yuan.', zh: '经销商 {dealer} {period} 的收费单 {invoice_no} 已开具，合计 {total} 元。' },
    close: { en: 'Download it from the portal.', zh: '请在门户下载。' },
  },
  credit_note: {
    subject: { en: 'Credit note {invoice_no}: {total}', zh: '红字收费单 {invoice_no}：{total} 元' },
    lead: { en: 'Credit note {invoice_no} for dealer {dealer} corrects {corrects}, total {total} yuan.', zh: '经销商 {dealer} 的红字收费单 {invoice_no} 冲减 {corrects}，合计 {total} 元。' },
    close: { en: 'Download it from the portal.', zh: '请在门户下载。' },
  },
  payment_recorded: {
    subject: { en: 'Payment recorded on {invoice_no}', zh: '收费单 {invoice_no} 已登记付款' },
    lead: { en: 'A payment of {amount} yuan on {date} was recorded on form {invoice_no} of dealer {dealer}; still owed: {owed} yuan.', zh: '经销商 {dealer} 的收费单 {invoice_no} 已登记 {date} 付款 {amount} 元；尚欠 {owed} 元。' },
  },
  request_decided: {
    subject: { en: 'Material request {request_id} decided', zh: '发料申请 {request_id} 已审批' },
    lead: { en: 'The lines of material request {request_id}:', zh: '发料申请 {request_id} 各行状态：' },
    item: { en: '- line {line}: {part_code} x {qty}: {state}', zh: '- 第 {line} 行：{part_code} × {qty}：{state}' },
  },
  request_shipped: {
    subject: { en: 'Material request {request_id} shipped', zh: '发料申请 {request_id} 已发货' },
    lead: { en: 'Shipment {shipment_id} of {shipped_date} for material request {request_id}:', zh: '发料申请 {request_id} 已于 {shipped_date} 发货（出库单 {shipment_id}）：' },
    item: { en: '- line {line}: {part_code} x {qty}: {state}', zh: '- 第 {line} 行：{part_code} × {qty}：{state}' },
  },
  complaint_overdue: {
    subject: { en: 'Complaint {complaint_id} is overdue: {step}', zh: '投诉 {complaint_id} 已超期：{step_zh}' },
    lead: { en: 'The {step} of complaint {complaint_id} of dealer {dealer} was due {due} and is not done.', zh: '经销商 {dealer} 的投诉 {complaint_id} 的{step_zh}应于 {due} 前完成，尚未完成。' },
  },
  dispute_raised: {
    subject: { en: 'Dispute of form {invoice_no} line {line} by dealer {dealer}', zh: '经销商 {dealer} 对收费单 {invoice_no} 第 {line} 行提出异议' },
    lead: {
      en: 'Dealer {dealer} does not accept line {line} of form {invoice_no} ({part_code} x {qty}, CNY {amount}): {reason}. Please decide by {due_date}.',
      zh: '经销商 {dealer} 不接受收费单 {invoice_no} 第 {line} 行（{part_code} × {qty}，{amount} 元）：{reason}。请于 {due_date} 前裁定。',
    },
  },
  dispute_decided: {
    subject: { en: 'Dispute of form {invoice_no} line {line}: {decision}', zh: '收费单 {invoice_no} 第 {line} 行的异议：{decision_zh}' },
    lead: { en: 'The manager decided the dispute of line {line} of form {invoice_no}: {decision}. Reason: {reason}.', zh: '上级领导已裁定收费单 {invoice_no} 第 {line} 行的异议：{decision_zh}。理由：{reason}。' },
    close: { en: '{credit_en}', zh: '{credit_zh}' },
  },
  unboxing_reported: {
    subject: { en: 'Unboxing problems reported by dealer {dealer} ({period}): {count}', zh: '经销商 {dealer} 报告开箱问题 {count} 个（{period}）' },
    lead: {
      en: "Dealer {dealer}'s installation report of {period} names unboxing problems. Each needs a written plan by its due date:",
      zh: '经销商 {dealer} 的 {period} 安装报表中有开箱问题，请在到期日前登记书面方案：',
    },
    item: { en: '- {install_id} {product_model} {serial_no}: {issue} (plan due {due_date})', zh: '- {install_id} {product_model} {serial_no}：{issue}（方案于 {due_date} 前）' },
  },
  dispute_overdue: {
    subject: { en: 'Dispute of form {invoice_no} line {line} is past its deadline', zh: '收费单 {invoice_no} 第 {line} 行的异议已超过裁定期限' },
    lead: { en: 'The dispute of dealer {dealer} on line {line} of form {invoice_no} was to be decided by {due_date} and is still open.', zh: '经销商 {dealer} 对收费单 {invoice_no} 第 {line} 行的异议应于 {due_date} 前裁定，尚未裁定。' },
  },
  run_failed: {
    subject: { en: 'Scheduled job failed: {job}', zh: '定时任务失败：{job}' },
    lead: { en: 'The {job} run {run} failed: {detail}', zh: '{job} 任务（{run}）失败：{detail}' },
    close: { en: 'See docs/operations.md, "{runbook}".', zh: '请参阅运维手册的“{runbook}”一节。' },
  },
};

const UPLOAD_NAMES: Readonly<Record<string, Bilingual>> = {
  installation: { en: 'installation report', zh: '安装情况统计' },
  repair: { en: 'repair report', zh: '维修情况汇总' },
  shipments: { en: 'shipments', zh: '发料（出库）' },
  returns: { en: 'returns', zh: '退料（入库）' },
  master: { en: 'master data', zh: '主数据' },
};
const STATUS_NAMES: Readonly<Record<string, Bilingual>> = {
  accepted: { en: 'accepted', zh: '通过' },
  rejected: { en: 'rejected', zh: '退回' },
  missing: { en: 'missing', zh: '缺失' },
  late: { en: 'late', zh: '迟交' },
};

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const LINKISH = /\b([a-z][a-z0-9+.-]{1,20}):(?=\/\/|[^\s]*@|\S)/gi;
const MAX_VALUE_LENGTH = 1000;

/**
 * A value made safe to put into a plain-text message: one line, no control or direction
 * characters, at most 1,000 characters, and nothing that reads as a link (`https://x` becomes
 * `https[:]//x`, `www.x` becomes `www[.]x`, `a@b` keeps no `mailto:`). Markup stays text
 * because the messages are never HTML and the portal shows them as text.
 */
export function inert(value: string): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ').replace(CONTROL, '').trim();
  const cut = oneLine.length > MAX_VALUE_LENGTH ? `${oneLine.slice(0, MAX_VALUE_LENGTH - 1)}…` : oneLine;
  return cut.replace(LINKISH, '$1[:]').replace(/\bwww\./gi, 'www[.]');
}

type Vars = Readonly<Record<string, string | number>>;

/** Fills `{name}` placeholders with inert values; a placeholder without a value stays as it is. */
export function fill(text: string, vars: Vars): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : inert(String(value));
  });
}

const both = (names: Readonly<Record<string, Bilingual>>, key: string, prefix: string): Vars => ({
  [`${prefix}_en`]: names[key]?.en ?? key,
  [`${prefix}_zh`]: names[key]?.zh ?? key,
});

const money = (amount: Fen | null): string => (amount === null ? '—' : formatYuan(amount));

const lotVars = (lot: LotNotice): Vars => ({
  part_code: lot.part_code,
  part_name: lot.part_name,
  qty: lot.qty,
  shipment_id: lot.shipment_id,
  line: lot.line,
  due_date: lot.due_date,
  days_left: lot.days_left,
  cost: money(lot.cost),
});

const reportVars = (r: ReportToFollowUp): Vars => ({
  dealer: r.dealer,
  dealer_name: r.dealer_name,
  ...both(UPLOAD_NAMES, r.type, 'type'),
  ...both(STATUS_NAMES, r.status, 'status'),
});

const requestLineVars = (l: RequestLineNotice): Vars => ({ line: l.line, part_code: l.part_code, qty: l.qty, state: l.state });

/** The values of an event's placeholders, and of each item line. */
function variables(event: NoticeEvent): { vars: Vars; items: readonly Vars[] } {
  switch (event.kind) {
    case 'upload_checked':
      return {
        vars: {
          ...both(UPLOAD_NAMES, event.upload, 'upload'),
          ...both(STATUS_NAMES, event.status, 'status'),
          for_en: event.dealer === null ? '' : ` of dealer ${event.dealer}${event.period === null ? '' : ` for ${event.period}`}`,
          for_zh: event.dealer === null ? '' : `（经销商 ${event.dealer}${event.period === null ? '' : `，${event.period}`}）`,
          errors: event.errors,
          warnings: event.warnings,
          annotated_en: event.annotated ? 'The annotated workbook marks every problem; open it from the portal.' : '',
          annotated_zh: event.annotated ? '批注版工作簿标出了每处问题，请在门户打开。' : '',
        },
        items: [],
      };
    case 'reports_missing':
      return { vars: { period: event.period }, items: event.reports.map(reportVars) };
    case 'reports_follow_up':
      return {
        vars: {
          period: event.period,
          count: event.reports.length,
          unmailed_en: event.unmailed.length === 0 ? '' : `Not reached by mail (no address or mail failed): ${event.unmailed.join(', ')}.`,
          unmailed_zh: event.unmailed.length === 0 ? '' : `未能邮件通知（无邮箱或发送失败）：${event.unmailed.join('、')}。`,
        },
        items: event.reports.map(reportVars),
      };
    case 'lots_due':
      return { vars: { days: Math.max(0, ...event.lots.map((l) => l.days_left)) }, items: event.lots.map(lotVars) };
    case 'lots_overdue':
      return { vars: {}, items: event.lots.map(lotVars) };
    case 'form_issued':
      return { vars: { invoice_no: event.invoice_no, period: event.period, dealer: event.dealer, total: formatYuan(event.total) }, items: [] };
    case 'credit_note':
      return { vars: { invoice_no: event.invoice_no, corrects: event.corrects, dealer: event.dealer, total: formatYuan(event.total) }, items: [] };
    case 'payment_recorded':
      return { vars: { invoice_no: event.invoice_no, dealer: event.dealer, amount: formatYuan(event.amount), owed: formatYuan(event.owed), date: event.date }, items: [] };
    case 'request_decided':
      return { vars: { request_id: event.request_id }, items: event.lines.map(requestLineVars) };
    case 'request_shipped':
      return { vars: { request_id: event.request_id, shipment_id: event.shipment_id, shipped_date: event.shipped_date }, items: event.lines.map(requestLineVars) };
    case 'complaint_overdue':
      return { vars: { complaint_id: event.complaint_id, dealer: event.dealer, due: event.due, step: OVERDUE_STEP_NAMES[event.step].en, step_zh: OVERDUE_STEP_NAMES[event.step].zh }, items: [] };
    case 'run_failed':
      return { vars: { job: event.job, run: event.run, detail: event.detail, runbook: event.runbook }, items: [] };
    case 'dispute_raised':
      return { vars: { dealer: event.dealer, invoice_no: event.invoice_no, line: event.line, part_code: event.part_code, qty: event.qty, amount: event.amount, reason: event.reason, due_date: event.due_date }, items: [] };
    case 'dispute_decided':
      return {
        vars: {
          invoice_no: event.invoice_no,
          line: event.line,
          reason: event.reason,
          decision: DISPUTE_DECISION_NAMES[event.decision].en,
          decision_zh: DISPUTE_DECISION_NAMES[event.decision].zh,
          credit_en: event.credit_note === null ? '' : `Credit note ${event.credit_note} credits the line.`,
          credit_zh: event.credit_note === null ? '' : `该行金额已由红字冲销单 ${event.credit_note} 冲销。`,
        },
        items: [],
      };
    case 'dispute_overdue':
      return { vars: { dealer: event.dealer, invoice_no: event.invoice_no, line: event.line, due_date: event.due_date }, items: [] };
    case 'unboxing_reported':
      return { vars: { dealer: event.dealer, period: event.period, count: event.cases.length }, items: event.cases.map((c) => ({ ...c })) };
  }
}

const DEALER = /^[A-Za-z0-9_-]{1,32}$/;
const PERIOD = /^\d{4}-\d{2}$/;
const INVOICE = /^FY-\d{4}-\d{2}-\d{4,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const link = (href: string, en: string, zh: string): NoticeLink => ({ href, label: { en, zh } });

/** The portal pages a message is about; an identifier that does not match its pattern makes no link. */
function linksOf(event: NoticeEvent): NoticeLink[] {
  const ok = (pattern: RegExp, ...values: Array<string | null>) => values.every((v) => v !== null && pattern.test(v));
  switch (event.kind) {
    case 'upload_checked':
      if (event.upload === 'installation' || event.upload === 'repair') {
        return ok(DEALER, event.dealer) && ok(PERIOD, event.period)
          ? [link(`#/reports/${event.dealer}/${event.period}`, 'The month’s reports', '本月报告')]
          : [];
      }
      return event.upload_id !== null && UUID.test(event.upload_id)
        ? [link(event.upload === 'master' ? `#/master/${event.upload_id}` : `#/ledger/${event.upload}/${event.upload_id}`, 'The upload', '本次上传')]
        : [];
    case 'reports_missing':
      return ok(DEALER, event.dealer) && ok(PERIOD, event.period) ? [link(`#/reports/${event.dealer}/${event.period}`, 'The month’s reports', '本月报告')] : [];
    case 'reports_follow_up':
      return ok(PERIOD, event.period) ? [link(`#/reports?period=${event.period}`, 'Reports of the month', '本月报告')] : [];
    case 'lots_due':
    case 'lots_overdue':
      return [link('#/position', 'Your parts position', '借料状况')];
    case 'form_issued':
    case 'credit_note':
    case 'payment_recorded':
      return ok(INVOICE, event.invoice_no) ? [link(`#/invoices/${event.invoice_no}`, 'The form', '收费单')] : [];
    case 'request_decided':
    case 'request_shipped':
      return ok(ID, event.request_id) ? [link(`#/requests/${event.request_id}`, 'The request', '发料申请')] : [];
    case 'complaint_overdue':
      return ok(ID, event.complaint_id) ? [link(`#/complaints/${event.complaint_id}`, 'The complaint', '投诉')] : [];
    case 'run_failed':
      return [];
    case 'dispute_raised':
    case 'dispute_decided':
    case 'dispute_overdue':
      return ok(INVOICE, event.invoice_no) ? [link('#/disputes', 'The disputes', '异议'), link(`#/invoices/${event.invoice_no}`, 'The form', '收费单')] : [link('#/disputes', 'The disputes', '异议')];
    case 'unboxing_reported':
      return ok(PERIOD, event.period) ? [link(`#/unboxing?period=${event.period}`, 'The unboxing cases', '开箱问题')] : [];
  }
}

/** An event's subject, body and links in both languages, from its template. */
export function renderNotice(event: NoticeEvent): { subject: Bilingual; body: Bilingual; links: NoticeLink[] } {
  const template = NOTICE_TEMPLATES[event.kind];
  const { vars, items } = variables(event);
  const text = (language: Language) =>
    [
      fill(template.lead[language], vars),
      ...(template.item === undefined ? [] : items.map((item) => fill(template.item?.[language] ?? '', { ...vars, ...item }))),
      ...(template.close === undefined ? [] : [fill(template.close[language], vars)]),
    ]
      .filter((line) => line !== '')
      .join('\n');
  return {
    subject: { en: fill(template.subject.en, vars), zh: fill(template.subject.zh, vars) },
    body: { en: text('en'), zh: text('zh') },
    links: linksOf(event),
  };
}

/** A dispute's decision as a notice names it. */
const DISPUTE_DECISION_NAMES = {
  upheld: { en: 'upheld, the charge stands', zh: '维持收费' },
  waived: { en: 'waived', zh: '免收' },
} as const;
