/**
 * The month's statistics (售后服务月度统计) as finance and the after-sales department read
 * them: a summary first (service levels against their targets, green when met and red when
 * not, and the month's totals), then one sheet per table of `MonthStatistics`.
 *
 * exceljs cannot write charts. Where a person would rather look than read — the per-dealer,
 * per-product and per-part tables — numbers carry data bars and shares a red–yellow–green
 * colour scale, which show the same at a glance and survive any edit of the table.
 *
 * Shares are exact fractions until here; they become percentages only in these cells, and
 * whether a target is met is the domain's exact verdict, not a comparison of the percentages.
 */
import type ExcelJS from 'exceljs';
import type { ShipmentKind } from '../domain/ledger-validation.js';
import type {
  DealerServiceRow, FaultCauseRow, InstallationRow, MonthStatistics, OutboundRow, PartUseRow, ProductRepairRow,
  ReturnsRow, RevenueRow, RevenueSource, Share, TargetCheck, UnboxingCaseRow, UnboxingRow, UnformedRow,
} from '../domain/statistics.js';
import { sum, type Fen } from '../domain/money.js';
import {
  addSheet, addTableSheet, BAD_FILL, GOOD_FILL, mergedRow, newWorkbook, setupPrint, TABLE_TOP, workbookBytes, writeTable,
  writeTitle, type Column, type SheetTitles,
} from './layout.js';
import type { DealerVerification, ScorecardYear } from '../app/quality/scorecard.js';
import { addScorecardSheet, addVerificationSheet } from './scorecard-sheet.js';
import { UNFORMED_SHEET } from './columns.js';

/** Names of the codes in the statistics, from master data; a code without one shows a blank name. */
export interface StatisticsNames {
  readonly dealers: ReadonlyMap<string, string>;
  readonly parts: ReadonlyMap<string, string>;
  readonly products: ReadonlyMap<string, string>;
}

const KIND_LABELS: Readonly<Record<ShipmentKind, string>> = {
  warranty_loan: '保修借料 warranty loan',
  charged: '收费 charged',
  gift: '赠送品 gift',
  office_supplies: '办公用品 office supplies',
  promotional: '宣传资料 promotional',
  special_approval: '特批 special approval',
};

const SOURCE_LABELS: Readonly<Record<RevenueSource, string>> = {
  possession: '事实占有 de facto possession',
  sale: '收费发料 parts sold',
  supplement: '补充收费 supplement',
  credit_note: '红字冲销 credit note',
};

/** A code column and its name column, the name looked up in `names`. */
function codeAndName<R>(code: (row: R) => string, names: ReadonlyMap<string, string>, headers: readonly [string, string]): Column<R>[] {
  return [
    { kind: 'text', header: headers[0], width: 13, value: code },
    { kind: 'text', header: headers[1], width: 20, value: (r) => names.get(code(r)) ?? '', wrap: true },
  ];
}

const dealer = <R extends { readonly dealer_code: string }>(names: StatisticsNames): Column<R>[] =>
  codeAndName((r: R) => r.dealer_code, names.dealers, ['经销商编码\nDealer code', '经销商名称\nDealer name']);
const part = <R extends { readonly part_code: string }>(names: StatisticsNames): Column<R>[] =>
  codeAndName((r: R) => r.part_code, names.parts, ['配件编码\nPart code', '配件名称\nPart name']);
const product = <R extends { readonly product_model: string }>(names: StatisticsNames): Column<R>[] =>
  codeAndName((r: R) => r.product_model, names.products, ['产品型号\nProduct model', '产品名称\nProduct name']);

/** A totalled count column; `bars` when the column is the one a reader compares across rows. */
const count = <R>(header: string, value: (row: R) => number, look?: 'bars'): Column<R> =>
  ({ kind: 'count', header, width: 11, value, total: true, ...(look && { look }) });

const share = <R>(header: string, value: (row: R) => Share): Column<R> => ({ kind: 'share', header, width: 11, value, look: 'scale' });

const PHASE_COLUMNS = <R extends { readonly unboxing: number; readonly in_warranty: number; readonly out_of_warranty: number }>(): Column<R>[] => [
  count('开箱期\nUnboxing', (r) => r.unboxing),
  count('保修期内\nIn warranty', (r) => r.in_warranty),
  count('保修期外\nOut of warranty', (r) => r.out_of_warranty),
];

/** One sheet of the workbook after the summary: its tab name, its title, its table. */
interface TableSheet<R> {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly Column<R>[];
  readonly rows: readonly R[];
}

