/**
 * The catalog of issue codes and their messages, in English and Chinese.
 *
 * A dealer reads these without anyone to ask, so every message says which field, what was
 * there and what to write instead. Each code declares the parameters its message needs, so
 * a caller cannot build a message that lacks them.
 */
import type { EnumOption, FieldSpec } from './fields.js';
import type { Issue, Severity } from './issues.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH, type ValueErrorCode } from './values.js';
import type { WarrantyWarning } from './warranty.js';

/** What a message needs to know about a field: its name in errors and its Chinese header. */
export type FieldRef = Pick<FieldSpec, 'name' | 'zh'>;

interface FieldValue {
  readonly field: FieldRef;
  readonly value: string;
}

/** The parameters each issue code's message is written from. */
export interface MessageParams {
  /** `near`: a header of the file that probably means this column. */
  readonly missing_column: { readonly field: FieldRef; readonly near?: string };
  readonly duplicate_column: { readonly field: FieldRef; readonly header: string };
  readonly header_not_found: { readonly expected: readonly FieldRef[]; readonly scanned: number };
  /** The file's header row is another slot's template, whole: the file is named as what it is. */
  readonly wrong_template: { readonly found: { readonly en: string; readonly zh: string }; readonly expected: { readonly en: string; readonly zh: string } };
  /** `probable`: the template's column the header is close to. */
  readonly unknown_column: { readonly header: string; readonly probable?: FieldRef };
  readonly required: { readonly field: FieldRef };
  readonly invalid_date: FieldValue;
  readonly ambiguous_date: FieldValue;
  readonly missing_time: FieldValue;
  readonly invalid_datetime: FieldValue;
  readonly invalid_integer: FieldValue;
  readonly not_positive: FieldValue;
  readonly invalid_decimal: FieldValue;
  readonly too_many_decimals: FieldValue;
  readonly negative_amount: FieldValue;
  readonly missing_sheet: { readonly names: readonly string[] };
  readonly invalid_choice: FieldValue & { readonly options: readonly EnumOption[] };
  readonly number_too_large: FieldValue;
  readonly number_not_integer: FieldValue;
  readonly cell_error: FieldValue;
  readonly text_too_long: FieldValue & { readonly limit: number };
  readonly out_of_period: FieldValue & { readonly period: string };
  readonly future_date: FieldValue & { readonly today: string };
  readonly purchase_after_install: FieldValue & { readonly installDate: string };
  readonly purchase_after_completion: FieldValue & { readonly completedDate: string };
  readonly purchase_after_request: FieldValue & { readonly requestedDate: string };
  /** A value outside its bounds (shared/domain/bounds.ts), with the bounds as printed. */
  readonly out_of_bounds: FieldValue & { readonly min: string; readonly max: string };
  readonly arrival_before_call: FieldValue & { readonly calledAt: string };
  readonly completed_before_call: FieldValue & { readonly calledAt: string };
  readonly completed_before_arrival: FieldValue & { readonly arrivedAt: string };
  readonly unknown_product: FieldValue;
  readonly unknown_part: FieldValue;
  readonly unknown_dealer: FieldValue;
  readonly return_required_missing: { readonly field: FieldRef };
  readonly ledger_conflict: FieldValue & { readonly id: string; readonly line: number; readonly recorded: string };
  readonly part_without_qty: { readonly field: FieldRef; readonly partCode: string };
  readonly part_qty_without_part: { readonly field: FieldRef; readonly qty: string };
  readonly duplicate_id: FieldValue & { readonly firstRow: number };
  readonly duplicate_part_line: FieldValue & { readonly repairId: string; readonly firstRow: number };
  readonly repair_conflict: FieldValue & { readonly repairId: string; readonly firstRow: number; readonly firstValue: string };
  readonly unknown_serial: FieldValue;
  readonly empty_report: Record<string, never>;
  readonly too_many_errors: { readonly limit: number };
  readonly reply_before_received: FieldValue & { readonly receivedAt: string };
  readonly resolved_before_received: FieldValue & { readonly receivedAt: string };
  readonly follow_up_before_resolved: FieldValue & { readonly resolvedAt: string | null };
  readonly serial_without_model: FieldValue;
  readonly complaint_conflict: FieldValue & { readonly recorded: string };
  readonly purchase_date_mismatch: FieldValue & { readonly archiveDate: string };
  /** `dealerCode` null in what the requesting dealer is told: another dealer's code is not its to know. */
  readonly other_dealer_installation: FieldValue & { readonly dealerCode: string | null };
  readonly request_mismatch: FieldValue & { readonly firstRow: number; readonly firstValue: string };
  readonly request_exists: FieldValue;
  readonly invalid_email: FieldValue;
  readonly unconfirmed_repair: FieldValue & { readonly repairId: string };
  /** Totals and signature rows below the data, each with the text that marked it. */
  readonly ignored_rows: { readonly rows: readonly { readonly row: number; readonly text: string }[] };
  /** A phone typed as a number that lost its leading 0; `cell` is its reference, F12. */
  readonly phone_lost_zero: FieldValue & { readonly cell: string };
  readonly repair_not_reported: FieldValue & { readonly dealer: string };
  readonly repair_not_sampled: FieldValue & { readonly dealer: string; readonly period: string; readonly sample: readonly string[] };
  readonly answer_without_reach: FieldValue;
}

