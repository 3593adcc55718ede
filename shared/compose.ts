import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { loadConfig, type BackOfficeConfig } from './config.js';
import type { ArchiveStore, BlobStore, Clock, ComplaintStore, InvoiceStore, JournalStore, LedgerStore, LedgerUploadStore, Mailer, MasterStore, MessageStore, Notices, ProjectionJobs, ReconciliationStore, ReportStore, RequestStore, ScoreStore, StatisticsJobs, UploadTicketStore, VerificationStore, DisputeStore, UnboxingStore, DesignHazardStore } from './app/ports.js';
import { systemClock } from './app/ports.js';
import type { ObjectLinks } from './app/links.js';
import type { SendDealerMessages } from './app/reconcile-messages.js';
import type { ReconcileDeps } from './app/reconcile.js';
import type { ErrorWorkbookWriter } from './app/upload-pipeline.js';
import { writeErrorReport } from './sheets/error-report.js';
import { writeInvoiceWorkbook } from './sheets/invoice-workbook.js';
import { writeReconciliationWorkbook } from './sheets/reconciliation-workbook.js';
import { writeStatisticsWorkbook } from './sheets/statistics-workbook.js';
import { writeTemplate } from './sheets/template.js';
import type { ReconciliationWorkbookDeps } from './app/reconciliation-downloads.js';
import { describeJob, runWorkerJob, type StatisticsWorkbookDeps } from './app/statistics-downloads.js';
import type { TemplateDeps } from './app/templates.js';
import { DynamoArchiveStore } from './store/dynamo-archive-store.js';
import { DynamoInvoiceStore } from './store/dynamo-invoice-store.js';
import { DynamoJournalStore } from './store/dynamo-journal-store.js';
import { DynamoLedgerStore } from './store/dynamo-ledger-store.js';
import { DynamoLedgerUploadStore } from './store/dynamo-ledger-upload-store.js';
import { DynamoMasterStore } from './store/dynamo-master-store.js';
import { DynamoReconciliationStore } from './store/dynamo-reconciliation-store.js';
import { DynamoReportStore } from './store/dynamo-report-store.js';
import { DynamoUploadTicketStore } from './store/dynamo-upload-ticket-store.js';
import { S3BlobStore } from './store/s3-blob-store.js';
import { DynamoComplaintStore } from './store/dynamo-complaint-store.js';
import { DynamoVerificationStore } from './store/dynamo-verification-store.js';
import { DynamoDisputeStore } from './store/dynamo-dispute-store.js';
import { DynamoUnboxingStore } from './store/dynamo-unboxing-store.js';
import { DynamoDesignHazardStore } from './store/dynamo-hazard-store.js';
import { DynamoScoreStore } from './store/dynamo-score-store.js';
import { writeDealerArchiveWorkbook } from './sheets/dealer-archive-workbook.js';
import type { DealerArchiveDeps } from './app/quality/dealer-archive.js';
import { S3ObjectLinks } from './store/s3-links.js';
import { sqsDealerQueue } from './store/sqs-dealer-queue.js';
import { inProcessStatisticsJobs, sqsStatisticsJobs } from './store/statistics-jobs.js';
import { sqsProjectionJobs } from './store/projection-jobs.js';
import { DynamoRequestStore } from './store/dynamo-request-store.js';
import { writeIssueSlipWorkbook } from './sheets/issue-slip-workbook.js';
import type { IssueSlipWriter } from './app/requests/deps.js';
import { DynamoMessageStore } from './store/dynamo-message-store.js';
import { OutboxMailer } from './store/outbox-mailer.js';
import { SesMailer } from './store/ses-mailer.js';
import { tell } from './app/notices/tell.js';
import type { ConsolidatedDeps } from './app/finance/consolidated.js';
import { writeConsolidatedWorkbook } from './sheets/consolidated-workbook.js';
import { LIST_WORKBOOKS } from './sheets/list-workbooks.js';
import type { ListExports } from './app/list-exports.js';
import { writeFormListWorkbook } from './sheets/form-list-workbook.js';
import type { FormRow } from './app/finance/form-list.js';
import { inProcessReconciliationRuns, queuedReconciliationRuns, type ReconciliationRuns } from './app/reconciliation-runs.js';
import { SmtpMailer, smtpTransport } from './store/smtp-mailer.js';

/**
 * The composition root: the only place that builds SDK clients and the real adapters over
 * them, from a configuration, for the Lambda functions, the local runtime, the CLI, the
 * benchmarks and the tests alike. Only endpoints and names differ between them.
 */

