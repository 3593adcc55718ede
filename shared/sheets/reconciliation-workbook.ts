/**
 * The borrowed-versus-returned parts reconciliation (用户借料盘点表) as finance and the
 * after-sales department read it: a summary per dealer and part with what needs acting on
 * (charged, overdue) highlighted, every lot behind it, and the reconciliation errors when
 * there are any. Dealer and part names come from master-data uploads and are written as text.
 */
import type { IsoDate, Period } from '../domain/dates.js';
import { windowClampedText, type DealerReconciliation, type FlaggedLoan, type LotState, type LotStatus, type PartTotals, type ReconciliationError } from '../domain/reconciliation.js';
import type { UnformedRow as Unformed } from '../domain/statistics.js';
import { UNFORMED_SHEET } from './columns.js';
import { addTableSheet, BAD_FILL, newWorkbook, WARN_FILL, workbookBytes, type Column, type Look } from './layout.js';

export interface ReconciliationWorkbookInput {
  readonly period: Period;
  readonly as_of: IsoDate;
  readonly dealers: ReadonlyArray<{
    readonly code: string;
    readonly name: string;
    readonly reconciliation: DealerReconciliation;
    /** Warranty loans for repairs the dealer's own report shows as chargeable, for the after-sales department. */
    readonly flagged?: readonly FlaggedLoan[];
    /** Charged shipments of the period that no form names, for finance to form or explain. */
    readonly unformed?: readonly Unformed[];
  }>;
  /** Part names by part code; a part without one shows a blank name. */
  readonly partNames: ReadonlyMap<string, string>;
}

interface Dealer {
  readonly code: string;
  readonly name: string;
}

const dealerColumns = <R extends { readonly dealer: Dealer }>(): Column<R>[] => [
  { kind: 'text', header: '经销商编码\nDealer code', width: 12, value: (r) => r.dealer.code },
  { kind: 'text', header: '经销商名称\nDealer name', width: 22, value: (r) => r.dealer.name, wrap: true },
];

const partColumns = <R extends { readonly part_code: string }>(partNames: ReadonlyMap<string, string>): Column<R>[] => [
  { kind: 'text', header: '配件编码\nPart code', width: 13, value: (r) => r.part_code },
  { kind: 'text', header: '配件名称\nPart name', width: 18, value: (r) => partNames.get(r.part_code) ?? '', wrap: true },
];

type SummaryRow = PartTotals & { readonly dealer: Dealer };

/**
 * The totalled unit columns of the summary. Charged units are amber and overdue ones red:
 * both are what someone acts on (the dealer pays; a price is missing).
 */
const UNIT_COLUMNS: readonly (readonly [field: Exclude<keyof PartTotals, 'part_code'>, header: string, look?: Look])[] = [
  ['borrowed', '借出\nBorrowed'],
  ['returned', '退回\nReturned'],
  ['returned_to_lots', '冲抵借料\nReturned to lots'],
  ['charged', '已收费\nCharged', { positive: WARN_FILL }],
  ['outstanding', '未到期\nOutstanding'],
  ['overdue', '逾期未收费\nOverdue', { positive: BAD_FILL }],
  ['surplus', '盘盈\nSurplus'],
  ['waived', '已豁免\nWaived'],
];

function summaryColumns(partNames: ReadonlyMap<string, string>): Column<SummaryRow>[] {
  return [
    ...dealerColumns<SummaryRow>(),
    ...partColumns<SummaryRow>(partNames),
    ...UNIT_COLUMNS.map(([field, header, look]): Column<SummaryRow> => ({ kind: 'count', header, width: 11, value: (r) => r[field] ?? 0, total: true, ...(look && { look }) })),
  ];
}

const LOT_STATUS: Readonly<Record<LotStatus, string>> = {
  open: '未到期 open',
  returned: '已退回 returned',
  charged: '已收费 charged',
  overdue: '逾期 overdue',
  waived: '已豁免 waived',
};

type LotRow = LotState & { readonly dealer: Dealer };

function lotColumns(partNames: ReadonlyMap<string, string>): Column<LotRow>[] {
  return [
    ...dealerColumns<LotRow>(),
    ...partColumns<LotRow>(partNames),
    { kind: 'text', header: '发货单号\nShipment', width: 12, value: (r) => r.shipment_id },
    { kind: 'count', header: '行\nLine', width: 6, value: (r) => r.line },
    { kind: 'date', header: '发货日期\nShipped', width: 11, value: (r) => r.shipped_date },
    { kind: 'date', header: '退回期限\nDue', width: 11, value: (r) => r.due_date },
    { kind: 'count', header: '数量\nQty', width: 8, value: (r) => r.qty, total: true },
    { kind: 'count', header: '已退回\nReturned', width: 9, value: (r) => r.returned, total: true },
    { kind: 'count', header: '已收费\nCharged', width: 9, value: (r) => r.charged, total: true },
    // Reconciliations stored before waivers existed have none.
    { kind: 'count', header: '已豁免\nWaived', width: 9, value: (r) => r.waived ?? 0, total: true },
    { kind: 'count', header: '未结\nOpen', width: 8, value: (r) => r.open, total: true },
    { kind: 'text', header: '状态\nStatus', width: 14, value: (r) => LOT_STATUS[r.status] },
  ];
}