export type IssueCode = keyof MessageParams;

/** Codes that are reported but do not reject an upload. */
const WARNING_CODES: ReadonlySet<string> = new Set<IssueCode>([
  'unknown_column', 'unknown_serial', 'empty_report', 'purchase_date_mismatch', 'other_dealer_installation', 'unconfirmed_repair',
]);

/** Warnings about how a sheet was read rather than about its records. */
const READING_WARNINGS: ReadonlySet<string> = new Set<string>(['ignored_rows', 'phone_lost_zero', 'hidden_sheet_read']);

/** Whether an issue's code rejects the upload or only warns. */
export const severityOf = (code: string): Severity => (WARNING_CODES.has(code) || READING_WARNINGS.has(code) ? 'warning' : 'error');

interface Bilingual {
  readonly en: string;
  readonly zh: string;
}

/**
 * Bidirectional controls and zero-width characters: invisible in a cell, but a quoted
 * U+202E turns the rest of a message around and a U+200B makes two equal-looking values
 * differ. They are removed from every value an issue quotes.
 */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** `text` as a user can see it: without bidirectional controls and zero-width characters. */
export const visibleText = (text: string): string => text.replace(INVISIBLE, '');

/** Long cell contents would drown the message; the full value stays in `Issue.value`. */
const MAX_QUOTED = 60;
const clip = (raw: string): string => {
  const text = visibleText(raw);
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
};
const en = (text: string): string => `"${clip(text)}"`;
const zh = (text: string): string => `“${clip(text)}”`;

const DATE_EXAMPLE = '2026-10-03';
const DATETIME_EXAMPLE = '2026-10-03 14:30';

/** The Chinese spelling of an option: its first name (fields.ts lists Chinese names first). */
const zhName = (option: EnumOption): string => option.names[0] ?? option.code;

