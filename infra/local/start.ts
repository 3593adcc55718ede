import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { businessDateOf, FIRST_PERIOD } from '../../shared/domain/dates.js';
import { jobsDueOn } from '../../shared/domain/schedule.js';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { reconcilePeriod } from '../../shared/app/reconcile.js';
import { inProcessReconciliationRuns } from '../../shared/app/reconciliation-runs.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { apiHandler } from '../../functions/api.js';
import { ingestHandler } from '../../functions/ingest.js';
import { projectionHandler } from '../../functions/project-report.js';
import { inProcessProjectionJobs } from '../../shared/app/report-projections.js';
import { importMasterHandler } from '../../functions/import-master.js';
import { ledgerIngestHandler } from '../../functions/ingest-ledger.js';
import { remindersHandler } from '../../functions/reminders.js';
import { statisticsHandler } from '../../functions/statistics.js';
import { describeJob } from '../../shared/app/statistics-downloads.js';
import { inProcessStatisticsJobs } from '../../shared/store/statistics-jobs.js';
import { writeAllTemplates } from '../../shared/sheets/template.js';
import { decodeEventKey, LEDGER_UPLOAD_PREFIX, MASTER_UPLOAD_PREFIX } from '../../shared/app/upload-keys.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from './demo.js';
import { announcePortal, resolveDataDir, startLocalStack } from './stack.js';
import type { S3EventPayload } from './servers.js';
import { startPortalServer, DEMO_USERS } from './api-server.js';
import { buildPortal } from './portal-build.js';
import { lambdaContext } from './lambda-context.js';
import { deadlinesHandler } from '../../functions/deadlines.js';
import { iamCheckedClients } from './iam/check.js';
import type { FunctionName } from './iam/policy-file.js';

/**
 * `npm start`: the whole back office on this machine. DynamoDB Local and s3rver on loopback
 * with data in `.data/`, the same table and buckets as on AWS, demo master data the first
 * time, and the ingest Lambda handler (the ledger worker's for `ledger/` keys) run on every
 * object put into the uploads bucket with the S3 event AWS would send. The handlers are the
 * functions' own factories over the same composition root as on AWS; only the endpoints differ.
 */
