/**
 * Which worksheet of an upload holds the data (domain.md, "Which sheet"): visible sheets
 * first; among the sheets with the template's header and rows under it, the one whose rows
 * fall in the report's month or that is named for it (10月, 2026-10, October); when that
 * cannot tell, one message naming the candidates — never a silent choice. Rows that sit only
 * on hidden sheets are named as such rather than read as "0 rows".
 */
import type { CellValue } from './cells.js';
import type { FieldSpec } from './fields.js';
import type { Issue } from './issues.js';
import { parseDate, parseDateTime } from './values.js';

/** What a look at the top of one worksheet found. */
export interface SheetSurvey {
  readonly name: string;
  readonly hidden: boolean;
  /** Whether a header row of the template was found near its top. */
  readonly header: boolean;
  /** Data rows sampled under the header (at most the sample size). */
  readonly rows: number;
  /** Of the sampled rows, how many have their month field in the report's month. */
  readonly inPeriod: number;
}

export type SheetChoice =
  | { readonly kind: 'chosen'; readonly name: string | undefined; readonly warning?: Issue }
  | { readonly kind: 'refused'; readonly issue: Issue };

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const CHINESE_MONTHS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** Whether a sheet's name names the month of `period` (YYYY-MM): 10月, 十月, 2026-10, 2026.10, 202610, October, Oct. */
export function namesPeriod(name: string, period: string): boolean {
  const [year = '', monthText = ''] = period.split('-');
  const month = Number(monthText);
  if (!(month >= 1 && month <= 12)) return false;
  const text = name.normalize('NFKC').toLowerCase();
  const english = MONTH_NAMES[month - 1] ?? '';
  const patterns = [
    new RegExp(`(?<!\\d)0?${month}\\s*月`),
    new RegExp(`(?<![一二三四五六七八九十])${CHINESE_MONTHS[month - 1]}月`),
    new RegExp(`(?<!\\d)${year}\\s*[-./_年]?\\s*0?${month}(?!\\d)`),
    new RegExp(`(?<![a-z])(?:${english}|${english.slice(0, 3)})(?![a-z])`),
  ];
  return patterns.some((pattern) => pattern.test(text));
}

/** Whether `cell`, read as the month field says, falls in `period`. */
export function inPeriod(field: FieldSpec, cell: CellValue | undefined, period: string): boolean {
  if (cell === undefined || cell === null) return false;
  const parsed = field.kind === 'datetime' ? parseDateTime(cell) : parseDate(cell);
  return parsed.ok && parsed.value.startsWith(`${period}-`);
}

const quoted = (names: readonly string[], open: string, close: string): string => names.map((name) => `${open}${name}${close}`).join(', ');

/**
 * Picks the data sheet from the surveys of every worksheet in tab order (the annotated
 * workbook's error list already left out). With no sheet holding the header, the first
 * visible sheet is read, so that the missing header is reported on it.
 */
export function chooseSheet(surveys: readonly SheetSurvey[], period: string | undefined): SheetChoice {
  const first = surveys.find((s) => !s.hidden) ?? surveys[0];
  const headed = surveys.filter((s) => s.header);
  if (headed.length === 0) return { kind: 'chosen', name: first?.name };
  const filled = headed.filter((s) => s.rows > 0);
  const visible = filled.filter((s) => !s.hidden);
  if (filled.length > 0 && visible.length === 0) {
    const names = filled.map((s) => s.name);
    // No visible template to have filled in instead: the hidden sheet is the report, and the dealer is told it was read.
    const [only] = filled;
    if (only !== undefined && names.length === 1 && !headed.some((s) => !s.hidden)) {
      return {
        kind: 'chosen',
        name: only.name,
        warning: {
          row: null,
          column: null,
          value: only.name,
          code: 'hidden_sheet_read',
          message: `The rows were read from the hidden sheet "${only.name}", the only sheet with the report's header; check that it is the report you meant to send`,
          message_zh: `已从隐藏的工作表“${only.name}”读取数据（唯一带有报表表头的工作表），请确认这就是要提交的报表`,
        },
      };
    }
    return {
      kind: 'refused',
      issue: {
        row: null,
        column: null,
        value: names.join(', '),
        code: 'data_on_hidden_sheet',
        message: `The rows are on hidden sheet${names.length > 1 ? 's' : ''} ${quoted(names, '"', '"')}; the visible sheets hold none. Unhide the sheet with the report (right-click a sheet tab, Unhide) or copy its rows onto the visible template, then upload again`,
        message_zh: `数据位于隐藏的工作表${quoted(names, '“', '”')}中，可见的工作表中没有数据；请取消隐藏该工作表（右键单击工作表标签，选择“取消隐藏”），或将数据复制到可见的模板中，再重新上传`,
      },
    };
  }
  // A blank template in front of the filled sheet, or no rows anywhere: the first visible sheet with the header.
  if (visible.length <= 1) return { kind: 'chosen', name: (visible[0] ?? headed.find((s) => !s.hidden) ?? headed[0])?.name };
  if (period !== undefined) {
    const byRows = visible.filter((s) => s.inPeriod * 2 > s.rows);
    if (byRows.length === 1) return { kind: 'chosen', name: byRows[0]?.name };
    const pool = byRows.length > 1 ? byRows : visible;
    const byName = pool.filter((s) => namesPeriod(s.name, period));
    if (byName.length === 1) return { kind: 'chosen', name: byName[0]?.name };
  }
  const names = visible.map((s) => s.name);
  const month = period === undefined ? '' : ` of ${period}`;
  const monthZh = period === undefined ? '' : ` ${period} `;
  return {
    kind: 'refused',
    issue: {
      row: null,
      column: null,
      value: names.join(', '),
      code: 'sheet_ambiguous',
      message: `Several sheets hold report rows: ${quoted(names, '"', '"')}, and none is plainly the report${month} (by its dates or its name). Keep only the month's sheet in the file, or name it for the month (e.g. 10月), then upload again`,
      message_zh: `多个工作表都有报表数据：${quoted(names, '“', '”')}，无法从日期或名称判断哪一个是${monthZh}月的报表；请只保留本月的工作表，或以月份命名（如“10月”），再重新上传`,
    },
  };
}