const CATALOG: { readonly [C in IssueCode]: (p: MessageParams[C]) => Bilingual } = {
  missing_column: ({ field, near }) =>
    near === undefined
      ? {
          en: `Column ${field.name} (${field.zh}) is missing; add it to the header row as in the template`,
          zh: `缺少“${field.zh}”列（${field.name}），请按模板在表头行补上该列`,
        }
      : {
          en: `Column ${field.name} (${field.zh}) is missing; the column headed ${en(near)} is probably it: write its header as ${field.zh} or ${field.name}`,
          zh: `缺少“${field.zh}”列（${field.name}）；表头为${zh(near)}的列可能就是该列，请将表头改为“${field.zh}”或 ${field.name}`,
        },
  duplicate_column: ({ field, header }) => ({
    en: `Column ${field.name} appears twice (${en(header)}); keep only one of them`,
    zh: `“${field.zh}”列出现了两次（${zh(header)}），请只保留一列`,
  }),
  wrong_template: ({ found, expected }) => ({
    en: `This file is the ${found.en}, not the ${expected.en}: upload it as the ${found.en}, and here the ${expected.en}`,
    zh: `这是一份${found.zh}，不是${expected.zh}：请把它作为${found.zh}上传，此处请上传${expected.zh}`,
  }),
  header_not_found: ({ expected, scanned }) => ({
    en: `No header row found in the first ${scanned} rows; the header row must name the columns as the template does, e.g. ${expected.map((f) => f.name).join(', ')}`,
    zh: `前 ${scanned} 行中未找到表头行；请按模板填写列名，例如：${expected.map((f) => f.zh).join('、')}`,
  }),
  unknown_column: ({ header, probable }) =>
    probable === undefined
      ? { en: `Column ${en(header)} is not in the template and was ignored`, zh: `${zh(header)}列不在模板中，已忽略` }
      : {
          en: `Column ${en(header)} is not in the template and was ignored; it probably means ${probable.name} (${probable.zh}): write its header as in the template`,
          zh: `${zh(header)}列不在模板中，已忽略；它可能是“${probable.zh}”列（${probable.name}），请按模板填写表头`,
        },
  required: ({ field }) => ({
    en: `${field.name}: missing; this field is required`,
    zh: `${field.zh}：未填写，此项必填`,
  }),
  invalid_date: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not a date; write it as ${DATE_EXAMPLE}`,
    zh: `${field.zh}：${zh(value)}不是有效日期，请按 ${DATE_EXAMPLE} 填写`,
  }),
  ambiguous_date: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is ambiguous (the order of day and month, or the year, is unclear); write year-month-day, e.g. ${DATE_EXAMPLE}`,
    zh: `${field.zh}：${zh(value)}有歧义（无法确定年、月、日），请按“年-月-日”填写，如 ${DATE_EXAMPLE}`,
  }),
  missing_time: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} has no time of day; write the date and time, e.g. ${DATETIME_EXAMPLE} (needed for response times)`,
    zh: `${field.zh}：${zh(value)}缺少时间，请填写日期和时间，如 ${DATETIME_EXAMPLE}（用于统计响应时间）`,
  }),
  invalid_datetime: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not a date and time; write it as ${DATETIME_EXAMPLE}`,
    zh: `${field.zh}：${zh(value)}不是有效的日期时间，请按 ${DATETIME_EXAMPLE} 填写`,
  }),
  invalid_integer: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not a whole number; write a number such as 2`,
    zh: `${field.zh}：${zh(value)}不是整数，请填写整数，如 2`,
  }),
  not_positive: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} must be greater than 0`,
    zh: `${field.zh}：${zh(value)}必须大于 0`,
  }),
  invalid_decimal: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not an amount; write a number such as 35.50`,
    zh: `${field.zh}：${zh(value)}不是有效金额，请填写数字，如 35.50`,
  }),
  too_many_decimals: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} has more than 2 decimals; round it to the fen, e.g. 35.50`,
    zh: `${field.zh}：${zh(value)}超过两位小数，请精确到分，如 35.50`,
  }),
  negative_amount: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is negative; a price is 0 or more`,
    zh: `${field.zh}：${zh(value)}为负数，价格不能小于 0`,
  }),
  missing_sheet: ({ names }) => ({
    en: `The workbook has no sheet named ${names.join(' or ')}; add it (the master-data template has all three)`,
    zh: `工作簿中缺少名为“${names.join('”或“')}”的工作表，请补上（主数据模板包含全部三张表）`,
  }),
  invalid_choice: ({ field, value, options }) => ({
    en: `${field.name}: ${en(value)} is not an accepted value; write one of: ${options.map((o) => `${o.code} (${zhName(o)})`).join(', ')}`,
    zh: `${field.zh}：${zh(value)}不是可选值，请填写：${options.map(zhName).join(' / ')}`,
  }),
  number_too_large: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} was stored as a number and Excel has already lost digits; format the column as Text and type the value again`,
    zh: `${field.zh}：${zh(value)}被 Excel 存成了数字，已丢失位数；请将该列设为“文本”格式后重新输入`,
  }),
  number_not_integer: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} was stored as a number with decimals, which Excel may have rounded; format the column as Text and type the value again`,
    zh: `${field.zh}：${zh(value)}被 Excel 存成了带小数的数字，可能已被改动；请将该列设为“文本”格式后重新输入`,
  }),
  cell_error: ({ field, value }) => ({
    en: `${field.name}: the cell shows the Excel error ${value}; fix the formula or type the value`,
    zh: `${field.zh}：单元格显示错误值 ${value}，请修正公式或直接填写`,
  }),
  text_too_long: ({ field, value, limit }) => ({
    en: `${field.name}: the text has ${value.length} characters; at most ${limit} are allowed, shorten it`,
    zh: `${field.zh}：内容有 ${value.length} 个字符，最多 ${limit} 个，请精简`,
  }),
  out_of_period: ({ field, value, period }) => ({
    en: `${field.name}: ${value} is not in ${period}; the report for ${period} holds that month's records only, report it in its own month`,
    zh: `${field.zh}：${value} 不在 ${period} 月内；${period} 的报表只填写该月的记录，请在所属月份的报表中上报`,
  }),
  future_date: ({ field, value, today }) => ({
    en: `${field.name}: ${value} is in the future (today is ${today}); check the date`,
    zh: `${field.zh}：${value} 晚于今天（${today}），请核对日期`,
  }),
  purchase_after_install: ({ field, value, installDate }) => ({
    en: `${field.name}: ${value} is after the install date ${installDate}; a product is bought before it is installed, check both dates`,
    zh: `${field.zh}：${value} 晚于安装日期 ${installDate}，请核对两个日期`,
  }),
  purchase_after_request: ({ field, value, requestedDate }) => ({
    en: `${field.name}: ${value} is after the request date ${requestedDate}; a part is asked for a unit already bought`,
    zh: `${field.zh}：${value} 晚于申请日期 ${requestedDate}；请核对购买日期`,
  }),
  out_of_bounds: ({ field, value, min, max }) => ({
    en: `${field.name}: ${en(value)} is out of bounds; it must be from ${min} to ${max}`,
    zh: `${field.zh}：${zh(value)}超出范围，应在 ${min} 至 ${max} 之间`,
  }),
  purchase_after_completion: ({ field, value, completedDate }) => ({
    en: `${field.name}: ${value} is after the repair's completed date ${completedDate}; check both dates`,
    zh: `${field.zh}：${value} 晚于维修完成日期 ${completedDate}，请核对两个日期`,
  }),
  arrival_before_call: ({ field, value, calledAt }) => ({
    en: `${field.name}: ${value} is before the call at ${calledAt}; check both times`,
    zh: `${field.zh}：${value} 早于报修时间 ${calledAt}，请核对两个时间`,
  }),
  completed_before_call: ({ field, value, calledAt }) => ({
    en: `${field.name}: ${value} is before the call at ${calledAt}; a repair is completed after it is reported, check the dates`,
    zh: `${field.zh}：${value} 早于报修时间 ${calledAt}，请核对日期`,
  }),
  completed_before_arrival: ({ field, value, arrivedAt }) => ({
    en: `${field.name}: ${value} is before the arrival at ${arrivedAt}; check the dates`,
    zh: `${field.zh}：${value} 早于到达时间 ${arrivedAt}，请核对日期`,
  }),
  unknown_product: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not in the product list; check the model, or ask the after-sales department to add it`,
    zh: `${field.zh}：${zh(value)}不在产品目录中，请核对型号，或联系售后服务部添加`,
  }),
  unknown_dealer: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not in the dealer list; check the dealer code`,
    zh: `${field.zh}：${zh(value)}不在经销商名录中，请核对经销商编码`,
  }),
  return_required_missing: ({ field }) => ({
    en: `${field.name}: a special approval must say whether the old part comes back (是 yes / 否 no), as the approval states`,
    zh: `${field.zh}：特批发料须按批文填写是否需退回旧件（是 / 否）`,
  }),
  ledger_conflict: ({ field, value, id, line, recorded }) => ({
    en: `${field.name}: ${en(value)} differs from line ${line} of ${id} recorded earlier (${recorded}); a recorded line is never overwritten — use a new id for a correction`,
    zh: `${field.zh}：${zh(value)}与此前已登记的 ${id} 第 ${line} 行（${recorded}）不一致；已登记的行不会被覆盖，更正请使用新单号`,
  }),
  unknown_part: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not in the parts price list; check the part code, or ask the after-sales department to add it`,
    zh: `${field.zh}：${zh(value)}不在配件价目表中，请核对配件编码，或联系售后服务部添加`,
  }),
  part_without_qty: ({ field, partCode }) => ({
    en: `${field.name}: missing; part ${en(partCode)} is given, write how many were used`,
    zh: `${field.zh}：未填写；已填写配件${zh(partCode)}，请填写使用数量`,
  }),
  part_qty_without_part: ({ field, qty }) => ({
    en: `${field.name}: missing; a quantity (${qty}) is given, write the part code or clear the quantity`,
    zh: `${field.zh}：未填写；已填写数量（${qty}），请填写配件编码或删除数量`,
  }),
  duplicate_id: ({ field, value, firstRow }) => ({
    en: `${field.name}: ${en(value)} already appears in row ${firstRow}; each ${field.name} may appear only once in the report`,
    zh: `${field.zh}：${zh(value)}与第 ${firstRow} 行重复，本报表内不得重复`,
  }),
  duplicate_part_line: ({ field, value, repairId, firstRow }) => ({
    en: `${field.name}: part ${en(value)} of repair ${en(repairId)} is already listed in row ${firstRow}; put the total quantity on one row`,
    zh: `${field.zh}：维修单${zh(repairId)}的配件${zh(value)}已在第 ${firstRow} 行填写，请合并为一行并填写总数量`,
  }),
  repair_conflict: ({ field, value, repairId, firstRow, firstValue }) => ({
    en: `${field.name}: ${en(value)} differs from ${en(firstValue)} in row ${firstRow} of the same repair ${en(repairId)}; repeat the same value or leave the cell blank`,
    zh: `${field.zh}：${zh(value)}与同一维修单${zh(repairId)}第 ${firstRow} 行的${zh(firstValue)}不一致，请填写相同内容或留空`,
  }),
  unknown_serial: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} has not appeared in any installation report; check it (no action needed if the product was installed before the system started or by another dealer)`,
    zh: `${field.zh}：${zh(value)}未出现在任何安装报表中，请核对（系统启用前安装或由其他经销商安装的产品无需处理）`,
  }),
  empty_report: () => ({
    en: 'The report has no rows below its header: it is taken as a month with nothing to report. If that is not so, fill in the rows and upload it again',
    zh: '报表表头以下没有数据，视为本月无业务；如非如此，请填写后重新上传',
  }),
  ignored_rows: ({ rows }) => {
    const listed = rows.slice(0, 10);
    const more = rows.length > listed.length ? ` (+${rows.length - listed.length})` : '';
    return {
      en: `Row${rows.length > 1 ? 's' : ''} ${listed.map(({ row, text }) => `${row} ${en(text)}`).join(', ')}${more} ${rows.length > 1 ? 'are totals or signatures' : 'is a total or a signature'}, not records; not counted and not read`,
      zh: `第 ${listed.map(({ row, text }) => `${row} 行${zh(text)}`).join('、')}${more}为合计或签字行，不是记录；未计入、未读取`,
    };
  },
  phone_lost_zero: ({ field, value, cell }) => ({
    en: `${field.name}: cell ${cell} holds ${en(value)}, a number: a phone of 10–11 digits not starting with 1 has most likely lost its leading 0. It was kept as shown; check it, and format the column as text before typing phones`,
    zh: `${field.zh}：单元格 ${cell} 为数字${zh(value)}，10–11 位且不以 1 开头的电话很可能丢失了开头的 0；已按所显示的内容保存，请核对，并先将该列设为文本格式再填写电话`,
  }),
  too_many_errors: ({ limit }) => ({
    en: `More than ${limit} problems; only the first ${limit} are listed. Fix them and upload the file again`,
    zh: `问题超过 ${limit} 个，仅列出前 ${limit} 个；请修正后重新上传`,
  }),
  reply_before_received: ({ field, value, receivedAt }) => ({
    en: `${field.name} ${en(value)} is before the complaint was received (${receivedAt}); a reply comes after the complaint`,
    zh: `${field.zh}${zh(value)}早于投诉时间（${receivedAt}），答复应在投诉之后`,
  }),
  resolved_before_received: ({ field, value, receivedAt }) => ({
    en: `${field.name} ${en(value)} is before the complaint was received (${receivedAt}); write when it was really resolved`,
    zh: `${field.zh}${zh(value)}早于投诉时间（${receivedAt}），请填写实际解决时间`,
  }),
  follow_up_before_resolved: ({ field, value, resolvedAt }) => ({
    en: resolvedAt === null
      ? `${field.name} ${en(value)}: a follow-up call comes after the resolution, and resolved_at is empty`
      : `${field.name} ${en(value)} is before the resolution (${resolvedAt}); the follow-up call comes after it`,
    zh: resolvedAt === null
      ? `${field.zh}${zh(value)}：回访应在解决之后，但解决时间为空`
      : `${field.zh}${zh(value)}早于解决时间（${resolvedAt}），回访应在解决之后`,
  }),
  serial_without_model: ({ field, value }) => ({
    en: `${field.name} ${en(value)} is given without product_model; a serial number is known only with its model`,
    zh: `填写了${field.zh}${zh(value)}但未填写产品型号；序列号须与型号一起填写`,
  }),
  complaint_conflict: ({ field, value, recorded }) => ({
    en: `Complaint ${en(value)} is already recorded with other facts (${recorded}); a complaint id is used once. Give a new complaint a new id; only the reply, resolution and follow-up of a recorded complaint may be filled in later`,
    zh: `投诉单号${zh(value)}已登记且内容不同（${recorded}）；投诉单号不可重复使用。新投诉请用新单号；已登记的投诉只可补填答复、解决与回访`,
  }),
  purchase_date_mismatch: ({ field, value, archiveDate }) => ({
    en: `${field.name}: ${en(value)} differs from the purchase date ${archiveDate} in the end-user archive (installation report); the archive's date is used for the warranty`,
    zh: `${field.zh}：${zh(value)}与用户档案（安装报表）中的购买日期 ${archiveDate} 不一致；保修按档案日期判定`,
  }),
  other_dealer_installation: ({ field, value, dealerCode }) =>
    dealerCode === null
      ? {
          en: `${field.name}: ${en(value)} is another dealer's unit, per the maker's records; answered from the maker's records, please check it`,
          zh: `${field.zh}：${zh(value)}依据厂家档案属其他经销商的产品；已按厂家档案判定，请核对`,
        }
      : {
          en: `${field.name}: ${en(value)} was installed by dealer ${dealerCode}; answered from the facts on file, please check it`,
          zh: `${field.zh}：${zh(value)}由经销商 ${dealerCode} 安装；已按档案判定，请核对`,
        },
  request_mismatch: ({ field, value, firstRow, firstValue }) => ({
    en: `${field.name}: ${en(value)} differs from ${en(firstValue)} in row ${firstRow}; one file holds one request, so every row repeats the same ${field.name}`,
    zh: `${field.zh}：${zh(value)}与第 ${firstRow} 行的${zh(firstValue)}不一致；一个文件只能填写一张申请单，各行须相同`,
  }),
  request_exists: ({ field, value }) => ({
    en: `${field.name}: request ${en(value)} was already submitted; give a new request a new id`,
    zh: `${field.zh}：申请单${zh(value)}已提交过，新申请请使用新的单号`,
  }),
  invalid_email: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is not an e-mail address; write one address such as service@dealer.example, or leave the cell blank`,
    zh: `${field.zh}：${zh(value)}不是有效的电子邮箱，请填写一个邮箱（如 service@dealer.example）或留空`,
  }),
  repair_not_reported: ({ field, value, dealer }) => ({
    en: `${field.name}: repair ${en(value)} is on no current repair report of dealer ${dealer}; check the repair id and the dealer code`,
    zh: `${field.zh}：经销商 ${dealer} 的现行维修报表中没有维修单${zh(value)}，请核对维修单号与经销商编码`,
  }),
  repair_not_sampled: ({ field, value, dealer, period, sample }) => ({
    en: `${field.name}: repair ${en(value)} of dealer ${dealer} is not in the maker's sample of ${period} (${sample.join(', ') || 'none'}); only sampled repairs are called and recorded`,
    zh: `${field.zh}：经销商 ${dealer} 的维修单${zh(value)}不在 ${period} 的厂家抽查样本（${sample.join('、') || '无'}）中；只登记抽中的维修单`,
  }),
  answer_without_reach: ({ field, value }) => ({
    en: `${field.name}: ${en(value)} is given but the customer was not reached; leave it blank, or write reached 是 yes`,
    zh: `${field.zh}：未联系到用户，不能填写${zh(value)}；请留空，或将“是否联系到”填为“是”`,
  }),
  unconfirmed_repair: ({ field, value, repairId }) => ({
    en: `${field.name}: ${en(value)}: repair ${en(repairId)} was not confirmed by the customer; it is recorded, but a repair is filed only once the customer confirms it — have it confirmed and report it again`,
    zh: `${field.zh}：${zh(value)}：维修单${zh(repairId)}未经客户确认；已登记，但维修须经客户确认后备案，请取得客户确认后重新上报`,
  }),
};