async function main(): Promise<void> {
  const dataDir = resolveDataDir(process.argv.includes('--data-dir') ? process.argv[process.argv.indexOf('--data-dir') + 1] : undefined);
  console.log(`Starting the back office with data in ${dataDir} ...`);
  const stack = await startLocalStack(dataDir, { announce: true });
  const { config } = stack;

  let stopping = false;
  let stopPortal = async (): Promise<void> => undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping DynamoDB Local and the S3 server ...`);
    await stopPortal();
    await stack.stop();
    console.log('Stopped. Your data stays in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // EMF metrics are for CloudWatch; here they would only fill the terminal.
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const backOffice = createBackOffice(config);
  // Each handler acts as its function does on AWS: every call checked against that function's
  // synthesized policy (README, "IAM, locally"), unless turned off.
  const iamChecked = !process.argv.includes('--no-iam-check') && process.env.BACKOFFICE_IAM_CHECK !== 'off';
  const actingAs = (fn: FunctionName): BackOffice => (iamChecked ? createBackOffice(config, iamCheckedClients(config, fn)) : backOffice);
  const master = await backOffice.master.load();
  if (master.dealers.size === 0) {
    await backOffice.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    // A new data directory holds nothing recorded before the writes that keep the complaint
    // copies and the month scores: both are complete from the start, as read-models rebuild
    // marks them on data that had none (the scorecards' month-wide worst-first order needs it).
    await backOffice.complaints.indexMonths(FIRST_PERIOD, FIRST_PERIOD);
    await backOffice.scores.markComplete(FIRST_PERIOD);
    console.log(`Loaded demo master data: dealers ${DEMO_DEALERS.map((d) => d.dealer_code).join(', ')}; products ${DEMO_PRODUCTS.map((p) => p.product_model).join(', ')}.`);
  }
  const templatesDir = join(dataDir, 'templates');
  await writeAllTemplates(templatesDir);

  // The projection queue's worker, run in this process after each verdict and not awaited, as
  // Lambda would take the message elsewhere; the status says 'pending' meanwhile.
  const projection = projectionHandler(actingAs('project-report'));
  const projections = inProcessProjectionJobs(
    async (job) => {
      const event = { Records: [{ messageId: `local-${job.source}`, body: JSON.stringify(job), eventSource: 'aws:sqs' }] };
      const { batchItemFailures } = await projection(event as unknown as SQSEvent, lambdaContext('project-report'));
      if (batchItemFailures.length > 0) throw new Error('the projection worker reported the job as failed');
    },
    (job, error) => console.error(`projecting ${job.target.dealer} ${job.target.type} ${job.target.period} v${job.version} failed:`, (error as Error).message),
  );
  const ingest = ingestHandler({ ...actingAs('ingest'), projections });
  const importMaster = importMasterHandler(actingAs('import-master'));
  const recordLedger = ledgerIngestHandler(actingAs('ingest-ledger'));
  startScheduler(dataDir, actingAs);
  let queue: Promise<void> = Promise.resolve();
  stack.s3?.onEvent((event: S3EventPayload) => {
    const created = event.Records.filter((r) => r.eventName.startsWith('ObjectCreated') && r.s3.bucket.name === config.buckets.uploads);
    // As the S3 notifications' prefix filters do on AWS: master-data workbooks to their import,
    // ledger files to the ledger worker, reports to the ingest.
    const routes = [
      { name: 'import-master', handle: importMaster, takes: (key: string) => key.startsWith(MASTER_UPLOAD_PREFIX) },
      { name: 'ingest-ledger', handle: recordLedger, takes: (key: string) => key.startsWith(LEDGER_UPLOAD_PREFIX) },
      { name: 'ingest', handle: ingest, takes: () => true },
    ] as const;
    const routeOf = (r: (typeof created)[number]) => routes.find((route) => route.takes(decodeEventKey(r.s3.object.key))) ?? routes[2];
    for (const route of routes) {
      const records = created.filter((r) => routeOf(r) === route);
      if (records.length === 0) continue;
      // One upload at a time, like a Lambda with reserved concurrency 1; order is kept.
      queue = queue.then(async () => {
        try {
          await route.handle({ Records: records } as unknown as S3Event, lambdaContext(route.name));
        } catch (error) {
          console.error(`${route.name} failed:`, (error as Error).message);
        }
      });
    }
  });

  // The statistics queue's worker, run in this process on each request and not awaited, as
  // Lambda would take the message elsewhere; the API answers `preparing` meanwhile.
  const statistics = statisticsHandler(actingAs('statistics'));
  const statisticsJobs = inProcessStatisticsJobs(
    async (job) => {
      const event = { Records: [{ messageId: `local-${job.requested_at}`, body: JSON.stringify(job), eventSource: 'aws:sqs' }] };
      const { batchItemFailures } = await statistics(event as unknown as SQSEvent, lambdaContext('statistics'));
      if (batchItemFailures.length > 0) throw new Error('the statistics worker reported the request as failed');
    },
    (job, error) => console.error(`${describeJob(job)} failed:`, (error as Error).message),
  );
  // A month-end run started from the portal runs here as the schedule's does: as the per-dealer function.
  const reconciliationRuns = inProcessReconciliationRuns(actingAs('reconcile-dealer'), (error) => console.error('the month-end run failed:', (error as Error).message));
  const api = apiHandler({ ...actingAs('api'), statisticsJobs, reconciliationRuns });
  const portal = await startPortalServer({
    config,
    handler: (event) => api(event, lambdaContext('api')),
    files: await buildPortal(),
    port: Number(process.env.BACKOFFICE_PORTAL_PORT ?? 8780),
  });
  stopPortal = portal.stop;
  await announcePortal(dataDir, portal.url);

  console.log(`
The back office is running.
  DynamoDB (local):  ${config.endpoints.dynamodb}   table ${config.tableName}
  S3 (local):        ${config.endpoints.s3}   buckets ${Object.values(config.buckets).join(', ')}
  Portal and API:    ${portal.url}   sign in as ${DEMO_USERS.map((u) => u.dealer ?? u.id).join(', ')}
  Sign-in (OIDC):    ${portal.issuer}   (the local OpenID Connect provider; a token for scripts: npm run --silent cli -- auth token --user dealer-d001)
  Data directory:    ${dataDir}
  IAM check:         ${iamChecked ? 'on: each call is evaluated against its function\'s synthesized policy (--no-iam-check turns it off)' : 'off'}
  Blank templates:   ${templatesDir}
  Mail outbox:       ${config.mail.outboxDir}   (one .eml per message; open it in a mail client)

Upload a report through the S3 trigger (in another terminal):
  npm run --silent cli -- upload FILE.xlsx --type repair --dealer D001 --period 2026-10
or validate and store it directly:
  npm run --silent cli -- ingest FILE.xlsx --type repair --dealer D001 --period 2026-10 --report-out errors.xlsx

Monthly jobs run here on their schedule (reminders on the 4th, the reconciliation on day ${config.reconciliationDay},
${config.businessTimeZone}); run them now with \`npm run --silent cli -- reconcile --period YYYY-MM --as-of YYYY-MM-DD\`.

Press Ctrl-C to stop.`);
}

