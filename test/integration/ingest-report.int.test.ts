import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { ingestReport, type IngestRequest } from '../../shared/app/ingest-report.js';
import type { ReportItem, ReportStore, ReportTarget } from '../../shared/app/ports.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { installationRow, repairRow, reportWorkbook } from '../helpers/reports.js';

let config: BackOfficeConfig;
let adapters: Adapters;
let uploads = 0;

const october = (type: ReportTarget['type'], dealer = 'D001'): ReportTarget => ({ type, dealer, period: '2026-10' });
const onTime = new Date('2026-11-02T08:00:00+08:00');

function request(target: ReportTarget, bytes: Uint8Array, extra: Partial<IngestRequest> = {}): IngestRequest {
  uploads += 1;
  return { bytes, target, receivedAt: onTime, sourceId: `test:${uploads}`, ...extra };
}

const ingest = (req: IngestRequest, reports: ReportStore = adapters.reports) => ingestReport({ ...adapters, reports, config }, req);

async function items(target: ReportTarget, version: number): Promise<ReportItem[]> {
  const out: ReportItem[] = [];
  for await (const item of adapters.reports.readItems(target, version)) out.push(item);
  return out;
}

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
});

describe('ingesting a dealer report into DynamoDB Local and s3rver', () => {
  it('accepts a clean installation report, makes it current and archives each installed product', async () => {
    // Prepare
    const target = october('installation');
    const bytes = await reportWorkbook('installation', [
      installationRow(),
      installationRow({ install_id: 'IN-0002', serial_no: 'SN-BT-0002', product_model: 'BT-1500', commissioning: '不合格' }),
    ]);
    // Act
    const result = await ingest(request(target, bytes));
    // Assess
    expect(result.status).toBe('accepted');
    expect(result.errors).toEqual([]);
    expect(result.counts).toMatchObject({ rows: 2, records: 2 });
    expect((await adapters.reports.currentVersion(target))?.version).toBe(result.version);
    const archived = await adapters.archive.find([{ product_model: 'BT-1500', serial_no: 'SN-BT-0002' }]);
    expect([...archived.values()][0]).toMatchObject({ dealer_code: 'D001', commissioning: 'failed', install_date: '2026-10-08' });
  });

  it("stores each repair with its warranty phase and charging, and warns of a serial never installed and of a purchase date other than the archive's", async () => {
    // Prepare: SN-WC-0001 was installed above, bought 2026-09-28 by its installation report; SN-UNKNOWN never was
    const target = october('repair');
    const bytes = await reportWorkbook('repair', [
      repairRow(),
      repairRow({ repair_id: 'RP-0002', serial_no: 'SN-UNKNOWN', purchase_date: '2020-01-01', charge_cause: 'misuse' }),
      repairRow({ repair_id: 'RP-0002', serial_no: 'SN-UNKNOWN', purchase_date: '2020-01-01', charge_cause: 'misuse', part_code: 'P-SEAL-03', part_qty: 2 }),
    ]);
    // Act
    const result = await ingest(request(target, bytes));
    // Assess
    expect(result.status).toBe('accepted');
    expect(result.counts).toEqual({ rows: 3, records: 2, part_lines: 3 });
    expect(result.warnings.map((w) => [w.row, w.column, w.code])).toEqual([
      [2, 'purchase_date', 'purchase_date_mismatch'],
      [3, 'serial_no', 'unknown_serial'],
    ]);
    const repairs = (await items(target, result.version ?? 0)).flatMap((i) => (i.kind === 'repair' ? [[i.record.repair_id, i.classification] as const] : []));
    const stored = Object.fromEntries(repairs);
    expect(stored['RP-0001']).toMatchObject({ phase: 'in_warranty', materials_charged: false });
    expect(stored['RP-0002']).toMatchObject({ phase: 'out_of_warranty', materials_charged: true });
  });

  it('rejects a report with mistakes whole, lists every one by row and column, and keeps the previous version current', async () => {
    // Prepare
    const target = october('installation', 'D002');
    const good = await ingest(request(target, await reportWorkbook('installation', [installationRow()])));
    const bad = await reportWorkbook('installation', [
      installationRow({ install_id: 'IN-1' }),
      installationRow({ install_id: 'IN-2', serial_no: 'SN-2', install_date: '2026/13/45' }),
      installationRow({ install_id: 'IN-3', serial_no: 'SN-3', product_model: 'NO-SUCH-MODEL' }),
      installationRow({ install_id: 'IN-3', serial_no: 'SN-4' }),
    ]);
    // Act
    const result = await ingest(request(target, bad));
    // Assess
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, 'install_date', 'invalid_date'],
      [4, 'product_model', 'unknown_product'],
      [5, 'install_id', 'duplicate_id'],
    ]);
    for (const error of result.errors) {
      expect(error.message).not.toBe('');
      expect(error.message_zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(result.errorReport).not.toBeNull();
    expect(result.error_report_key).not.toBeNull();
    const current = await adapters.reports.currentVersion(target);
    expect(current?.version).toBe(good.version);
    expect(await items(target, good.version ?? 0)).toHaveLength(1);
    expect(await items(target, result.version ?? 0)).toHaveLength(0);
    expect(await adapters.blobs.get('reports', result.error_report_key ?? '')).toBeInstanceOf(Uint8Array);
  });

  it('reads the sheet with the header row when a notes sheet comes first, and marks the mistakes on that sheet', async () => {
    // Prepare
    const target: ReportTarget = { type: 'installation', dealer: 'D003', period: '2026-09' };
    const september = { install_date: '2026-09-10', purchase_date: '2026-09-01' };
    const bad = await reportWorkbook('installation', [installationRow(september), installationRow({ ...september, install_id: 'IN-2', serial_no: 'SN-2', install_date: '2026/13/45' })], { notesSheetFirst: true });
    // Act
    const result = await ingest(request(target, bad));
    // Assess
    expect(result.errors.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'install_date', 'invalid_date']]);
    const annotated = new ExcelJS.Workbook();
    await annotated.xlsx.load(result.errorReport as unknown as ArrayBuffer);
    expect(annotated.getWorksheet('填写说明')?.getCell('B1').note).toBeUndefined();
    expect(annotated.getWorksheet('installation')?.getCell('B3').note).toBeDefined();
  });

  it('replaces the current report with a new accepted upload', async () => {
    const target = october('installation', 'D003');
    const first = await ingest(request(target, await reportWorkbook('installation', [installationRow()])));
    const second = await ingest(
      request(target, await reportWorkbook('installation', [installationRow({ install_id: 'IN-9' }), installationRow({ install_id: 'IN-10', serial_no: 'SN-10' })])),
    );
    expect(second.version).toBeGreaterThan(first.version ?? 0);
    expect((await adapters.reports.currentVersion(target))?.version).toBe(second.version);
    expect((await items(target, second.version ?? 0)).map((i) => (i.kind === 'installation' ? i.record.install_id : i.kind)).sort()).toEqual(['IN-10', 'IN-9']);
    const statuses = (await adapters.reports.versions(target)).map((v) => [v.version, v.status]);
    expect(statuses).toEqual([
      [first.version, 'superseded'],
      [second.version, 'accepted'],
    ]);
  });

  it('changes nothing when the same upload arrives twice', async () => {
    const target = october('repair', 'D002');
    const req = request(target, await reportWorkbook('repair', [repairRow()]));
    const first = await ingest(req);
    const again = await ingest(req);
    expect(again.replayed).toBe(true);
    expect(again.version).toBe(first.version);
    expect(await adapters.reports.versions(target)).toHaveLength(1);
  });

  it('marks a report received after the 3rd of the next month (Asia/Shanghai) late', async () => {
    const target = october('repair', 'D003');
    const bytes = await reportWorkbook('repair', [repairRow()]);
    const lastMinute = await ingest(request(target, bytes, { receivedAt: new Date('2026-11-03T23:59:00+08:00') }));
    const nextDay = await ingest(request(target, bytes, { receivedAt: new Date('2026-11-04T00:00:30+08:00') }));
    expect(lastMinute.late).toBe(false);
    expect(nextDay.late).toBe(true);
  });

  it('refuses a required column missing altogether with one error naming it', async () => {
    const bytes = await reportWorkbook('installation', [installationRow(), installationRow({ install_id: 'IN-2', serial_no: 'SN-2' })], { omit: ['serial_no'] });
    const result = await ingest(request(october('installation', 'D003'), bytes));
    expect(result.status).toBe('rejected');
    expect(result.errors.map((e) => [e.column, e.code])).toEqual([['serial_no', 'missing_column']]);
  });

  it('takes a sheet of exactly the row limit below a title and header, and refuses one row more', async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => installationRow({ install_id: `CAP-${i}`, serial_no: `SN-CAP-${i}` }));
    const capped = { ...config, maxUploadRows: 3 };
    const target = october('installation', 'D002');
    const atLimit = await ingestReport({ ...adapters, config: capped }, request(target, await reportWorkbook('installation', rows(3), { title: '安装情况统计' })));
    const over = await ingestReport({ ...adapters, config: capped }, request(target, await reportWorkbook('installation', rows(4), { title: '安装情况统计' })));
    expect(atLimit.status).toBe('accepted');
    expect(over.errors.map((e) => e.code)).toEqual(['too_many_rows']);
    expect((await adapters.reports.currentVersion(target))?.version).toBe(atLimit.version);
  });

  it('refuses a file that is not a workbook before reading it, and an unknown dealer', async () => {
    const notXlsx = await ingest(request(october('repair'), new TextEncoder().encode('install_id,install_date\nIN-1,2026-10-01\n')));
    expect(notXlsx.errors.map((e) => e.code)).toEqual(['not_xlsx']);
    const stranger = await ingest(request(october('repair', 'D999'), await reportWorkbook('repair', [repairRow()])));
    expect(stranger.errors.map((e) => [e.code, e.value])).toEqual([['unknown_dealer', 'D999']]);
  });
});

