import { beforeEach, describe, expect, it } from 'vitest';
import { Refusal } from '../../../shared/app/access.js';
import { ingestLedger } from '../../../shared/app/ingest-ledger.js';
import type { ArchiveEntry } from '../../../shared/app/ports.js';
import type { NoticeEvent } from '../../../shared/domain/notices.js';
import { reconcilePeriod } from '../../../shared/app/reconcile.js';
import { RequestInputError } from '../../../shared/app/requests/common.js';
import { decideRequestLine } from '../../../shared/app/requests/decide.js';
import { listRequests } from '../../../shared/app/requests/list.js';
import { shipRequest } from '../../../shared/app/requests/ship.js';
import { listParts } from '../../../shared/app/parts.js';
import { decideRequestLineAs, listRequestsAs, submitRequestAs, submitRequestWorkbookAs } from '../../../shared/app/requests/api.js';
import { loadWorkbook } from '../../helpers/workbooks.js';
import { submitRequestForm, submitRequestWorkbook } from '../../../shared/app/requests/submit.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { fixedClock } from '../../helpers/memory/index.js';
import { recordPayment } from '../../../shared/app/finance/form-life.js';
import { formatYuan } from '../../../shared/domain/money.js';
import { ledgerWorkbook, shipmentRow } from '../../helpers/reports.js';
import { requestRow, requestWorkbook, threeRepairs } from '../../helpers/requests.js';

let office: DemoBackOffice;

const unit = (serial_no: string, more: Partial<ArchiveEntry> = {}): ArchiveEntry => ({
  product_model: 'WC-800',
  serial_no,
  dealer_code: 'D001',
  install_id: `IN-${serial_no}`,
  install_date: '2023-01-12',
  purchase_date: '2023-01-10',
  commissioning: 'passed',
  owner_name: '陈小姐',
  address: '上海',
  ...more,
});

const submit = async (rows = threeRepairs(), dealer = 'D001') => submitRequestWorkbook(office, { bytes: await requestWorkbook(rows), dealer, view: 'back_office' });
const approve = (line: number, more: Partial<{ kind: 'special_approval'; return_required: boolean; reason: string }> = {}) =>
  decideRequestLine(office, { request_id: 'R-2026-001', line, decision: { outcome: 'approved', ...more }, by: 'admin-user' });
const payAll = async () => {
  for (const invoice of await office.invoices.byPeriod('2026-11', 'D001')) {
    await recordPayment(office, caller('finance'), invoice.invoice_no, { amount: formatYuan(invoice.total), date: '2026-11-02' });
  }
};

beforeEach(async () => {
  office = await demoBackOffice('2026-11-02T02:00:00.000Z');
});

