import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApi } from '../functions/api.js';
import { makeDealerArchive } from '../shared/app/quality/dealer-archive.js';
import type { ReportItem } from '../shared/app/ports.js';
import { loadConfig } from '../shared/config.js';
import { createBackOffice, createDocumentClient, createS3Client } from '../shared/compose.js';
import type { Role } from '../shared/domain/access.js';
import type { Dealer } from '../shared/domain/master.js';
import type { ReportType } from '../shared/domain/fields.js';
import { batchWrite, putRequest } from '../shared/store/batch.js';
import { complaintKeys, dealerPk, reportKeys, scoreKeys } from '../shared/store/keys.js';
import { scoreItem } from '../shared/store/dynamo-score-store.js';
import { scoreOfMonth } from '../shared/app/quality/month-scores.js';
import type { ScoredRepair } from '../shared/app/ports.js';
import { encodeCursor } from '../shared/domain/paging.js';
import { packRows } from '../shared/store/packed-rows.js';
import { digestAttribute } from '../shared/store/dynamo-report-store.js';
import { DigestCollector } from '../shared/app/report-digest.js';
import { ensureBuckets, ensureTable } from '../infra/local/provision.js';
import { startDynamoDbLocal, startS3Server } from '../infra/local/servers.js';
import { DEMO_PARTS, DEMO_PRODUCTS } from '../infra/local/demo.js';
import { countingClient } from '../test/helpers/command-counter.js';
import { complaintRecord } from '../test/helpers/complaints.js';
import { installationRecord, repairRecord } from '../test/helpers/month-fixtures.js';
import { seedJournalYear, YEAR_MONTHS } from './seed-journal.js';
import { percentile } from './figures.js';

/**
 * `npm run bench -- api` (`npx tsx bench/api.ts [DEALERS]`): every GET route each role's home
 * page and lists call (portal/src/*.ts), through the real API handler in process with a
 * signed-in caller, after a year of history for BENCH_DEALERS dealers (default 2,000) in
 * DynamoDB Local (in memory) and s3rver. Written by BatchWriteItem in the stores' own layouts
 * (their key helpers): the year of forms, credit notes, payments and journal entries of
 * bench/seed-journal.ts; each month a repair report (20 repairs, 10 part rows) and an
 * installation report (20 installations, one with an unboxing issue) as current versions with
 * their packed rows; a complaint a quarter. Per route: its status, p50/p95 ms, the DynamoDB
 * commands it sends (and whether any scans) and the bytes of its answer. Routes that read one
 * dealer are asked for dealers spread over the range. BENCH_SAMPLES (default 20) calls a
 * route, BENCH_SLOW_SAMPLES (default 3) for the cross-dealer ones, the dealer archive once;
 * BENCH_ROUTES (comma-separated parts of the labels) picks routes. The report pointers carry
 * the digests the ingest keeps (shared/app/report-digest.ts) unless BENCH_DIGESTS=0. Asserts nothing; one JSON
 * line last. The ledger, reconciliation results, messages and requests are not loaded: their
 * routes are called on empty partitions.
 */
const dealersCount = Number(process.argv[2] ?? process.env.BENCH_DEALERS ?? 2_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 20);
const SLOW_SAMPLES = Number(process.env.BENCH_SLOW_SAMPLES ?? 3);
const ROUTES = (process.env.BENCH_ROUTES ?? '').split(',').filter((r) => r !== '');
/** BENCH_DIGESTS=0 seeds the pointers as versions committed before digests were kept (the rows read instead). */
const WITH_DIGESTS = process.env.BENCH_DIGESTS !== '0';
const REPAIRS = 20;
const INSTALLATIONS = 20;
const LAST = YEAR_MONTHS.at(-1) as string;
/** The dealer archive's span: the thirteen months ending with the last. */
const ARCHIVE_FROM = `${Number(LAST.slice(0, 4)) - 1}${LAST.slice(4)}`;