describe('a failure midway', () => {
  it('leaves the previous version current and intact, and the retry of the same upload completes it', async () => {
    // Prepare: a current version, then an upload of 1,200 rows whose second chunk write dies
    const target = october('installation', 'D001');
    const before = await adapters.reports.currentVersion(target);
    const rows = Array.from({ length: 1_200 }, (_, i) =>
      installationRow({ install_id: `BIG-${i}`, serial_no: `SN-BIG-${i}` }),
    );
    const req = request(target, await reportWorkbook('installation', rows));
    let writes = 0;
    const crashing: ReportStore = Object.create(adapters.reports, {
      writeItems: {
        value: async (...args: Parameters<ReportStore['writeItems']>) => {
          writes += 1;
          if (writes === 2) throw new Error('Lambda crashed');
          return adapters.reports.writeItems(...args);
        },
      },
    });
    // Act
    await expect(ingest(req, crashing)).rejects.toThrow('Lambda crashed');
    // Assess: nothing changed for readers
    expect((await adapters.reports.currentVersion(target))?.version).toBe(before?.version);
    // Act: the retry of the same upload
    const retried = await ingest(req);
    // Assess
    expect(retried.status).toBe('accepted');
    expect((await adapters.reports.currentVersion(target))?.version).toBe(retried.version);
    expect(await items(target, retried.version ?? 0)).toHaveLength(1_200);
  });
});

