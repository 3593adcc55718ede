import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Context, S3Event } from 'aws-lambda';
import { createAdapters } from '../../shared/store/adapters.js';
import { writeAllTemplates } from '../../shared/sheets/template.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from './demo.js';
import { resolveDataDir, startLocalStack } from './stack.js';
import type { S3EventPayload } from './servers.js';

/**
 * `npm start`: the whole back office on this machine. DynamoDB Local and s3rver on loopback
 * with data in `.data/`, the same table and buckets as on AWS, demo master data the first
 * time, and the ingest Lambda handler run on every object put into the uploads bucket with
 * the S3 event AWS would send.
 */
async function main(): Promise<void> {
  const dataDir = resolveDataDir(process.argv.includes('--data-dir') ? process.argv[process.argv.indexOf('--data-dir') + 1] : undefined);
  console.log(`Starting the back office with data in ${dataDir} ...`);
  const stack = await startLocalStack(dataDir, { announce: true });
  const { config } = stack;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping DynamoDB Local and the S3 server ...`);
    await stack.stop();
    console.log('Stopped. Your data stays in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // The handler reads its configuration from the environment, exactly as in Lambda.
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: config.endpoints.dynamodb,
    S3_ENDPOINT: config.endpoints.s3,
    TABLE_NAME: config.tableName,
    UPLOADS_BUCKET: config.buckets.uploads,
    REPORTS_BUCKET: config.buckets.reports,
    INVOICES_BUCKET: config.buckets.invoices,
  });
  const adapters = createAdapters(config);
  const master = await adapters.master.load();
  if (master.dealers.size === 0) {
    await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
    console.log(`Loaded demo master data: dealers ${DEMO_DEALERS.map((d) => d.dealer_code).join(', ')}; products ${DEMO_PRODUCTS.map((p) => p.product_model).join(', ')}.`);
  }
  const templatesDir = join(dataDir, 'templates');
  await writeAllTemplates(templatesDir);

  const { handler } = await import('../../functions/ingest.js');
  let queue: Promise<void> = Promise.resolve();
  stack.s3?.onEvent((event: S3EventPayload) => {
    const uploads = event.Records.filter((r) => r.eventName.startsWith('ObjectCreated') && r.s3.bucket.name === config.buckets.uploads);
    if (uploads.length === 0) return;
    // One upload at a time, like a Lambda with reserved concurrency 1; order is kept.
    queue = queue.then(async () => {
      const context = { functionName: 'ingest', awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 900_000 } as unknown as Context;
      try {
        await handler(event as unknown as S3Event, context);
      } catch (error) {
        console.error('ingest failed:', (error as Error).message);
      }
    });
  });

  console.log(`
The back office is running.
  DynamoDB (local):  ${config.endpoints.dynamodb}   table ${config.tableName}
  S3 (local):        ${config.endpoints.s3}   buckets ${Object.values(config.buckets).join(', ')}
  Data directory:    ${dataDir}
  Blank templates:   ${templatesDir}

Upload a report through the S3 trigger (in another terminal):
  npm run --silent cli -- upload FILE.xlsx --type repair --dealer D001 --period 2026-10
or validate and store it directly:
  npm run --silent cli -- ingest FILE.xlsx --type repair --dealer D001 --period 2026-10 --report-out errors.xlsx

Press Ctrl-C to stop.`);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(2);
});