const dynamo = await startDynamoDbLocal();
const s3Dir = mkdtempSync(join(tmpdir(), 'bench-api-s3-'));
const s3 = await startS3Server({ dataDir: s3Dir });
try {
  const config = loadConfig({ DYNAMODB_ENDPOINT: dynamo.endpoint, S3_ENDPOINT: s3.endpoint });
  const seedClient = createDocumentClient(config);
  await ensureTable(seedClient, config.tableName);
  await ensureBuckets(createS3Client(config), Object.values(config.buckets));
  const dealers: Dealer[] = Array.from({ length: dealersCount }, (_, i) => ({
    dealer_code: `D${String(i).padStart(5, '0')}`, dealer_name: `经销商 ${i}`, region: ['华东', '华南', '西南', '华北'][i % 4] as string, contact: '联系人', phone: '13800000000', payment_method: '银行转账', return_window_days: null,
  }));
  await createBackOffice(config).master.save({ dealers, products: DEMO_PRODUCTS, parts: DEMO_PARTS });

  const seedStarted = performance.now();
  const { forms, entries } = await seedJournalYear(seedClient, config.tableName, dealers);

  // One month's rows, packed once and written under every dealer's version: the rows are the same, the keys are the dealer's.
  const packsOf = (period: string, type: ReportType) => {
    const rows: ReportItem[][] = [];
    if (type === 'repair') {
      for (let r = 0; r < REPAIRS; r++) {
        const day = `${period}-${String(1 + (r % 27)).padStart(2, '0')}`;
        const { phase, materials_charged, ...record } = repairRecord({
          repair_id: `RP-${period}-${r}`, called_at: `${day}T09:00:00`, arrived_at: `${day}T${r % 5 === 0 ? '23' : '15'}:30:00`, completed_date: day,
          service_type: r % 4 === 3 ? 'return_visit' : 'repair', satisfaction: r % 7 === 0 ? 'dissatisfied' : 'satisfied', serial_no: `SN-${period}-${r}`,
        });
        const classification = { phase, warranty_end: '2028-01-15', materials_charged, service_fee: false } as const;
        const row = [{ kind: 'repair', row: rows.length + 2, record, classification } as ReportItem];
        if (r % 2 === 0) row.push({ kind: 'part_line', row: rows.length + 2, record: { repair_id: record.repair_id, part_code: 'P-VALVE-01', part_qty: 1 }, classification } as ReportItem);
        rows.push(row);
      }
    } else {
      for (let n = 0; n < INSTALLATIONS; n++) {
        const record = installationRecord({ install_id: `IN-${period}-${n}`, install_date: `${period}-${String(1 + n).padStart(2, '0')}`, serial_no: `SN-IN-${period}-${n}`, unboxing_issue: n === 0 ? '外箱破损，水箱盖有裂纹' : null });
        rows.push([{ kind: 'installation', row: n + 2, record }]);
      }
    }
    const digest = new DigestCollector(type);
    digest.add(rows.flat());
    const kept = digest.digest();
    const repairs = type === 'repair' ? rows.flat().flatMap((item) => (item.kind === 'repair' ? [item.record as ScoredRepair] : [])) : undefined;
    return { packs: packRows(rows), digest: kept === undefined ? null : digestAttribute(kept), rows: rows.length, records: rows.length, part_lines: rows.flat().length - rows.length, repairs };
  };
  const monthRows = YEAR_MONTHS.flatMap((period) => (['repair', 'installation'] as const).map((type) => ({ period, type, ...packsOf(period, type) })));
  const lastRanks: string[] = [];
  for (let from = 0; from < dealers.length; from += 20) {
    const items: Record<string, unknown>[] = [];
    for (const dealer of dealers.slice(from, from + 20)) {
      for (const m of monthRows) {
        const received_at = `${m.period}-28T02:00:00.000Z`;
        const source = `bench-${dealer.dealer_code}-${m.type}-${m.period}`;
        items.push({
          pk: dealerPk(dealer.dealer_code), sk: reportKeys.pointerSk(m.type, m.period), next_version: 1, dealer: dealer.dealer_code, report_type: m.type, period: m.period,
          gsi1pk: reportKeys.periodGsi1pk(m.period), gsi1sk: reportKeys.pointerGsi1sk(m.type, dealer.dealer_code), current_version: 1, current_received_at: received_at, current_late: false,
          ...(WITH_DIGESTS && m.digest !== null && { digest: m.digest, digest_version: 1 }),
        });
        items.push({ pk: dealerPk(dealer.dealer_code), sk: reportKeys.versionSk(m.type, m.period, 1), version: 1, status: 'accepted', received_at, late: false, source, counts: { rows: m.rows, records: m.records, part_lines: m.part_lines } });
        for (const pack of m.packs) items.push({ pk: reportKeys.versionPk(dealer.dealer_code, m.type, m.period, 1), sk: reportKeys.rowsSk(pack.rows[0]![0]!.row), packed: pack.gzipped });
      }
      YEAR_MONTHS.forEach((period, q) => {
        if (q % 3 !== 0) return;
        const complaint = complaintRecord({ complaint_id: `C-${dealer.dealer_code}-${period}`, dealer_code: dealer.dealer_code, received_at: `${period}-12T10:00:00`, first_reply_at: `${period}-12T16:00:00`, closed_at: `${period}-20T10:00:00` });
        items.push({ ...complaintKeys.item(complaint.complaint_id), gsi1pk: complaintKeys.monthGsi1pk(period), gsi1sk: complaintKeys.gsi1sk(complaint.dealer_code, complaint.received_at, complaint.complaint_id), ...complaint });
        items.push({ ...complaintKeys.dealerCopy(complaint.dealer_code, complaint.received_at, complaint.complaint_id), ...complaint });
      });
      // Each month's score as the writers keep it (shared/app/quality/month-scores.ts), in the score store's item; every third dealer's complaints are the service's fault, so the ranks differ.
      for (const m of monthRows) {
        if (m.repairs === undefined) continue;
        const complaints = YEAR_MONTHS.indexOf(m.period) % 3 === 0 ? [{ complaint_id: `C-${dealer.dealer_code}-${m.period}`, dealer_code: dealer.dealer_code, received_at: `${m.period}-12T10:00:00`, service_fault: true }] : [];
        const score = scoreOfMonth(config, dealer.dealer_code, m.period, m.repairs, complaints, []);
        items.push(scoreItem(dealer.dealer_code, m.period, score, 1));
        if (m.period === LAST && score !== undefined) lastRanks.push(score.rank);
      }
    }
    await batchWrite(seedClient, config.tableName, items.map(putRequest));
  }
  // Every complaint seeded is closed and copied to its dealer: the open complaints' index (empty) and the copies are complete from the first month.
  await batchWrite(seedClient, config.tableName, [putRequest({ ...complaintKeys.openComplete, from: YEAR_MONTHS[0] }), putRequest({ ...scoreKeys.complete, from: YEAR_MONTHS[0] })]);
  // Page 2 of the month worst first begins after the 25th rank.
  const worstPage2 = encodeCursor(lastRanks.sort()[24] ?? '');
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  console.log(`seeded ${dealersCount} dealers in ${seedSeconds.toFixed(1)} s: ${forms} forms, ${entries} journal entries, ${dealersCount * monthRows.length} report versions, ${dealersCount * 4} complaints`);

  const counting = countingClient(createDocumentClient(config));
  const backOffice = createBackOffice(config, { dynamo: counting.client });
  const api = createApi(backOffice, { warn: () => undefined });
  const claims = (role: Role, dealer?: string) => ({ sub: `bench-${role}`, 'cognito:groups': `[${role}]`, ...(dealer !== undefined && { 'custom:dealer_code': dealer }) });
  const dealerAt = (i: number) => dealers[(i * 7919) % dealersCount]?.dealer_code ?? 'D00000';

  /** One route as a role calls it: the target may depend on the sample (the dealer asked for). */
  interface Call { readonly role: Role; readonly label: string; readonly target: (i: number) => string; readonly dealer?: boolean; readonly slow?: boolean; readonly once?: boolean }
  const D = (i: number) => dealerAt(i);
  const calls: Call[] = [
    { role: 'dealer', label: 'GET /api/me', target: () => '/api/me', dealer: true },
    { role: 'dealer', label: 'GET /api/templates', target: () => '/api/templates', dealer: true },
    { role: 'dealer', label: 'GET /api/dealers/{d}/reports?period', target: (i) => `/api/dealers/${D(i)}/reports?period=${LAST}`, dealer: true },
    { role: 'dealer', label: 'GET /api/invoices?period&dealer', target: (i) => `/api/invoices?period=${LAST}&dealer=${D(i)}`, dealer: true },
    { role: 'dealer', label: 'GET /api/dealers/{d}/position', target: (i) => `/api/dealers/${D(i)}/position`, dealer: true },
    { role: 'dealer', label: 'GET /api/messages', target: () => '/api/messages', dealer: true },
    { role: 'dealer', label: 'GET /api/messages/unread', target: () => '/api/messages/unread', dealer: true },
    { role: 'dealer', label: 'GET /api/scorecards?period&dealer', target: (i) => `/api/scorecards?period=${LAST}&dealer=${D(i)}`, dealer: true },
    { role: 'dealer', label: 'GET /api/scorecards/trend?last&dealer', target: (i) => `/api/scorecards/trend?last=${LAST}&dealer=${D(i)}`, dealer: true },
    { role: 'dealer', label: 'GET /api/requests?dealer', target: (i) => `/api/requests?dealer=${D(i)}`, dealer: true },
    { role: 'dealer', label: 'GET /api/disputes (own)', target: () => '/api/disputes', dealer: true },
    { role: 'dealer', label: 'GET /api/design-hazards (own)', target: () => '/api/design-hazards', dealer: true },
    { role: 'dealer', label: 'GET /api/balances (own)', target: () => '/api/balances', dealer: true },
    { role: 'warehouse', label: 'GET /api/requests', target: () => '/api/requests' },
    { role: 'finance', label: 'GET /api/invoices?period (all)', target: () => `/api/invoices?period=${LAST}`, slow: true },
    { role: 'finance', label: 'GET /api/balances (all)', target: () => '/api/balances', slow: true },
    { role: 'finance', label: 'GET /api/balances?dealer', target: (i) => `/api/balances?dealer=${D(i)}` },
    { role: 'finance', label: `GET /api/statistics/{period}`, target: () => `/api/statistics/${LAST}` },
    { role: 'finance', label: 'GET /api/reconciliations/{period}', target: () => `/api/reconciliations/${LAST}?as_of=2026-12-05` },
    { role: 'finance', label: 'GET /api/scorecards?period&sort=worst', target: () => `/api/scorecards?period=${LAST}&sort=worst`, slow: true },
    { role: 'finance', label: 'GET /api/scorecards?period&sort=worst (page 2)', target: () => `/api/scorecards?period=${LAST}&sort=worst&cursor=${worstPage2}`, slow: true },
    { role: 'finance', label: 'GET /api/scorecards?period (by dealer)', target: () => `/api/scorecards?period=${LAST}`, slow: true },
    { role: 'finance', label: 'GET /api/scorecards/trend?last&dealer', target: (i) => `/api/scorecards/trend?last=${LAST}&dealer=${D(i)}` },
    { role: 'finance', label: 'GET /api/complaints/overdue', target: () => '/api/complaints/overdue', slow: true },
    { role: 'finance', label: 'GET /api/complaints/register', target: () => '/api/complaints/register', slow: true },
    { role: 'finance', label: 'GET /api/verification/sample?period', target: () => `/api/verification/sample?period=${LAST}`, slow: true },
    { role: 'finance', label: 'GET /api/unboxing?period', target: () => `/api/unboxing?period=${LAST}`, slow: true },
    { role: 'finance', label: 'GET /api/disputes', target: () => '/api/disputes' },
    { role: 'finance', label: 'GET /api/design-hazards', target: () => '/api/design-hazards' },
    { role: 'finance', label: 'GET /api/dealer-archive (13 months, status)', target: () => `/api/dealer-archive?from=${ARCHIVE_FROM}&to=${LAST}` },
    { role: 'admin', label: 'GET /api/requests', target: () => '/api/requests' },
    { role: 'manager', label: 'GET /api/disputes', target: () => '/api/disputes' },
  ];

  const results = [];
  console.log(`\n${'route (role)'.padEnd(50)} status  calls   p50 ms   p95 ms  DynamoDB/call  scans       bytes`);
  for (const call of calls.filter((c) => ROUTES.length === 0 || ROUTES.some((r) => c.label.includes(r)))) {
    const times = call.once === true ? 1 : call.slow === true ? SLOW_SAMPLES : SAMPLES;
    const ms: number[] = [];
    let commands = 0;
    let maxCommands = 0;
    let scans = 0;
    let bytes = 0;
    const statuses = new Set<number>();
    for (let i = 0; i < times; i++) {
      const url = new URL(call.target(i), 'https://portal.example');
      const event = {
        rawPath: url.pathname,
        queryStringParameters: url.search === '' ? undefined : Object.fromEntries(url.searchParams),
        requestContext: { requestId: `bench-${i}`, http: { method: 'GET' }, authorizer: { jwt: { claims: claims(call.role, call.dealer === true ? D(i) : undefined) } } },
      } as unknown as APIGatewayProxyEventV2;
      counting.sent.length = 0;
      const started = performance.now();
      const answer = await api(event);
      ms.push(performance.now() - started);
      statuses.add(answer.statusCode ?? 0);
      commands += counting.sent.length;
      maxCommands = Math.max(maxCommands, counting.sent.length);
      scans += counting.sent.filter((c) => c.name === 'ScanCommand').length;
      bytes = Math.max(bytes, Buffer.byteLength(String(answer.body ?? ''), answer.isBase64Encoded === true ? 'base64' : 'utf8'));
    }
    ms.sort((a, b) => a - b);
    const result = { role: call.role, route: call.label, statuses: [...statuses], calls: times, p50_ms: Number(percentile(ms, 50).toFixed(1)), p95_ms: Number(percentile(ms, 95).toFixed(1)), dynamodb_per_call: Number((commands / times).toFixed(1)), dynamodb_max: maxCommands, scans, max_bytes: bytes };
    results.push(result);
    console.log(`${`${call.label} (${call.role})`.padEnd(50)} ${result.statuses.join('/').padStart(6)} ${String(times).padStart(6)} ${result.p50_ms.toFixed(1).padStart(8)} ${result.p95_ms.toFixed(1).padStart(8)} ${String(result.dynamodb_per_call).padStart(14)} ${String(scans).padStart(6)} ${String(bytes).padStart(11)}`);
  }
  // The dealer archive is made off the request path, by the statistics worker: its time is the worker's, not a route's.
  let archive: { seconds: number; dynamodb: number } | null = null;
  if (ROUTES.length === 0 || ROUTES.some((r) => 'dealer-archive'.includes(r))) {
    counting.sent.length = 0;
    const started = performance.now();
    await makeDealerArchive(backOffice, { kind: 'dealer_archive', from: ARCHIVE_FROM, to: LAST, requested_at: new Date().toISOString() });
    archive = { seconds: Number(((performance.now() - started) / 1000).toFixed(1)), dynamodb: counting.sent.length };
    console.log(`\nthe dealer archive of 13 months, made by the statistics worker: ${archive.seconds} s, ${archive.dynamodb} DynamoDB commands`);
  }
  console.log(JSON.stringify({ dealers: dealersCount, seed_s: Number(seedSeconds.toFixed(1)), results, dealer_archive_worker: archive }));
} finally {
  await Promise.allSettled([dynamo.stop(), s3.stop()]);
  rmSync(s3Dir, { recursive: true, force: true });
}
