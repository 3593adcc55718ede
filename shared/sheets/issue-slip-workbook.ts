/**
 * The issue slip (领料单/发货单) of a material request's shipment, for the warehouse: the slip
 * number (the shipment id in the parts ledger), the dealer, the ship date and one row per
 * request line with its kind, whether the old part comes back and by when; under them the
 * dealer's address and contact and the 发货人/签收人 signature lines.
 */
import type { IssueSlip, IssueSlipLine } from '../domain/request-slip.js';
import { addTableSheet, mergedRow, newWorkbook, workbookBytes, type Column } from './layout.js';

const KIND_LABELS: Readonly<Record<IssueSlipLine['kind'], string>> = {
  warranty_loan: '保修借料 warranty loan',
  charged: '收费 charged',
  gift: '赠送品 gift',
  office_supplies: '办公用品 office supplies',
  promotional: '宣传资料 promotional',
  special_approval: '特批 special approval',
};

const mustReturn = (line: IssueSlipLine): string =>
  line.kind === 'warranty_loan' || (line.kind === 'special_approval' && line.return_required === true) ? '是 yes' : '否 no';

const COLUMNS: readonly Column<IssueSlipLine>[] = [
  { header: '行号\nLine', width: 8, kind: 'count', value: (l) => l.line },
  { header: '配件编码\nPart code', width: 14, kind: 'text', value: (l) => l.part_code },
  { header: '配件名称\nPart name', width: 20, kind: 'text', value: (l) => l.part_name },
  { header: '单位\nUnit', width: 8, kind: 'text', value: (l) => l.unit },
  { header: '数量\nQty', width: 8, kind: 'count', value: (l) => l.qty, total: true },
  { header: '类型\nKind', width: 22, kind: 'text', value: (l) => KIND_LABELS[l.kind] },
  { header: '需退回\nReturn', width: 10, kind: 'text', value: mustReturn },
  { header: '退回期限\nReturn by', width: 14, kind: 'text', value: (l) => l.due_date ?? '' },
  { header: '维修单号\nRepair', width: 14, kind: 'text', value: (l) => l.repair_id ?? '' },
  { header: '产品序列号\nSerial', width: 16, kind: 'text', value: (l) => l.serial_no ?? '' },
  { header: '费用单号\nSale form', width: 18, kind: 'text', value: (l) => l.invoice_no ?? '' },
];

/** Writes the issue slip workbook: the lines, then where they go and the lines for the two signatures. */
export async function writeIssueSlipWorkbook(slip: IssueSlip): Promise<Uint8Array> {
  const workbook = newWorkbook();
  const { sheet, table } = addTableSheet(
    workbook,
    '发货单',
    {
      title: `领料单/发货单 Issue slip ${slip.slip_no}`,
      subtitle: `经销商 Dealer ${slip.dealer.code} ${slip.dealer.name} · 申请单 Request ${slip.request_id} · 发货日期 Shipped ${slip.shipped_date}`,
    },
    COLUMNS,
    slip.lines,
  );
  // Below the totals row: the dealer's address and contact, then a line each for who ships and who receives.
  const contact = [slip.dealer.contact, slip.dealer.phone].filter((part) => part !== undefined && part !== '').join(' ');
  mergedRow(sheet, table.last + 3, COLUMNS.length, `收货地址 Address: ${slip.dealer.address ?? ''}${contact === '' ? '' : `    联系人 Contact: ${contact}`}`, {});
  mergedRow(sheet, table.last + 5, COLUMNS.length, '发货人 Shipped by: ____________________    日期 Date: ____________        签收人 Received by: ____________________    日期 Date: ____________', {});
  return workbookBytes(workbook);
}