/** Where an issue points: the Excel row, the field name and the cell as the user saw it. */
export interface IssueLocation {
  readonly row: number | null;
  readonly column: string | null;
  readonly value: string | null;
}

/** Builds an `Issue` for `code` at `at`, with both messages written from `params`. */
export function makeIssue<C extends IssueCode>(code: C, at: IssueLocation, params: MessageParams[C]): Issue {
  const template: (p: MessageParams[C]) => Bilingual = CATALOG[code];
  const { en: message, zh: message_zh } = template(params);
  return { row: at.row, column: at.column, value: at.value === null ? null : visibleText(at.value), code, message, message_zh };
}

/** The issue for a cell that cannot be read as `field` says, for the reason `code`. */
export function valueIssue(code: ValueErrorCode, at: IssueLocation, field: FieldSpec, value: string): Issue {
  switch (code) {
    case 'invalid_choice':
      return makeIssue(code, at, { field, value, options: field.options ?? [] });
    case 'text_too_long':
      return makeIssue(code, at, { field, value, limit: field.kind === 'text' ? MAX_TEXT_LENGTH : MAX_ID_LENGTH });
    default:
      return makeIssue(code, at, { field, value });
  }
}

const SERIAL_NO: FieldRef = { name: 'serial_no', zh: '产品序列号' };

