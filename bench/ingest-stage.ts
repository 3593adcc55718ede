import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SheetRow } from '../shared/domain/cells.js';
import { Workbook } from '../shared/sheets/reader.js';
import { createReportValidator } from '../shared/domain/report-validation.js';
import type { ProjectionJob } from '../shared/app/ports.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { countRows } from './floor.js';

/**
 * One measured stage in a fresh process, so that its peak RSS is its own:
 *   floor     yauzl + saxes counting rows and cells (bench/floor.ts): the least a reader does
 *   read      our reader alone (readRows: yauzl + saxes, one pass, shared/sheets/sheet-xml.ts)
 *   validate  read + header matching + validation
 *   ingest    the whole use case into DynamoDB Local and s3rver, whose endpoints the parent
 *             passes in BENCH_DYNAMODB_ENDPOINT and BENCH_S3_ENDPOINT, up to the verdict, as
 *             the issue means it: on AWS the projections (archive, unit histories) go to a
 *             queue, so here they are handed to a stand-in queue and then built in the same
 *             process, timed apart (projections_ms, projections_cpu_ms)
 *   sheetjs   SheetJS reading the same file whole, the alternative a user might pick
 * The read stages load only what reading needs (the AWS clients are imported by the ingest
 * stage alone), so that their peak RSS is the reader's, not the SDK's.
 * Prints one JSON line: {stage, rows, wall_ms, cpu_ms, peak_rss_mb[, projections_ms, projections_cpu_ms]}; on a shared machine the
 * CPU time (this process's user + system) is the steadier figure.
 */
const [stage, file] = process.argv.slice(2);
if (stage === undefined || file === undefined) throw new Error('usage: ingest-stage floor|read|validate|ingest|sheetjs FILE');
const bytes = await readFile(file);
const products = new Map(DEMO_PRODUCTS.map((p) => [p.product_model, p.warranty_months]));
const parts = new Set(DEMO_PARTS.map((p) => p.part_code));

/** Where the measured work starts: after the file is read, and for the ingest after the table is made. */
let measuredFrom = performance.now();
let cpuBefore = process.cpuUsage();
/** The ingest's projections, built after the verdict and measured apart from it. */
let projections: (() => Promise<void>) | undefined;

/** The first sheet's rows as the upload reads them: the package opened once, the rows in batches. */
async function firstSheetBatches(): Promise<AsyncGenerator<SheetRow[]>> {
  const workbook = await Workbook.open(bytes);
  const sheet = workbook.worksheets[0];
  if (sheet === undefined) throw new Error('no sheet');
  return workbook.batches(sheet, { maxRows: 1_000_000 });
}

async function run(): Promise<number> {
  if (stage === 'floor') return (await countRows(bytes)).rows;
  if (stage === 'read') {
    let rows = 0;
    for await (const batch of await firstSheetBatches()) rows += batch.length;
    return rows;
  }
  if (stage === 'sheetjs') {
    const XLSX = await import('xlsx');
    const workbook = XLSX.read(bytes, { type: 'buffer', dense: true });
    const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
    if (sheet === undefined) throw new Error('no sheet');
    // Title and header rows are not data rows.
    return XLSX.utils.sheet_to_json(sheet, { header: 1 }).length - 2;
  }
  if (stage === 'validate') {
    const validator = createReportValidator({
      type: 'repair',
      period: '2026-10',
      today: '2026-11-02',
      master: { warrantyMonths: (m) => products.get(m), hasPart: (c) => parts.has(c) },
    });
    for await (const batch of await firstSheetBatches()) for (const row of batch) validator.push(row);
    const summary = validator.finish();
    if (summary.errors.length > 0) throw new Error(`unexpected errors: ${JSON.stringify(summary.errors.slice(0, 3))}`);
    return summary.counts.rows;
  }
  const [{ loadConfig }, { ingestReport }, { projectReport }, { createAdapters, createDocumentClient, createS3Client }, { ensureBuckets, ensureTable }] = await Promise.all([
    import('../shared/config.js'),
    import('../shared/app/ingest-report.js'),
    import('../shared/app/report-projections.js'),
    import('../shared/compose.js'),
    import('../infra/local/provision.js'),
  ]);
  // The servers run in the parent (bench/run.ts), so this process's peak RSS is the ingest's
  // own, as in a Lambda; a fresh table per run keeps runs apart.
  const config = loadConfig({ DYNAMODB_ENDPOINT: process.env.BENCH_DYNAMODB_ENDPOINT, S3_ENDPOINT: process.env.BENCH_S3_ENDPOINT, TABLE_NAME: `bench-${randomUUID().slice(0, 8)}` });
  if (config.endpoints.dynamodb === undefined || config.endpoints.s3 === undefined) throw new Error('ingest needs BENCH_DYNAMODB_ENDPOINT and BENCH_S3_ENDPOINT (npm run bench starts them)');
  await ensureTable(createDocumentClient(config), config.tableName);
  await ensureBuckets(createS3Client(config), Object.values(config.buckets));
  const adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  let job: ProjectionJob | undefined;
  const deps = { ...adapters, config, projections: { request: async (queued: ProjectionJob) => void (job = queued) } };
  measuredFrom = performance.now();
  cpuBefore = process.cpuUsage();
  const result = await ingestReport(
    deps,
    { bytes, target: { dealer: 'D001', type: 'repair', period: '2026-10' }, receivedAt: new Date('2026-11-02T02:00:00Z'), sourceId: 'bench' },
  );
  if (result.status !== 'accepted') throw new Error(`rejected: ${JSON.stringify(result.errors.slice(0, 3))}`);
  projections = async () => {
    if (job !== undefined) await projectReport(deps, job);
  };
  return result.counts.rows;
}

const rows = await run();
const wall = performance.now() - measuredFrom;
const cpu = process.cpuUsage(cpuBefore);
const measured = { stage, rows, wall_ms: Math.round(wall), cpu_ms: Math.round((cpu.user + cpu.system) / 1000), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) };
if (projections === undefined) console.log(JSON.stringify(measured));
else {
  const [projectedFrom, projectedCpu] = [performance.now(), process.cpuUsage()];
  await projections();
  const cpuAfter = process.cpuUsage(projectedCpu);
  console.log(JSON.stringify({ ...measured, projections_ms: Math.round(performance.now() - projectedFrom), projections_cpu_ms: Math.round((cpuAfter.user + cpuAfter.system) / 1000) }));
}