/**
 * The local stand-in for EventBridge Scheduler: once a minute, runs the jobs due on today's
 * business date (the reminders through their Lambda handler, the reconciliation in process),
 * at most once per month each, and the daily deadline notices once a day (remembered in the data directory, so a restart does not run
 * them again).
 */
function startScheduler(dataDir: string, actingAs: (fn: FunctionName) => BackOffice): void {
  const reconciling = actingAs('reconcile-dealer');
  const { config } = reconciling;
  const reminders = remindersHandler(actingAs('reminders'));
  const deadlines = deadlinesHandler(actingAs('deadlines'));
  const file = join(dataDir, 'scheduler.json');
  const tick = async () => {
    const done: Record<string, string> = existsSync(file) ? JSON.parse(await readFile(file, 'utf8')) : {};
    const due = jobsDueOn(businessDateOf(reconciling.clock.now(), config.businessTimeZone), config.reconciliationDay);
    if (due.reminders !== null && done.reminders !== due.reminders) {
      await reminders({ period: due.reminders }, lambdaContext('reminders'));
      done.reminders = due.reminders;
    }
    if (due.reconcile !== null && done.reconcile !== due.reconcile.period) {
      console.log(`Scheduled reconciliation of ${due.reconcile.period} as of ${due.reconcile.as_of} ...`);
      // In process, dealer by dealer: the AWS planner's per-dealer queue has no local stand-in.
      // As the dealer function, whose role holds the planner's grants too (master data, the run item).
      const result = await reconcilePeriod(reconciling, due.reconcile);
      console.log(`Reconciliation of ${due.reconcile.period}: ${result.run.status}, ${result.invoices.length} invoice(s)`);
      for (const failure of result.run.failed) console.error(`dealer ${failure.dealer} failed: ${failure.error}`);
      done.reconcile = due.reconcile.period;
    }
    const today = businessDateOf(reconciling.clock.now(), config.businessTimeZone);
    if (done.deadlines !== today) {
      await deadlines({ as_of: today }, lambdaContext('deadlines'));
      done.deadlines = today;
    }
    await writeFile(file, JSON.stringify(done, null, 2));
  };
  const run = () => void tick().catch((error: unknown) => console.error('scheduled job failed:', (error as Error).message));
  run();
  setInterval(run, 60_000).unref();
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(2);
});
