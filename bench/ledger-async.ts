import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import ExcelJS from 'exceljs';
import { ledgerIngestHandler } from '../functions/ingest-ledger.js';
import { ledgerUploadStatus, requestLedgerUpload } from '../shared/app/ledger-uploads.js';
import { createBackOffice } from '../shared/compose.js';
import { SHIPMENT_FIELDS } from '../shared/domain/fields.js';
import { XLSX_CONTENT_TYPE } from '../shared/sheets/content-type.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { lambdaContext } from '../infra/local/lambda-context.js';
import { startLocalStack } from '../infra/local/stack.js';

/**
 * A shipments file of `BENCH_LEDGER_ROWS` rows (default 200,000; two lines per shipment,
 * three dealers, the demo parts) recorded through the async path of the local stack: the file
 * put into s3rver's uploads bucket under a ticketed `ledger/` key, s3rver's event driving the
 * ledger worker handler as `npm start` does, the status polled as the portal does. Prints the
 * rows, the wall time from the upload to the verdict, and the items written. Not a test.
 * Run with `BACKOFFICE_DYNAMODB_IN_MEMORY=true` for `npm start`'s in-memory table.
 */
const rows = Number(process.env.BENCH_LEDGER_ROWS ?? 200_000);

async function generateShipments(count: number, file: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: createWriteStream(file), useSharedStrings: true });
  const sheet = workbook.addWorksheet('发料记录');
  sheet.addRow(SHIPMENT_FIELDS.map((f) => f.zh)).commit();
  const parts = DEMO_PARTS.map((p) => p.part_code);
  const dealers = DEMO_DEALERS.map((d) => d.dealer_code);
  for (let i = 0; i < count; i++) {
    const shipment = Math.floor(i / 2);
    sheet.addRow([`SH-${String(shipment).padStart(7, '0')}`, new Date(Date.UTC(2026, 9, 1 + (shipment % 28))), dealers[shipment % dealers.length], parts[i % parts.length], 1 + (i % 3), '保修借料']).commit();
  }
  await workbook.commit();
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-async-'));
  const stack = await startLocalStack(join(dir, 'data'), { announce: false });
  try {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const office = createBackOffice(stack.config);
    await office.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    const worker = ledgerIngestHandler({ ...office, logLevel: 'WARN' });
    let working: Promise<unknown> = Promise.resolve();
    stack.s3?.onEvent((event) => {
      working = working.then(() => worker(event as unknown as S3Event, lambdaContext('ingest-ledger'))).catch((error: unknown) => console.error('worker failed:', error));
    });

    const file = join(dir, 'shipments.xlsx');
    await generateShipments(rows, file);
    const bytes = await readFile(file);
    const admin = { subject: 'bench', roles: new Set(['admin'] as const), dealer: null };
    const load = loadavg()[0]!.toFixed(1);
    const started = performance.now();
    const ticket = await requestLedgerUpload(office, admin, 'shipments');
    await office.blobs.put('uploads', ticket.form.fields.key!, bytes, XLSX_CONTENT_TYPE);
    let state = await ledgerUploadStatus(office, admin, 'shipments', ticket.upload_id);
    while (!('counts' in state)) {
      await new Promise((r) => setTimeout(r, 1_000));
      state = await ledgerUploadStatus(office, admin, 'shipments', ticket.upload_id);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        rows,
        file_mb: +(bytes.length / 2 ** 20).toFixed(1),
        state: state.state,
        counts: state.counts,
        errors_total: state.errors_total,
        wall_s: +seconds.toFixed(1),
        rows_per_s: Math.round(rows / seconds),
        items_written: state.counts.recorded + 1,
        load_before_after: `${load}-${loadavg()[0]!.toFixed(1)}`,
      }),
    );
  } finally {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
