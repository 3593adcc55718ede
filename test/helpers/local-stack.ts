import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type BackOfficeConfig } from '../../shared/config.js';
import { createDocumentClient, createS3Client } from '../../shared/compose.js';
import { ensureBuckets, ensureTable } from '../../infra/local/provision.js';

/**
 * A fresh table and fresh buckets on the shared local servers, named for one test file so
 * that files running in parallel never see each other's data.
 */
export async function freshStack(overrides: Record<string, string> = {}): Promise<BackOfficeConfig> {
  const id = randomUUID().slice(0, 8);
  const config = loadConfig({
    TABLE_NAME: `t-${id}`,
    UPLOADS_BUCKET: `uploads-${id}`,
    REPORTS_BUCKET: `reports-${id}`,
    INVOICES_BUCKET: `invoices-${id}`,
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    S3_ENDPOINT: inject('s3Endpoint'),
    // Mail of the tests goes to an outbox of their own, never into the working directory's .data/.
    OUTBOX_DIR: join(tmpdir(), `backoffice-outbox-${id}`),
    ...overrides,
  });
  const dynamo = createDocumentClient(config);
  await ensureTable(dynamo, config.tableName);
  await ensureBuckets(createS3Client(config), Object.values(config.buckets));
  return config;
}