describe('a material request comes in', () => {
  it('answers each repair line at once: in warranty lent free, out of warranty and misuse charged at the cost price, each with its reason', async () => {
    // Act
    const outcome = await submit();
    // Assess
    expect(outcome).toMatchObject({ status: 'submitted', request_id: 'R-2026-001', dealer: 'D001', errors: [] });
    expect(outcome.lines.map((l) => [l.line, l.proposed_kind, l.phase, l.purchase_date_used, l.unit_price])).toEqual([
      [1, 'warranty_loan', 'in_warranty', '2026-01-15', null],
      [2, 'charged', 'out_of_warranty', '2020-03-01', '4.80'],
      [3, 'charged', 'in_warranty', '2026-02-01', '268.00'],
    ]);
    expect(outcome.lines[2]?.reason).toContain('misuse');
    expect(outcome.lines[2]?.reason_zh).toContain('使用不当');
    expect(outcome.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
      [3, 'serial_no', 'unknown_serial'],
      [4, 'serial_no', 'unknown_serial'],
      [5, 'serial_no', 'unknown_serial'],
    ]);
  });

  it("takes the archive's purchase date over the stated one, and warns; a unit another dealer installed is answered with a warning, never refused", async () => {
    // Prepare
    await office.archive.put([unit('SN-OLD'), unit('SN-MOVED', { dealer_code: 'D002', purchase_date: '2026-01-15' })]);
    // Act
    const outcome = await submit([requestRow({ serial_no: 'SN-OLD' }), requestRow({ serial_no: 'SN-MOVED' })]);
    // Assess
    expect(outcome.status).toBe('submitted');
    expect(outcome.lines.map((l) => [l.proposed_kind, l.purchase_date_used, l.purchase_date_source])).toEqual([
      ['charged', '2023-01-10', 'archive'],
      ['warranty_loan', '2026-01-15', 'archive'],
    ]);
    expect(outcome.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
      [3, 'purchase_date', 'purchase_date_mismatch'],
      [4, 'serial_no', 'other_dealer_installation'],
    ]);
    expect(outcome.warnings[0]?.message).toContain('2023-01-10');
    expect(outcome.warnings[1]?.message_zh).toContain('D002');
    expect(outcome.lines.map((l) => [l.other_dealer_unit, l.installed_by])).toEqual([[false, null], [true, 'D002']]);
  });

  describe("a unit the archive holds for another dealer (domain.md, step 2: told neither who nor that customer's dates)", () => {
    // D002's customer bought SN-MOVED on 2025-12-20 (warranty to 2027-12-20); D001 states 2026-01-15.
    const moved = { part_code: 'P-VALVE-01', qty: 1, purpose: '维修', product_model: 'WC-800', serial_no: 'SN-MOVED', purchase_date: '2026-01-15', fault_description: '不进水', charge_cause: '无' };
    const asDealer = () => submitRequestAs(office, caller('dealer', 'D001'), { dealer: 'D001', request_id: 'R-MOVED', requested_date: '2026-11-02', lines: [moved] });
    const secrets = ['D002', '2025-12-20', '2027-12-20'];
    const told = (text: unknown) => secrets.filter((secret) => JSON.stringify(text).includes(secret));

    beforeEach(async () => {
      await office.archive.put([unit('SN-MOVED', { dealer_code: 'D002', purchase_date: '2025-12-20', install_date: '2025-12-22' })]);
    });

    it("answers the requesting dealer that the unit is another dealer's, per the maker's records, in English and Chinese, without that dealer's code or dates", async () => {
      // Act
      const outcome = await asDealer();
      // Assess
      expect(outcome.status).toBe('submitted');
      expect(outcome.lines[0]).toMatchObject({ proposed_kind: 'warranty_loan', phase: 'in_warranty', purchase_date_used: null, purchase_date_source: 'maker_records', other_dealer_unit: true, installed_by: null });
      expect(outcome.lines[0]?.reason).toContain("per the maker's records (the unit is another dealer's)");
      expect(outcome.lines[0]?.reason_zh).toContain('依据厂家档案（该产品属其他经销商）');
      expect(outcome.warnings.map((w) => [w.row, w.column, w.code])).toEqual([[2, 'serial_no', 'other_dealer_installation']]);
      expect(outcome.warnings[0]?.message).toContain("another dealer's unit, per the maker's records");
      expect(outcome.warnings[0]?.message_zh).toContain('依据厂家档案属其他经销商的产品');
      expect(told(outcome)).toEqual([]);
    });

    it('shows the dealer its request the same way in the list, while the admin deciding the line sees the dealer and the archive dates', async () => {
      // Prepare
      await asDealer();
      // Act
      const dealerList = await listRequestsAs(office, caller('dealer', 'D001'), {});
      const adminList = await listRequestsAs(office, caller('admin'), { dealer: 'D001' });
      // Assess
      expect(told(dealerList)).toEqual([]);
      expect(dealerList[0]?.lines[0]).toMatchObject({ purchase_date_used: null, purchase_date_source: 'maker_records', other_dealer_unit: true, installed_by: null });
      expect(adminList[0]?.lines[0]).toMatchObject({ purchase_date_used: '2025-12-20', purchase_date_source: 'archive', other_dealer_unit: true, installed_by: 'D002' });
      expect(adminList[0]?.lines[0]?.reason).toContain('purchased 2025-12-20 (the end-user archive), warranty to 2027-12-20');
      expect(adminList[0]?.lines[0]?.reason_zh).toContain('购买日期 2025-12-20（用户档案），保修至 2027-12-20');
    });

    it('names the other dealer and the archive date to the back office submitting for the dealer, in both languages', async () => {
      // Act
      const outcome = await submitRequestAs(office, caller('admin'), { dealer: 'D001', request_id: 'R-MOVED', requested_date: '2026-11-02', lines: [moved] });
      // Assess
      expect(outcome.warnings.map((w) => w.code)).toEqual(['purchase_date_mismatch', 'other_dealer_installation']);
      expect(outcome.warnings[0]?.message).toContain('2025-12-20');
      expect(outcome.warnings[1]?.message).toContain('installed by dealer D002');
      expect(outcome.warnings[1]?.message_zh).toContain('由经销商 D002 安装');
      expect(outcome.lines[0]).toMatchObject({ purchase_date_used: '2025-12-20', installed_by: 'D002' });
    });

    it("tells the dealer its own unit's archive dates as before", async () => {
      // Prepare
      await office.archive.put([unit('SN-MINE', { purchase_date: '2025-12-20' })]);
      // Act
      const outcome = await submitRequestAs(office, caller('dealer', 'D001'), { dealer: 'D001', request_id: 'R-MINE', requested_date: '2026-11-02', lines: [{ ...moved, serial_no: 'SN-MINE' }] });
      // Assess
      expect(outcome.lines[0]).toMatchObject({ purchase_date_used: '2025-12-20', purchase_date_source: 'archive', other_dealer_unit: false, installed_by: null });
      expect(outcome.warnings.map((w) => w.code)).toEqual(['purchase_date_mismatch']);
    });
  });

  it('refuses the whole request for an unknown part or product, a quantity that is not a positive whole number, or a repair line without its product fields', async () => {
    // Act
    const outcome = await submit([
      requestRow({ part_code: 'P-NOPE' }),
      requestRow({ product_model: 'XX-1' }),
      requestRow({ qty: 0 }),
      requestRow({ qty: 1.5 }),
      requestRow({ serial_no: null, purchase_date: null }),
      requestRow({ purpose: '赠送品', product_model: null, serial_no: null, purchase_date: null, fault_description: null, charge_cause: null }),
    ]);
    // Assess
    expect(outcome.status).toBe('rejected');
    expect(outcome.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'part_code', 'unknown_part'],
      [4, 'product_model', 'unknown_product'],
      [5, 'qty', 'not_positive'],
      [6, 'qty', 'invalid_integer'],
      [7, 'serial_no', 'required'],
      [7, 'purchase_date', 'required'],
    ]);
    expect(outcome.errors.every((e) => e.message.length > 0 && e.message_zh.length > 0)).toBe(true);
    expect(outcome.errorReport).not.toBeNull();
    expect(await office.requests.list()).toEqual([]);
  });

  it('refuses a request id the dealer already used, and keeps the first request as it was', async () => {
    // Prepare
    await submit();
    // Act
    const again = await submit([requestRow({ part_code: 'P-SEAL-03' })]);
    // Assess
    expect(again.status).toBe('rejected');
    expect(again.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'request_id', 'request_exists']]);
    expect((await office.requests.find('D001', 'R-2026-001'))?.lines).toHaveLength(3);
  });

  it("takes the workbook from the portal only for the caller's own dealer, and gives a rejected file back annotated", async () => {
    // Prepare
    const deps = office;
    const bad = await requestWorkbook([requestRow({ part_code: 'P-NOPE' })]);

    // Act
    const theirs = await submitRequestWorkbookAs(deps, caller('dealer', 'D001'), { dealer: 'D002', bytes: await requestWorkbook(threeRepairs()) }).catch((error: unknown) => error);
    const rejected = await submitRequestWorkbookAs(deps, caller('dealer', 'D001'), { dealer: 'D001', bytes: bad });
    const accepted = await submitRequestWorkbookAs(deps, caller('dealer', 'D001'), { dealer: 'D001', bytes: await requestWorkbook(threeRepairs()) });

    // Assess
    expect(theirs).toMatchObject({ code: 'forbidden' });
    expect(rejected.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'part_code', 'unknown_part']]);
    const annotated = await loadWorkbook(Buffer.from(rejected.error_workbook!, 'base64'));
    expect(annotated.worksheets.length).toBeGreaterThan(0);
    expect(accepted).toMatchObject({ status: 'submitted', request_id: 'R-2026-001', error_workbook: null });
    expect((await office.requests.list()).map((r) => r.dealer_code)).toEqual(['D001']);
  });

  it("takes the portal's form through the same rules as the workbook", async () => {
    // Act
    const refused = await submitRequestForm(office, { dealer: 'D001', request_id: 'R-F1', requested_date: '2026-11-02', lines: [{ part_code: 'P-VALVE-01', qty: -1, purpose: 'gift' }], view: 'dealer' });
    const taken = await submitRequestForm(office, { dealer: 'D001', request_id: 'R-F1', requested_date: '2026-11-02', lines: [{ part_code: 'P-VALVE-01', qty: 2, purpose: 'gift' }], view: 'dealer' });
    // Assess
    expect(refused.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, 'qty', 'not_positive']]);
    expect(taken).toMatchObject({ status: 'submitted', lines: [{ line: 1, proposed_kind: 'gift', phase: null, state: 'proposed' }] });
  });
});