/** Writes a sheet into a workbook under the workbook's subtitle; the row type stays inside. */
type SheetWriter = (workbook: ExcelJS.Workbook, subtitle: string) => void;

function tableSheet<R>(spec: TableSheet<R>): SheetWriter {
  return (workbook, subtitle) => {
    const titles: SheetTitles = { title: spec.title, subtitle };
    addTableSheet(workbook, spec.name, titles, spec.columns, spec.rows);
  };
}

/** Every table sheet, in tab order; the sheet of charged shipments no form names only when there are some. */
function tableSheets(stats: MonthStatistics, names: StatisticsNames): SheetWriter[] {
  const { repairs } = stats;
  const sheets = [
    tableSheet<OutboundRow>({
      name: '出库 Outbound', title: '配件出库', rows: stats.outbound.rows,
      columns: [...dealer<OutboundRow>(names), { kind: 'text', header: '类型\nKind', width: 24, value: (r) => KIND_LABELS[r.kind] }, ...part<OutboundRow>(names), count('数量\nQty', (r) => r.qty, 'bars')],
    }),
    tableSheet<RevenueRow>({
      name: '收入 Revenue', title: '售后服务销售收入', rows: stats.revenue.rows,
      columns: [
        ...dealer<RevenueRow>(names), ...part<RevenueRow>(names),
        { kind: 'text', header: '来源\nSource', width: 26, value: (r) => SOURCE_LABELS[r.source] },
        count('数量\nQty', (r) => r.qty),
        { kind: 'money', header: '金额（元）\nAmount', width: 14, value: (r) => r.amount, total: true, look: 'bars' },
      ],
    }),
    tableSheet<ReturnsRow>({
      name: '退料 Returns', title: '退料入库与借出', rows: stats.returns.rows,
      columns: [...dealer<ReturnsRow>(names), ...part<ReturnsRow>(names), count('借出\nLent', (r) => r.lent, 'bars'), count('退回\nReturned', (r) => r.returned, 'bars')],
    }),
    tableSheet<InstallationRow>({
      name: '安装 Installations', title: '安装情况统计', rows: stats.installations.rows,
      columns: [
        ...dealer<InstallationRow>(names), ...product<InstallationRow>(names),
        count('安装台数\nInstallations', (r) => r.installations, 'bars'), count('调试不合格\nCommissioning failed', (r) => r.commissioning_failed, 'bars'),
      ],
    }),
    tableSheet<DealerServiceRow>({
      name: '维修·经销商 Repairs by dealer', title: '维修情况：按经销商', rows: repairs.by_dealer,
      columns: [
        ...dealer<DealerServiceRow>(names), count('服务记录\nRecords', (r) => r.records, 'bars'), count('维修\nRepair calls', (r) => r.repair_calls),
        ...PHASE_COLUMNS<DealerServiceRow>(), count('材料收费\nMaterials charged', (r) => r.materials_charged),
      ],
    }),
    tableSheet<ProductRepairRow>({
      name: '维修·产品 Repairs by product', title: '维修情况：按产品', rows: repairs.by_product,
      columns: [...product<ProductRepairRow>(names), count('服务记录\nRecords', (r) => r.records, 'bars'), ...PHASE_COLUMNS<ProductRepairRow>()],
    }),
    tableSheet<FaultCauseRow>({
      name: '维修·原因 Repairs by cause', title: '维修情况：按故障原因', rows: repairs.by_fault_cause,
      columns: [{ kind: 'text', header: '故障原因\nFault cause', width: 36, value: (r) => r.fault_cause, wrap: true }, count('服务记录\nRecords', (r) => r.records, 'bars')],
    }),
    tableSheet<PartUseRow>({
      name: '维修·配件 Repairs by part', title: '维修情况：按配件', rows: repairs.by_part,
      columns: [...part<PartUseRow>(names), count('记录行\nLines', (r) => r.lines), count('数量\nQty', (r) => r.qty, 'bars')],
    }),
    tableSheet<UnboxingRow>({
      name: '开箱 Unboxing', title: '开箱期问题', rows: stats.unboxing.rows,
      columns: [
        ...dealer<UnboxingRow>(names), ...product<UnboxingRow>(names),
        count('问题安装\nInstallations with a problem', (r) => r.installations, 'bars'),
        count('开箱问题\nUnboxing issue', (r) => r.installation_issues), count('调试不合格\nCommissioning failed', (r) => r.commissioning_failed),
        count('开箱期维修\nUnboxing repairs', (r) => r.repairs, 'bars'),
      ],
    }),
    tableSheet<UnboxingCaseRow>({
      name: '开箱案例 Unboxing cases', title: '开箱问题处理情况', rows: stats.unboxing.cases.rows,
      columns: [
        ...dealer<UnboxingCaseRow>(names), count('案例\nCases', (r) => r.cases, 'bars'),
        count('待出方案\nOpen', (r) => r.open), count('已出方案\nPlanned', (r) => r.planned), count('已关闭\nClosed', (r) => r.closed),
        count('方案逾期\nPlan overdue', (r) => r.overdue, 'bars'),
      ],
    }),
    tableSheet<DealerServiceRow>({
      name: '响应 Response', title: '响应时间与满意度：按经销商', rows: repairs.by_dealer,
      columns: [
        ...dealer<DealerServiceRow>(names), count('维修\nRepair calls', (r) => r.repair_calls, 'bars'),
        count('24h 内到达\nReached ≤ 24 h', (r) => r.reached_24h), share('24h 到达率\n≤ 24 h share', (r) => ({ numerator: r.reached_24h, denominator: r.repair_calls })),
        share('24h 内修复\nFixed ≤ 24 h', (r) => ({ numerator: r.fixed_24h, denominator: r.repair_calls })),
        share('48h 内修复\nFixed ≤ 48 h', (r) => ({ numerator: r.fixed_48h, denominator: r.repair_calls })),
        share('满意度\nSatisfaction', (r) => ({ numerator: r.satisfied + r.fairly_satisfied, denominator: r.repair_calls })),
        share('客户确认\nConfirmed', (r) => ({ numerator: r.customer_confirmed, denominator: r.repair_calls })),
        count('服务责任投诉\nService-fault complaints', (r) => r.service_fault_complaints),
        share('投诉率\nComplaint rate', (r) => ({ numerator: r.service_fault_complaints, denominator: r.repair_calls })),
        count('回访（另计）\nReturn visits (apart)', (r) => r.return_visits),
      ],
    }),
  ];
  if (stats.revenue.unformed.length === 0) return sheets;
  return [...sheets, tableSheet<UnformedRow>({
    ...UNFORMED_SHEET, rows: stats.revenue.unformed,
    columns: [
      ...dealer<UnformedRow>(names),
      { kind: 'text', header: '发货单号\nShipment', width: 14, value: (r) => `${r.shipment_id} #${r.line}` },
      { kind: 'text', header: '发货日期\nShipped', width: 12, value: (r) => r.shipped_date },
      ...part<UnformedRow>(names),
      count('数量\nQty', (r) => r.qty),
    ],
  })];
}