describe('a big report', () => {
  it('reads on while its chunks are written, and has every write landed before the verdict', async () => {
    // Prepare: 1,100 rows (three chunks) and a store whose first write holds until a second one starts
    const target = october('installation', 'D002');
    const rows = Array.from({ length: 1_100 }, (_, i) => installationRow({ install_id: `PIPE-${i}`, serial_no: `SN-PIPE-${i}` }));
    const req = request(target, await reportWorkbook('installation', rows));
    let writing = 0;
    let mostAtOnce = 0;
    let secondStarted: () => void = () => undefined;
    const second = new Promise<void>((resolve) => (secondStarted = resolve));
    const landed: number[] = [];
    const overlapping: ReportStore = Object.create(adapters.reports, {
      writeItems: {
        value: async (...args: Parameters<ReportStore['writeItems']>) => {
          writing += 1;
          mostAtOnce = Math.max(mostAtOnce, writing);
          if (writing > 1) secondStarted();
          // Written one after another the first write would wait for nothing: it gives up after 5 s.
          await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 5_000))]);
          await adapters.reports.writeItems(...args);
          landed.push(args[2].length);
          writing -= 1;
        },
      },
    });
    // Act
    const result = await ingest(req, overlapping);
    // Assess
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(result.status).toBe('accepted');
    expect(landed.reduce((sum, n) => sum + n, 0)).toBe(1_100);
    expect(await items(target, result.version ?? 0)).toHaveLength(1_100);
  });
});