/**
 * The warning for a repaired serial number that no installation report has shown; the
 * validator cannot know that (it needs the archive), so the use case raises it with this.
 */
export const unknownSerialWarning = (row: number, serial: string): Issue =>
  makeIssue('unknown_serial', { row, column: SERIAL_NO.name, value: serial }, { field: SERIAL_NO, value: serial });

const PURCHASE_DATE: FieldRef = { name: 'purchase_date', zh: '购买日期' };

/**
 * The warnings of a warranty decision (shared/domain/warranty.ts) as issues of the row that
 * stated the unit: an unknown serial, a purchase date other than the archive's, a unit
 * another dealer installed. The dealer's view of another dealer's unit names neither that
 * dealer nor its customer's purchase date (domain.md: "per the maker's records").
 */
export function warrantyWarningIssues(
  row: number | null,
  stated: { serial_no: string; purchase_date: string },
  warnings: readonly WarrantyWarning[],
  view: 'dealer' | 'back_office',
): Issue[] {
  const withheld = view === 'dealer' && warnings.some((w) => w.code === 'other_dealer_installation');
  return warnings.flatMap((warning): Issue[] => {
    switch (warning.code) {
      case 'unknown_serial':
        return [makeIssue('unknown_serial', { row, column: SERIAL_NO.name, value: stated.serial_no }, { field: SERIAL_NO, value: stated.serial_no })];
      case 'purchase_date_mismatch':
        if (withheld) return [];
        return [
          makeIssue(
            'purchase_date_mismatch',
            { row, column: PURCHASE_DATE.name, value: stated.purchase_date },
            { field: PURCHASE_DATE, value: stated.purchase_date, archiveDate: warning.archive_date },
          ),
        ];
      case 'other_dealer_installation':
        return [
          makeIssue(
            'other_dealer_installation',
            { row, column: SERIAL_NO.name, value: stated.serial_no },
            { field: SERIAL_NO, value: stated.serial_no, dealerCode: withheld ? null : warning.dealer_code },
          ),
        ];
    }
  });
}