const MET = '达标 met';
const NOT_MET = '未达标 not met';

interface KpiRow {
  readonly label: string;
  readonly share: Share;
  readonly target: Share | null;
  readonly met: boolean | null;
}

const verdict = (met: boolean | null): string => (met === null ? '无数据 no data' : met ? MET : NOT_MET);

const ratio = ({ numerator, denominator }: Share): string => `${numerator} / ${denominator}`;

const kpi = (label: string, check: TargetCheck): KpiRow => ({ label, share: check.share, target: check.target, met: check.met });

const KPI_COLUMNS: readonly Column<KpiRow>[] = [
  { kind: 'text', header: '指标 KPI', width: 40, value: (r) => r.label },
  { kind: 'share', header: '实际\nActual', width: 12, value: (r) => r.share },
  { kind: 'share', header: '目标\nTarget', width: 12, value: (r) => r.target },
  { kind: 'text', header: '达标\nMet', width: 16, value: (r) => (r.target === null ? '—' : verdict(r.met)) },
  { kind: 'text', header: '计数\nCount', width: 14, value: (r) => ratio(r.share) },
];

/**
 * Green for a met target and red for a missed one, over the whole KPI row. The rule reads
 * the verdict column, which holds the exact verdict of the statistics, so a share that
 * rounds to the target in floating point is never shown met when it is not.
 */
function colourVerdicts(sheet: ExcelJS.Worksheet, first: number, last: number): void {
  const ref = `A${first}:E${last}`;
  const verdictIs = (text: string): string => `$D${first}="${text}"`;
  sheet.addConditionalFormatting({
    ref,
    rules: [
      { type: 'expression', priority: 1, formulae: [verdictIs(MET)], style: { fill: GOOD_FILL } },
      { type: 'expression', priority: 2, formulae: [verdictIs(NOT_MET)], style: { fill: BAD_FILL } },
    ],
  });
}

interface TotalRow {
  readonly label: string;
  readonly value: number;
}

interface AmountRow {
  readonly label: string;
  readonly amount: Fen;
}

const revenueOf = (rows: readonly RevenueRow[], source: RevenueSource): Fen => sum(rows.filter((r) => r.source === source).map((r) => r.amount));