/** The stores and the clock every use case's ports are cut from. */
export interface Adapters {
  readonly reports: ReportStore;
  readonly master: MasterStore;
  readonly archive: ArchiveStore;
  readonly ledger: LedgerStore;
  readonly invoices: InvoiceStore;
  /** Each dealer's receivables journal: every form's money and the dealer's balance are read from it. */
  readonly journal: JournalStore;
  readonly reconciliations: ReconciliationStore;
  /** The report upload forms handed out, which the ingest checks each upload against. */
  readonly tickets: UploadTicketStore;
  /** What became of each shipments or returns upload, as the ledger worker records it. */
  readonly ledgerUploads: LedgerUploadStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  /** The workbook writers the use cases are given (exceljs, in shared/sheets). */
  readonly errorWorkbook: ErrorWorkbookWriter;
  readonly renderInvoice: ReconcileDeps['renderInvoice'];
  readonly renderStatistics: StatisticsWorkbookDeps['renderStatistics'];
  readonly renderReconciliation: ReconciliationWorkbookDeps['renderReconciliation'];
  readonly renderTemplate: TemplateDeps['renderTemplate'];
  /** The complaints the after-sales department recorded. */
  readonly complaints: ComplaintStore;
  /** The maker's own calls about sampled repairs. */
  readonly verification: VerificationStore;
  /** Each dealer's month score, listed worst first per month. */
  readonly scores: ScoreStore;
  /** Disputed form lines and the manager's decisions. */
  readonly disputes: DisputeStore;
  /** What the department did with the unboxing cases. */
  readonly unboxing: UnboxingStore;
  /** Repairs marked design hazards (设计隐患). */
  readonly hazards: DesignHazardStore;
  readonly renderDealerArchive: DealerArchiveDeps['renderDealerArchive'];
  /** Material requests and their decisions. */
  readonly requests: RequestStore;
  /** Writes the issue slip (领料单/发货单) of a request's shipment. */
  readonly renderIssueSlip: IssueSlipWriter;
  /** Each recipient's messages (the portal's list). */
  readonly messages: MessageStore;
  readonly renderConsolidated: ConsolidatedDeps['renderConsolidated'];
  /** Writes finance's list of fee forms as filtered in the portal. */
  readonly renderFormList: (rows: readonly FormRow[]) => Promise<Uint8Array>;
  /** Writes the portal's other lists as workbooks (balances, complaints, scorecards, unboxing, sample, returns). */
  readonly listWorkbooks: ListExports;
}

/** Everything a handler may be given: the adapters, presigned links, the dealer queue and the configuration. */
export interface BackOffice extends Adapters {
  readonly config: BackOfficeConfig;
  readonly links: ObjectLinks;
  /** The per-dealer reconciliation queue; absent where the configuration names none (every function but the planner, and locally). */
  readonly dealerQueue?: SendDealerMessages;
  /** Where an accepted report's projections go: the projection queue where one is configured; else the ingest builds them after its verdict. */
  readonly projections?: ProjectionJobs;
  /** Where a month's statistics are asked for: the statistics queue where one is configured, else this process. */
  readonly statisticsJobs: StatisticsJobs;
  /** Where a month-end run is started on request: the reconciliation queue where one is configured, else this process. */
  readonly reconciliationRuns: ReconciliationRuns;
  /** SES where a sender identity is configured; else the outbox directory, one .eml per message. */
  readonly mailer: Mailer;
  /** Telling people of an event: kept in their portal list, then mailed. */
  readonly notices: Notices;
}

/** Clients to use instead of the ones built from the configuration: tests and benchmarks wrap them to count commands or inject faults. */
export interface Clients {
  readonly dynamo?: DynamoDBDocumentClient;
  readonly s3?: S3Client;
  readonly sqs?: SQSClient;
}

/**
 * A DynamoDB document client for the configured endpoint. On AWS no endpoint is set and the
 * SDK uses the function's role; DynamoDB Local accepts any fixed credentials.
 */