describe('the part picker', () => {
  it('lists the price list\'s parts with their names, units and today\'s prices, for whoever reads requests', async () => {
    // Act
    const { parts } = await listParts(office, caller('dealer', 'D001'));

    // Assess
    expect(parts.find((p) => p.part_code === 'P-VALVE-01')).toMatchObject({ part_name: expect.any(String), price: '35.50' });
    expect(parts.map((p) => p.part_code)).toEqual([...parts.map((p) => p.part_code)].sort());
    await expect(listParts(office, caller('warehouse'))).resolves.toMatchObject({ as_of: expect.any(String) });
  });
});

describe('the after-sales department decides', () => {
  beforeEach(async () => {
    await submit();
  });

  it('approves a charged line and makes its sale form at the cost price of the approval date, in the same numbering', async () => {
    // Act
    const outcome = await approve(3);
    // Assess
    expect(outcome.invoice).toEqual({ invoice_no: 'FY-2026-11-0001', total: '268.00', status: 'draft' });
    expect(outcome.line).toMatchObject({ state: 'awaiting_payment', decision: { outcome: 'approved', kind: 'charged', by: 'admin-user', at: '2026-11-02T02:00:00.000Z', invoice_no: 'FY-2026-11-0001' } });
    const [form] = await office.invoices.byPeriod('2026-11', 'D001');
    expect(form).toMatchObject({ kind: 'sale', lines: [{ part_code: 'P-BOARD-02', qty: 1, reason: 'other' }] });
    expect(form?.lines[0]).toHaveProperty('note', expect.stringContaining('R-2026-001 line 3'));
    expect(form?.workbook_key).not.toBeNull();
  });

  it('approves as another kind only with a reason, and a special approval must say whether the part comes back', async () => {
    await expect(approve(2, { kind: 'special_approval', return_required: false })).rejects.toBeInstanceOf(RequestInputError);
    await expect(approve(2, { kind: 'special_approval', reason: '老客户' })).rejects.toMatchObject({ code: 'return_required_missing' });
    const outcome = await approve(2, { kind: 'special_approval', return_required: false, reason: '老客户特批' });
    expect(outcome.line).toMatchObject({ state: 'approved', decision: { kind: 'special_approval', return_required: false, reason: '老客户特批' } });
    expect(outcome.invoice).toBeNull();
  });

  it('lets only a manager (上级领导) grant a special approval: an admin is refused and the line stays undecided; the manager is recorded as who decided', async () => {
    const input = { dealer: 'D001', request_id: 'R-2026-001', line: 2, decision: { outcome: 'approved' as const, kind: 'special_approval' as const, return_required: false, reason: '老客户特批' } };
    await expect(decideRequestLineAs(office, caller('admin'), input)).rejects.toMatchObject({ code: 'forbidden', denied: { action: 'grant_special_approval' } });
    expect((await office.requests.find('D001', 'R-2026-001'))?.lines[1]?.decision).toBeNull();
    const outcome = await decideRequestLineAs(office, caller('manager'), input);
    expect(outcome.line).toMatchObject({ state: 'approved', decision: { kind: 'special_approval', by: 'manager-user' } });
    await expect(decideRequestLineAs(office, caller('admin'), { ...input, line: 1, decision: { outcome: 'approved' } })).resolves.toMatchObject({ line: { state: 'approved' } });
  });

  it('rejects only with a reason, and refuses a second decision on a line already decided', async () => {
    // Prepare
    const reject = (reason?: string) => decideRequestLine(office, { request_id: 'R-2026-001', line: 1, decision: { outcome: 'rejected', ...(reason === undefined ? {} : { reason }) }, by: 'admin-user' });
    // Act / Assess
    await expect(reject()).rejects.toMatchObject({ code: 'reason_required', message_zh: expect.any(String) });
    expect((await reject('库存不足')).line).toMatchObject({ state: 'rejected', decision: { reason: '库存不足' } });
    await expect(approve(1)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('already rejected') });
  });

  it('lets one of two people deciding the same line at once win; the other gets a conflict and nothing is half written', async () => {
    // Act
    const results = await Promise.allSettled([approve(3), approve(3)]);
    // Assess
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(Refusal);
    expect(refused.reason).toMatchObject({ code: 'conflict' });
    expect(await office.invoices.byPeriod('2026-11', 'D001')).toHaveLength(1);
  });

  it('finishes an approval that a crash left without its sale form recorded, and never makes a second form', async () => {
    // Prepare: the sale form is made, then the process dies before the line names it
    let saves = 0;
    const crashing = Object.assign(Object.create(office.requests) as typeof office.requests, {
      save: async (request: Parameters<typeof office.requests.save>[0]) => {
        saves += 1;
        if (saves === 2) throw new Error('the process died');
        return office.requests.save(request);
      },
    });
    const decide = (deps: typeof office) => decideRequestLine(deps, { request_id: 'R-2026-001', line: 2, decision: { outcome: 'approved' }, by: 'admin-user' });
    await expect(decide({ ...office, requests: crashing })).rejects.toThrow('the process died');

    // Act: deciding again at once is someone else's decision in flight; minutes later, it finishes the approval
    const meanwhile = await decide(office).catch((error: unknown) => error);
    const again = await decide({ ...office, clock: fixedClock('2026-11-02T02:10:00.000Z') });

    // Assess
    expect(meanwhile).toMatchObject({ code: 'conflict' });
    expect(again.invoice?.invoice_no).toBe('FY-2026-11-0001');
    expect(again.line.state).toBe('awaiting_payment');
    expect((await office.invoices.byPeriod('2026-11', 'D001')).map((f) => f.invoice_no)).toEqual(['FY-2026-11-0001']);
    await expect(decide(office)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('answers 404-style for a request or a line that does not exist', async () => {
    await expect(decideRequestLine(office, { request_id: 'R-NONE', line: 1, decision: { outcome: 'approved' }, by: 'a' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(approve(9)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the warehouse ships', () => {
  beforeEach(async () => {
    await submit();
    await approve(1);
    await approve(2);
    await approve(3);
  });

  it('ships loans at once and charged lines only once paid; the lines become shipment lines of the ledger and the dealer sees each state', async () => {
    // Act: nothing is paid yet
    const first = await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02' });
    // Assess
    expect(first).toMatchObject({ slip_no: 'FL-R-2026-001-1', slip_key: 'issue-slips/D001/FL-R-2026-001-1.xlsx' });
    expect(first.shipped.map((l) => [l.line, l.state, l.shipment_id, l.due_date])).toEqual([[1, 'shipped', 'FL-R-2026-001-1', '2027-01-01']]);
    expect((await office.blobs.get('reports', first.slip_key)).byteLength).toBeGreaterThan(0);
    const listed = await listRequests(office, { dealer: 'D001' }, 'back_office');
    expect(listed[0]?.lines.map((l) => l.state)).toEqual(['shipped', 'awaiting_payment', 'awaiting_payment']);
    await expect(shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02' })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('not paid') });

    // Act: finance records the payments
    await payAll();
    const second = await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02' });
    // Assess
    expect(second.shipped.map((l) => [l.line, l.shipment_id, l.due_date])).toEqual([
      [2, 'FL-R-2026-001-2', null],
      [3, 'FL-R-2026-001-2', null],
    ]);
    const { shipments } = await office.ledger.dealerLedger('D001', '2026-12-31');
    expect(shipments.map((s) => [s.shipment_id, s.line, s.kind, s.repair_id, s.request_id, s.return_window_days])).toEqual([
      ['FL-R-2026-001-1', 1, 'warranty_loan', 'RP-IN', 'R-2026-001', 60],
      ['FL-R-2026-001-2', 2, 'charged', 'RP-OUT', 'R-2026-001', 60],
      ['FL-R-2026-001-2', 3, 'charged', 'RP-MIS', 'R-2026-001', 60],
    ]);
    expect((await listRequests(office, { status: 'shipped' }, 'back_office'))[0]?.lines).toHaveLength(3);
  });

  it('prints the dealer\'s address and contact and the 发货人/签收人 signature lines on the issue slip', async () => {
    // Act
    const shipped = await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02' });

    // Assess
    const sheet = (await loadWorkbook(await office.blobs.get('reports', shipped.slip_key))).worksheets[0]!;
    const text = sheet.getSheetValues().flat().map(String).join('\n');
    expect(text).toContain('上海市浦东新区张江路 88 号');
    expect(text).toContain('王伟 13800138001');
    expect(text).toMatch(/发货人 Shipped by: _+.*签收人 Received by: _+/);
  });

  it('ships only the lines the warehouse names, each on a slip of its own', async () => {
    // Prepare
    await payAll();

    // Act
    const third = await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02', lines: [3] });
    const nothing = await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02', lines: [3] }).catch((refusal: unknown) => refusal);
    const rest = await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02', lines: [1, 2] });

    // Assess
    expect(third.shipped.map((l) => [l.line, l.shipment_id])).toEqual([[3, 'FL-R-2026-001-1']]);
    expect(nothing).toMatchObject({ code: 'conflict' });
    expect(rest.shipped.map((l) => [l.line, l.shipment_id])).toEqual([[1, 'FL-R-2026-001-2'], [2, 'FL-R-2026-001-2']]);
  });

  it('tells the dealer once the request is decided, every line\'s outcome in one message, and of the parts shipped', async () => {
    // Prepare
    const told: NoticeEvent[] = [];
    const telling = { ...office, notices: { tell: async (event: NoticeEvent) => told.push(event) } };
    await submit(threeRepairs(), 'D002');

    // Act
    for (const line of [1, 2, 3]) {
      await decideRequestLine(telling, { request_id: 'R-2026-001', dealer: 'D002', line, decision: line === 3 ? { outcome: 'rejected', reason: 'not a warranty fault' } : { outcome: 'approved' }, by: 'admin-user' });
    }
    await shipRequest(telling, { request_id: 'R-2026-001', dealer: 'D002', shipped_date: '2026-11-02' });

    // Assess
    expect(told.map((e) => e.kind)).toEqual(['request_decided', 'request_shipped']);
    expect(told[0]).toMatchObject({ dealer: 'D002', request_id: 'R-2026-001', lines: [{ line: 1, state: 'approved' }, { line: 2, state: 'awaiting_payment' }, { line: 3, state: 'rejected' }] });
    expect(told[1]).toMatchObject({ dealer: 'D002', shipment_id: 'FL-R-2026-001-1', shipped_date: '2026-11-02', lines: [{ line: 1, state: 'shipped' }] });
  });

  it('refuses a ship date after today', async () => {
    await expect(shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-03' })).rejects.toMatchObject({ code: 'future_date' });
  });

  it('refuses a ship date before the approval (even 2000-01-01), naming the approval date, and records nothing', async () => {
    // Act: the lines were approved on 2026-11-02
    const early = shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2000-01-01' });
    // Assess
    await expect(early).rejects.toBeInstanceOf(RequestInputError);
    await expect(early).rejects.toMatchObject({ code: 'ship_before_approval', message: expect.stringContaining('2026-11-02'), message_zh: expect.stringContaining('2026-11-02') });
    await expect(shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-01' })).rejects.toMatchObject({ code: 'ship_before_approval' });
    expect((await office.ledger.dealerLedger('D001', '2026-12-31')).shipments).toEqual([]);
    expect((await listRequests(office, { dealer: 'D001' }, 'back_office'))[0]?.lines.map((l) => l.state)).toEqual(['approved', 'awaiting_payment', 'awaiting_payment']);
  });

  it('counts a line shipped through the flow once, even when a shipments upload names the same slip and line', async () => {
    // Prepare
    await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02' });
    const file = await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'FL-R-2026-001-1', shipped_date: '2026-11-02', qty: 1 })]);
    // Act
    const upload = await ingestLedger(office, { bytes: file, type: 'shipments', receivedAt: new Date('2026-11-02T10:00:00+08:00'), sourceId: 'again' });
    // Assess
    expect(upload.counts).toMatchObject({ recorded: 0, already_recorded: 1 });
  });

  it("is reconciled like an uploaded shipment: the loan not returned by its deadline is charged at the next reconciliation", async () => {
    // Prepare
    await shipRequest(office, { request_id: 'R-2026-001', shipped_date: '2026-11-02' });
    office.clock.set('2027-01-05T02:00:00.000Z');
    // Act
    await reconcilePeriod({ ...office, renderInvoice: async () => new Uint8Array() }, { period: '2026-12', as_of: '2027-01-02' });
    // Assess
    const [form] = await office.invoices.byPeriod('2026-12', 'D001');
    expect(form?.lines).toEqual([expect.objectContaining({ reason: 'de_facto_possession', part_code: 'P-VALVE-01', qty: 1, lot: expect.objectContaining({ shipment_id: 'FL-R-2026-001-1', due_date: '2027-01-01' }) })]);
  });
});