/** An error in words, Chinese then English, for the after-sales department to act on. */
function errorText(error: ReconciliationError): string {
  switch (error.code) {
    case 'missing_price':
      return `${error.as_of} 无成本价，${error.qty} 件逾期未收费 / No cost price on ${error.as_of}: ${error.qty} overdue units not charged`;
    case 'charged_lot_open':
      return `已收费批次 ${error.lot_id} 仍有 ${error.qty} 件未结 / Lot ${error.lot_id}, charged earlier, has ${error.qty} units open`;
    case 'unknown_charged_lot':
      return `以前收费的批次 ${error.lot_id}（${error.qty} 件）不在账中 / An earlier charge of ${error.qty} units names lot ${error.lot_id}, not in the ledger`;
    case 'window_clamped':
      return windowClampedText(error);
  }
}

const FLAG_REASON: Record<FlaggedLoan['reason'], string> = {
  out_of_warranty: '维修已过保修期 repair out of warranty',
  charge_cause: '损坏原因属收费范围 damage cause is chargeable',
};

type FlaggedRow = FlaggedLoan & { readonly dealer: Dealer };

function flaggedColumns(partNames: ReadonlyMap<string, string>): Column<FlaggedRow>[] {
  return [
    ...dealerColumns<FlaggedRow>(),
    { kind: 'text', header: '发货单号\nShipment', width: 12, value: (r) => r.shipment_id },
    { kind: 'count', header: '行\nLine', width: 6, value: (r) => r.line },
    ...partColumns<FlaggedRow>(partNames),
    { kind: 'count', header: '数量\nQty', width: 8, value: (r) => r.qty, total: true },
    { kind: 'text', header: '维修单号\nRepair', width: 14, value: (r) => r.repair_id },
    { kind: 'text', header: '原因 Reason', width: 34, value: (r) => FLAG_REASON[r.reason], wrap: true },
  ];
}

type UnformedRow = Unformed & { readonly dealer: Dealer };

function unformedColumns(partNames: ReadonlyMap<string, string>): Column<UnformedRow>[] {
  return [
    ...dealerColumns<UnformedRow>(),
    { kind: 'text', header: '发货单号\nShipment', width: 12, value: (r) => r.shipment_id },
    { kind: 'count', header: '行\nLine', width: 6, value: (r) => r.line },
    { kind: 'date', header: '发货日期\nShipped', width: 11, value: (r) => r.shipped_date },
    ...partColumns<UnformedRow>(partNames),
    { kind: 'count', header: '数量\nQty', width: 8, value: (r) => r.qty, total: true },
  ];
}

type ErrorRow = { readonly dealer: Dealer; readonly error: ReconciliationError };

const errorColumns: readonly Column<ErrorRow>[] = [
  ...dealerColumns<ErrorRow>(),
  { kind: 'text', header: '代码\nCode', width: 20, value: (r) => r.error.code },
  { kind: 'text', header: '配件编码\nPart code', width: 13, value: (r) => ('part_code' in r.error ? r.error.part_code : '') },
  { kind: 'text', header: '批次\nLot', width: 12, value: (r) => ('lot_id' in r.error ? r.error.lot_id : '') },
  { kind: 'count', header: '数量\nQty', width: 8, value: (r) => r.error.qty },
  { kind: 'text', header: '说明 Explanation', width: 70, value: (r) => errorText(r.error), wrap: true },
];

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The reconciliation of a period as an .xlsx: sheet 盘点汇总 (per dealer and part; charged
 * units highlighted amber and overdue units red, because both are what someone acts on),
 * sheet 借料批次 (every lot), sheet 待核查借料 when a warranty loan went to a repair the
 * dealer's report shows as chargeable, sheet 未开单收费发料 when a charged shipment of the period
 * is on no form, and sheet 错误 when any dealer's reconciliation has errors.
 * Dealers come in code order.
 */
export async function writeReconciliationWorkbook(input: ReconciliationWorkbookInput): Promise<Buffer> {
  const dealers = [...input.dealers].sort((a, b) => byCode(a.code, b.code));
  const subtitle = `Borrowed parts reconciliation · 期间 Period ${input.period} · 截至 As of ${input.as_of}`;
  const workbook = newWorkbook();

  const summaryRows = dealers.flatMap((d) => d.reconciliation.totals.map((t): SummaryRow => ({ ...t, dealer: d })));
  addTableSheet(workbook, '盘点汇总 Summary', { title: '用户借料盘点表', subtitle }, summaryColumns(input.partNames), summaryRows);

  const lotRows = dealers.flatMap((d) => d.reconciliation.lots.map((lot): LotRow => ({ ...lot, dealer: d })));
  addTableSheet(workbook, '借料批次 Lots', { title: '借料批次明细', subtitle }, lotColumns(input.partNames), lotRows);

  const flaggedRows = dealers.flatMap((d) => (d.flagged ?? []).map((loan): FlaggedRow => ({ ...loan, dealer: d })));
  if (flaggedRows.length > 0) {
    addTableSheet(workbook, '待核查借料 Flagged', { title: '保修借料待核查（维修报表显示应收费）', subtitle }, flaggedColumns(input.partNames), flaggedRows);
  }

  const unformedRows = dealers.flatMap((d) => (d.unformed ?? []).map((row): UnformedRow => ({ ...row, dealer: d })));
  if (unformedRows.length > 0) addTableSheet(workbook, UNFORMED_SHEET.name, { title: UNFORMED_SHEET.title, subtitle }, unformedColumns(input.partNames), unformedRows);

  const errorRows = dealers.flatMap((d) => d.reconciliation.errors.map((error): ErrorRow => ({ dealer: d, error })));
  if (errorRows.length > 0) addTableSheet(workbook, '错误 Errors', { title: '盘点错误', subtitle }, errorColumns, errorRows);
  return workbookBytes(workbook);
}