/** The first sheet: service levels against the targets, the month's totals and its revenue by source. */
function addSummary(workbook: ExcelJS.Workbook, stats: MonthStatistics, subtitle: string): void {
  const sheet = addSheet(workbook, '概要 Summary', KPI_COLUMNS.map((c) => c.width));
  writeTitle(sheet, KPI_COLUMNS.length, '售后服务月度统计', subtitle);
  const { service } = stats;
  const kpis = writeTable(sheet, TABLE_TOP, KPI_COLUMNS, [
    kpi('24 小时内到达 Repairs reached within 24 h', service.reached_24h),
    { label: '24 小时内修复 Repairs fixed within 24 h', share: service.fixed_24h, target: null, met: null },
    kpi('48 小时内修复 Repairs fixed within 48 h', service.fixed_48h),
    kpi('客户满意度（满意+基本满意）Satisfied or fairly satisfied', service.satisfaction),
    { label: '用户确认 Confirmed by the customer', share: service.customer_confirmed, target: null, met: null },
    kpi('服务责任投诉率（< 3%）Service-fault complaint rate', service.complaint_rate),
  ]);
  colourVerdicts(sheet, kpis.first, kpis.last);
  mergedRow(sheet, kpis.last + 1, KPI_COLUMNS.length, `各项指标仅统计维修记录（${service.repair_calls} 条）；回访 ${service.return_visits} 条另计。百分比截尾保留一位小数。 Figures over repair calls only; return visits counted apart. Percentages truncated to one decimal.`, { italic: true, size: 9 });

  const totals = writeTable<TotalRow>(sheet, kpis.last + 3, [
    { kind: 'text', header: '本月合计 Month totals', width: 40, value: (r) => r.label },
    { kind: 'count', header: '数量\nCount', width: 12, value: (r) => r.value },
  ], [
    { label: '出库件数 Parts shipped', value: stats.outbound.total_qty },
    { label: '借出件数 Parts lent', value: stats.returns.total_lent },
    { label: '退回件数 Parts returned', value: stats.returns.total_returned },
    { label: '安装台数 Installations', value: stats.installations.total },
    { label: '服务记录 Service records', value: stats.repairs.total },
    { label: '开箱期问题 Unboxing problems', value: stats.unboxing.total },
    { label: '开箱案例未结 Unboxing cases not closed', value: stats.unboxing.cases.not_closed },
    { label: '开箱方案逾期 Unboxing plans overdue', value: stats.unboxing.cases.overdue },
    { label: '未开单收费发料件数 Charged units on no form', value: stats.revenue.unformed.reduce((n, r) => n + r.qty, 0) },
  ]);

  const rows = stats.revenue.rows;
  writeTable<AmountRow>(sheet, totals.last + 2, [
    { kind: 'text', header: '售后服务销售收入 After-sales revenue', width: 40, value: (r) => r.label },
    { kind: 'money', header: '金额（元）\nAmount', width: 12, value: (r) => r.amount },
  ], [
    ...(Object.keys(SOURCE_LABELS) as RevenueSource[]).map((source) => ({ label: SOURCE_LABELS[source], amount: revenueOf(rows, source) })),
    { label: '合计 Total', amount: stats.revenue.total },
  ]);
  setupPrint(sheet, { orientation: 'portrait', titleRow: TABLE_TOP, footer: `售后服务月度统计 ${stats.period}` });
}

/**
 * The month's statistics as an .xlsx: the summary, then outbound, revenue, returns,
 * installations, repairs by dealer, product, fault cause and part, unboxing problems,
 * response times and satisfaction per dealer, and the unpriced charged shipments if any.
 * Names and fault causes from uploads are written as text. With `scorecards`, the dealers'
 * twelve-month scorecards follow the summary on a sheet of their own; with `verification`, the
 * maker's verified figures of the month beside the reported ones on the next.
 */
export async function writeStatisticsWorkbook(stats: MonthStatistics, names: StatisticsNames, scorecards?: readonly ScorecardYear[], verification?: readonly DealerVerification[]): Promise<Buffer> {
  const workbook = newWorkbook();
  const subtitle = `Monthly after-sales statistics · 期间 Period ${stats.period}`;
  addSummary(workbook, stats, subtitle);
  if (scorecards !== undefined) addScorecardSheet(workbook, scorecards, names.dealers, subtitle);
  if (verification !== undefined) addVerificationSheet(workbook, verification, names.dealers, subtitle);
  for (const addTo of tableSheets(stats, names)) addTo(workbook, subtitle);
  return workbookBytes(workbook);
}