export function createDocumentClient(config: BackOfficeConfig): DynamoDBDocumentClient {
  const local = config.endpoints.dynamodb;
  const client = new DynamoDBClient({
    region: config.region,
    ...(local === undefined
      ? {}
      : { endpoint: local, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    maxAttempts: 8,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

/** An S3 client for the configured endpoint; s3rver insists on the credentials S3RVER/S3RVER. */
export function createS3Client(config: BackOfficeConfig): S3Client {
  const local = config.endpoints.s3;
  return new S3Client({
    region: config.region,
    ...(local === undefined
      ? {}
      : {
          endpoint: local,
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        }),
    // Streamed bodies would otherwise be stored by s3rver with aws-chunked framing inside.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** The DynamoDB and S3 adapters for a configuration, local or AWS, over the given clients or new ones. */
export function createAdapters(config: BackOfficeConfig, dynamo = createDocumentClient(config), s3 = createS3Client(config)): Adapters {
  return {
    reports: new DynamoReportStore(dynamo, config.tableName, config.supersededVersionTtlDays),
    master: new DynamoMasterStore(dynamo, config.tableName),
    archive: new DynamoArchiveStore(dynamo, config.tableName),
    ledger: new DynamoLedgerStore(dynamo, config.tableName),
    invoices: new DynamoInvoiceStore(dynamo, config.tableName),
    journal: new DynamoJournalStore(dynamo, config.tableName),
    reconciliations: new DynamoReconciliationStore(dynamo, config.tableName),
    tickets: new DynamoUploadTicketStore(dynamo, config.tableName),
    ledgerUploads: new DynamoLedgerUploadStore(dynamo, config.tableName),
    blobs: new S3BlobStore(s3, config.buckets),
    clock: systemClock,
    errorWorkbook: writeErrorReport,
    renderInvoice: writeInvoiceWorkbook,
    renderStatistics: writeStatisticsWorkbook,
    renderReconciliation: writeReconciliationWorkbook,
    renderTemplate: writeTemplate,
    complaints: new DynamoComplaintStore(dynamo, config.tableName),
    verification: new DynamoVerificationStore(dynamo, config.tableName),
    scores: new DynamoScoreStore(dynamo, config.tableName),
    disputes: new DynamoDisputeStore(dynamo, config.tableName),
    unboxing: new DynamoUnboxingStore(dynamo, config.tableName),
    hazards: new DynamoDesignHazardStore(dynamo, config.tableName),
    renderDealerArchive: writeDealerArchiveWorkbook,
    requests: new DynamoRequestStore(dynamo, config.tableName),
    renderIssueSlip: writeIssueSlipWorkbook,
    messages: new DynamoMessageStore(dynamo, config.tableName),
    renderConsolidated: writeConsolidatedWorkbook,
    renderFormList: writeFormListWorkbook,
    listWorkbooks: LIST_WORKBOOKS,
  };
}

/** The whole back office for a configuration: what every handler factory in functions/ takes. */
export function createBackOffice(config: BackOfficeConfig, clients: Clients = {}): BackOffice {
  const s3 = clients.s3 ?? createS3Client(config);
  const queueUrl = config.reconcileQueueUrl;
  const sqs = () => clients.sqs ?? new SQSClient({ region: config.region });
  const adapters = createAdapters(config, clients.dynamo, s3);
  const mailer = createMailer(config);
  const dealerQueue = queueUrl === undefined ? undefined : sqsDealerQueue(queueUrl, sqs());
  const notices: Notices = { tell: (event) => tell({ ...adapters, mailer, config }, event) };
  return {
    ...adapters,
    config,
    links: new S3ObjectLinks(s3, config.buckets),
    ...(dealerQueue === undefined ? {} : { dealerQueue }),
    reconciliationRuns:
      dealerQueue === undefined
        ? inProcessReconciliationRuns({ ...adapters, config, notices }, (error) => console.error(`the month-end run failed: ${(error as Error).message}`))
        : queuedReconciliationRuns(adapters, dealerQueue),
    ...(config.projectionQueueUrl === undefined ? {} : { projections: sqsProjectionJobs(config.projectionQueueUrl, sqs()) }),
    statisticsJobs:
      config.statisticsQueueUrl === undefined
        ? inProcessStatisticsJobs(
            (job) => runWorkerJob({ ...adapters, config }, job),
            (job, error) => console.error(`${describeJob(job)} failed: ${(error as Error).message}`),
          )
        : sqsStatisticsJobs(config.statisticsQueueUrl, sqs()),
    mailer,
    notices,
  };
}

/**
 * The mailer a configuration names: the SMTP relay of its secret; else SES from its sender
 * identity, through its configuration set; the local outbox when no sender is set.
 */
export function createMailer(config: BackOfficeConfig): Mailer {
  const { from, configurationSet, smtpSecretArn, outboxDir } = config.mail;
  if (from === undefined) return new OutboxMailer(outboxDir);
  if (smtpSecretArn !== undefined) {
    return new SmtpMailer(
      () =>
        smtpTransport(async () => {
          const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
          const secret = await new SecretsManagerClient({ region: config.region }).send(new GetSecretValueCommand({ SecretId: smtpSecretArn }));
          if (secret.SecretString === undefined) throw new Error('the SMTP secret has no string value');
          return secret.SecretString;
        }),
      from,
    );
  }
  return new SesMailer(new SESv2Client({ region: config.region }), { from, ...(configurationSet === undefined ? {} : { configurationSet }) });
}

let composed: BackOffice | undefined;

/** The back office of this process, from the environment's configuration, built on first use and kept. */
export function compose(): BackOffice {
  composed ??= createBackOffice(loadConfig());
  return composed;
}
