import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BackOfficeConfig } from '../config.js';
import type { ArchiveStore, BlobStore, Clock, InvoiceStore, LedgerStore, MasterStore, ReconciliationStore, ReportStore } from '../app/ports.js';
import { createDocumentClient, createS3Client } from './clients.js';
import { DynamoArchiveStore } from './dynamo-archive-store.js';
import { DynamoInvoiceStore } from './dynamo-invoice-store.js';
import { DynamoLedgerStore } from './dynamo-ledger-store.js';
import { DynamoReconciliationStore } from './dynamo-reconciliation-store.js';
import { DynamoMasterStore } from './dynamo-master-store.js';
import { DynamoReportStore } from './dynamo-report-store.js';
import { S3BlobStore } from './s3-blob-store.js';

export interface Adapters {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly archive: ArchiveStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  readonly reconciliations: ReconciliationStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The composition root: real DynamoDB and S3 adapters for a configuration, local or AWS. A
 * document client can be passed in so that tests and benchmarks can watch what is sent.
 */
export function createAdapters(config: BackOfficeConfig, dynamo: DynamoDBDocumentClient = createDocumentClient(config)): Adapters {
  return {
    reports: new DynamoReportStore(dynamo, config.tableName),
    master: new DynamoMasterStore(dynamo, config.tableName),
    archive: new DynamoArchiveStore(dynamo, config.tableName),
    ledger: new DynamoLedgerStore(dynamo, config.tableName),
    invoices: new DynamoInvoiceStore(dynamo, config.tableName),
    reconciliations: new DynamoReconciliationStore(dynamo, config.tableName),
    blobs: new S3BlobStore(createS3Client(config), config.buckets),
    clock: systemClock,
  };
}
