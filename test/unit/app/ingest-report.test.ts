import { beforeEach, describe, expect, it } from 'vitest';
import { ingestReport, type IngestRequest } from '../../../shared/app/ingest-report.js';
import type { ReportItem, ReportTarget } from '../../../shared/app/ports.js';
import { demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { installationRow, repairRow, reportWorkbook } from '../../helpers/reports.js';

const october = (type: ReportTarget['type'], dealer = 'D001'): ReportTarget => ({ type, dealer, period: '2026-10' });
const onTime = new Date('2026-11-02T08:00:00+08:00');

let office: DemoBackOffice;
let uploads = 0;

const request = (target: ReportTarget, bytes: Uint8Array, extra: Partial<IngestRequest> = {}): IngestRequest => ({
  bytes,
  target,
  receivedAt: onTime,
  sourceId: `upload-${(uploads += 1)}`,
  ...extra,
});
const ingest = (req: IngestRequest) => ingestReport(office, req);

async function stored(target: ReportTarget, version: number | null): Promise<ReportItem[]> {
  const out: ReportItem[] = [];
  for await (const item of office.reports.readItems(target, version ?? 0)) out.push(item);
  return out;
}

beforeEach(async () => {
  office = await demoBackOffice();
});

describe('taking in a dealer report', () => {
  it('accepts a clean installation report, makes it the current version and archives each installed product', async () => {
    // Prepare: a toilet that passed commissioning and a bathtub that failed it
    const bathtub = { install_id: 'IN-0002', serial_no: 'SN-BT-0002', product_model: 'BT-1500', commissioning: '不合格' };
    const target = october('installation');
    // Act
    const result = await ingest(request(target, await reportWorkbook('installation', [installationRow(), installationRow(bathtub)])));
    // Assess
    expect(result).toMatchObject({ status: 'accepted', version: 1, late: false, errors: [], counts: { rows: 2, records: 2, part_lines: 0 } });
    expect(await office.reports.currentVersion(target)).toMatchObject({ version: 1, status: 'accepted', late: false });
    expect((await stored(target, 1)).map((i) => i.kind === 'installation' && i.record.install_id)).toEqual(['IN-0001', 'IN-0002']);
    const archived = await office.archive.find([{ product_model: 'BT-1500', serial_no: 'SN-BT-0002' }]);
    expect([...archived.values()]).toEqual([
      expect.objectContaining({ dealer_code: 'D001', install_id: 'IN-0002', commissioning: 'failed', install_date: '2026-10-08' }),
    ]);
  });

  it("stores each repair with its warranty phase and charging, and warns of a serial number no installation report has shown and of a purchase date other than the archive's", async () => {
    // Prepare: SN-WC-0001 is installed, bought 2026-09-28 by its installation report; SN-UNKNOWN never was
    await ingest(request(october('installation'), await reportWorkbook('installation', [installationRow()])));
    const target = october('repair');
    const misused = { repair_id: 'RP-0002', serial_no: 'SN-UNKNOWN', purchase_date: '2020-01-01', charge_cause: 'misuse' };
    // Act
    const result = await ingest(request(target, await reportWorkbook('repair', [repairRow(), repairRow(misused), repairRow({ ...misused, part_code: 'P-SEAL-03', part_qty: 2 })])));
    // Assess
    expect(result).toMatchObject({ status: 'accepted', counts: { rows: 3, records: 2, part_lines: 3 } });
    expect(result.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
      [2, 'purchase_date', 'purchase_date_mismatch'],
      [3, 'serial_no', 'unknown_serial'],
    ]);
    const repairs = Object.fromEntries((await stored(target, result.version)).flatMap((i) => (i.kind === 'repair' ? [[i.record.repair_id, i.classification]] : [])));
    expect(repairs['RP-0001']).toMatchObject({ phase: 'in_warranty', materials_charged: false });
    expect(repairs['RP-0002']).toMatchObject({ phase: 'out_of_warranty', materials_charged: true });
    const partLines = (await stored(target, result.version)).filter((i) => i.kind === 'part_line');
    expect(partLines.map((i) => [i.record.repair_id, i.row, i.record.part_code])).toEqual([
      ['RP-0001', 2, 'P-VALVE-01'],
      ['RP-0002', 3, 'P-VALVE-01'],
      ['RP-0002', 4, 'P-SEAL-03'],
    ]);
  });

  it('rejects a report with any error whole: nothing of it is kept, the previous version stays current, every mistake is listed and marked', async () => {
    // Prepare: one good row, then a bad date, an unknown model and a repeated id
    const target = october('installation', 'D002');
    const previous = await ingest(request(target, await reportWorkbook('installation', [installationRow()])));
    const rows = [
      installationRow({ install_id: 'A-1' }),
      installationRow({ install_id: 'A-2', serial_no: 'SN-A2', install_date: '2026/13/45' }),
      installationRow({ install_id: 'A-3', serial_no: 'SN-A3', product_model: 'NO-SUCH-MODEL' }),
      installationRow({ install_id: 'A-3', serial_no: 'SN-A4' }),
    ];
    // Act
    const result = await ingest(request(target, await reportWorkbook('installation', rows)));
    // Assess: every mistake, by row and column
    expect([result.status, result.errors.map((e) => `${e.row}:${e.column}:${e.code}`)]).toEqual(['rejected', ['3:install_date:invalid_date', '4:product_model:unknown_product', '5:install_id:duplicate_id']]);
    // nothing of it kept, the previous version current
    expect(await office.reports.currentVersion(target)).toMatchObject({ version: previous.version });
    expect(await stored(target, result.version)).toEqual([]);
    expect((await office.reports.versions(target)).map((v) => v.status)).toEqual(['accepted', 'rejected']);
    expect((await office.archive.find([{ product_model: 'WC-800', serial_no: 'SN-A4' }])).size).toBe(0);
    // the marked workbook and the full list stored for the dealer
    expect(result.error_report_key).toBe('error-reports/D002/installation/2026-10/v2.xlsx');
    expect(await office.blobs.get('reports', 'error-reports/D002/installation/2026-10/v2.xlsx')).toEqual(new Uint8Array(result.errorReport!));
    const issues = JSON.parse(new TextDecoder().decode(await office.blobs.get('reports', 'error-reports/D002/installation/2026-10/v2.json')));
    expect(issues.errors).toHaveLength(3);
  });

  it('answers a replayed upload with the outcome it had, and changes nothing', async () => {
    const target = october('installation');
    const req = request(target, await reportWorkbook('installation', [installationRow()]));
    const first = await ingest(req);
    const again = await ingest(req);
    expect(again).toEqual({ ...first, errorReport: null, replayed: true });
    expect(await office.reports.versions(target)).toHaveLength(1);
  });

  it('replaces the current report with a newer accepted upload and marks the older superseded', async () => {
    const target = october('installation', 'D003');
    const first = await ingest(request(target, await reportWorkbook('installation', [installationRow()])));
    const second = await ingest(request(target, await reportWorkbook('installation', [installationRow({ install_id: 'IN-9' }), installationRow({ install_id: 'IN-10', serial_no: 'SN-10' })])));
    expect((await office.reports.currentVersion(target))?.version).toBe(second.version);
    expect((await stored(target, second.version)).map((i) => i.kind === 'installation' && i.record.install_id)).toEqual(['IN-9', 'IN-10']);
    expect((await office.reports.versions(target)).map((v) => [v.version, v.status])).toEqual([
      [first.version, 'superseded'],
      [second.version, 'accepted'],
    ]);
  });

  it("keeps the current version's digest on its pointer: the unboxing problems of an installation report, the scored fields of a repair report; an older upload taken in later changes neither", async () => {
    const target = october('installation', 'D003');
    await ingest(request(target, await reportWorkbook('installation', [installationRow({ install_id: 'IN-1', unboxing_issue: '外箱破损' }), installationRow({ install_id: 'IN-2', serial_no: 'SN-2' })]), { receivedAt: new Date('2026-11-02T09:00:00+08:00') }));
    await ingest(request(target, await reportWorkbook('installation', [installationRow({ install_id: 'IN-OLD', unboxing_issue: '缺配件' })]), { receivedAt: new Date('2026-11-02T08:00:00+08:00') }));
    await ingest(request(october('repair', 'D003'), await reportWorkbook('repair', [repairRow(), repairRow({ part_code: 'P-SEAL-03', part_qty: 2 })])));
    const [installations] = await office.reports.dealerReports('D003', 'installation', '2026-10', '2026-10');
    expect(installations?.digest).toEqual({ type: 'installation', unboxing: [expect.objectContaining({ install_id: 'IN-1', unboxing_issue: '外箱破损' })] });
    const { reports: [repairs] } = await office.reports.monthReports('repair', '2026-10', { limit: 10 });
    expect(repairs).toMatchObject({ dealer: 'D003', version: 1, digest: { type: 'repair', repairs: [{ repair_id: 'RP-0001', called_at: expect.any(String), arrived_at: expect.any(String), completed_date: expect.any(String) }] } });
    expect(Object.keys(repairs?.digest?.type === 'repair' ? (repairs.digest.repairs[0] ?? {}) : {}).sort()).toEqual(['arrived_at', 'called_at', 'completed_date', 'customer_confirmed', 'repair_id', 'satisfaction', 'service_type']);
  });

  it('keeps the report received last current when an older upload is taken in after it (a delayed event), and stores the older superseded', async () => {
    const target = october('installation', 'D003');
    const newer = await ingest(request(target, await reportWorkbook('installation', [installationRow({ install_id: 'IN-NEW' })]), { receivedAt: new Date('2026-11-02T09:00:00+08:00') }));
    const older = await ingest(request(target, await reportWorkbook('installation', [installationRow({ install_id: 'IN-OLD' })]), { receivedAt: new Date('2026-11-02T08:00:00+08:00') }));
    expect(older.status).toBe('accepted');
    expect((await office.reports.currentVersion(target))?.version).toBe(newer.version);
    expect((await stored(target, (await office.reports.currentVersion(target))?.version ?? null)).map((i) => i.kind === 'installation' && i.record.install_id)).toEqual(['IN-NEW']);
    expect((await office.reports.versions(target)).map((v) => [v.version, v.status])).toEqual([
      [newer.version, 'accepted'],
      [older.version, 'superseded'],
    ]);
  });

  it('accepts a report received after the 3rd of the next month, marked late', async () => {
    const target = october('installation');
    const result = await ingest(request(target, await reportWorkbook('installation', [installationRow()]), { receivedAt: new Date('2026-11-04T00:30:00+08:00') }));
    expect(result).toMatchObject({ status: 'accepted', late: true });
    expect(await office.reports.currentVersion(target)).toMatchObject({ late: true });
  });

  it('refuses a period that is not a month, and a dealer not in the master data, before anything is stored', async () => {
    const bytes = await reportWorkbook('installation', [installationRow()]);
    const badPeriod = await ingest(request({ type: 'installation', dealer: 'D001', period: '2026-13' }, bytes));
    const unknownDealer = await ingest(request(october('installation', 'D999'), bytes));
    expect([badPeriod.status, badPeriod.version, badPeriod.errors.map((e) => e.code)]).toEqual(['rejected', null, ['invalid_period']]);
    expect([unknownDealer.status, unknownDealer.version, unknownDealer.errors.map((e) => e.code)]).toEqual(['rejected', null, ['unknown_dealer']]);
    expect(await office.reports.versions(october('installation', 'D999'))).toEqual([]);
  });

  it('refuses a file that is not a workbook with one file-level error and no version', async () => {
    const target = october('repair');
    const result = await ingest(request(target, new TextEncoder().encode('not a workbook')));
    expect(result).toMatchObject({ status: 'rejected', version: null, errorReport: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.row).toBeNull();
    expect(await office.reports.versions(target)).toEqual([]);
  });
});
