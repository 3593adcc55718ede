import { describeArchiveStoreContract } from '../contract/archive-store.contract.js';
import { describeBlobStoreContract, describeObjectLinksContract } from '../contract/blob-store.contract.js';
import { describeInvoiceStoreContract } from '../contract/invoice-store.contract.js';
import { describeJournalStoreContract } from '../contract/journal-store.contract.js';
import { DynamoJournalStore } from '../../shared/store/dynamo-journal-store.js';
import { describeLedgerStoreContract } from '../contract/ledger-store.contract.js';
import { describeMasterStoreContract } from '../contract/master-store.contract.js';
import { describeReconciliationStoreContract } from '../contract/reconciliation-store.contract.js';
import { describeReportStoreContract } from '../contract/report-store.contract.js';
import { describeUploadTicketStoreContract } from '../contract/upload-ticket-store.contract.js';
import { describeLedgerUploadStoreContract } from '../contract/ledger-upload-store.contract.js';
import { describeComplaintStoreContract } from '../contract/complaint-store.contract.js';
import { DynamoComplaintStore } from '../../shared/store/dynamo-complaint-store.js';
import { describeVerificationStoreContract } from '../contract/verification-store.contract.js';
import { DynamoVerificationStore } from '../../shared/store/dynamo-verification-store.js';
import { describeDisputeStoreContract } from '../contract/dispute-store.contract.js';
import { DynamoDisputeStore } from '../../shared/store/dynamo-dispute-store.js';
import { describeUnboxingStoreContract } from '../contract/unboxing-store.contract.js';
import { DynamoUnboxingStore } from '../../shared/store/dynamo-unboxing-store.js';
import { describeDesignHazardStoreContract } from '../contract/hazard-store.contract.js';
import { DynamoDesignHazardStore } from '../../shared/store/dynamo-hazard-store.js';
import { describeRequestStoreContract } from '../contract/request-store.contract.js';
import { DynamoRequestStore } from '../../shared/store/dynamo-request-store.js';
import { describeMessageStoreContract } from '../contract/message-store.contract.js';
import { DynamoMessageStore } from '../../shared/store/dynamo-message-store.js';
import { describeScoreStoreContract } from '../contract/score-store.contract.js';
import { DynamoScoreStore } from '../../shared/store/dynamo-score-store.js';
import { createDocumentClient, createS3Client } from '../../shared/compose.js';
import { DynamoArchiveStore } from '../../shared/store/dynamo-archive-store.js';
import { DynamoInvoiceStore } from '../../shared/store/dynamo-invoice-store.js';
import { DynamoLedgerStore } from '../../shared/store/dynamo-ledger-store.js';
import { DynamoLedgerUploadStore } from '../../shared/store/dynamo-ledger-upload-store.js';
import { DynamoMasterStore } from '../../shared/store/dynamo-master-store.js';
import { DynamoReconciliationStore } from '../../shared/store/dynamo-reconciliation-store.js';
import { DynamoReportStore } from '../../shared/store/dynamo-report-store.js';
import { DynamoUploadTicketStore } from '../../shared/store/dynamo-upload-ticket-store.js';
import { S3BlobStore } from '../../shared/store/s3-blob-store.js';
import { S3ObjectLinks } from '../../shared/store/s3-links.js';
import { freshStack } from '../helpers/local-stack.js';

/** A store of the given class on a table of its own. */
const onFreshTable =
  <S>(Store: new (client: ReturnType<typeof createDocumentClient>, table: string) => S) =>
  async (): Promise<S> => {
    const config = await freshStack();
    return new Store(createDocumentClient(config), config.tableName);
  };

// The same contracts run against the in-memory ports in test/unit/contract/memory-stores.test.ts.
describeReportStoreContract('DynamoReportStore', onFreshTable(DynamoReportStore));
describeArchiveStoreContract('DynamoArchiveStore', onFreshTable(DynamoArchiveStore));
describeMasterStoreContract('DynamoMasterStore', onFreshTable(DynamoMasterStore));
describeLedgerStoreContract('DynamoLedgerStore', onFreshTable(DynamoLedgerStore));
describeInvoiceStoreContract('DynamoInvoiceStore', onFreshTable(DynamoInvoiceStore));
describeJournalStoreContract('DynamoJournalStore', onFreshTable(DynamoJournalStore));
describeReconciliationStoreContract('DynamoReconciliationStore', onFreshTable(DynamoReconciliationStore));
describeUploadTicketStoreContract('DynamoUploadTicketStore', onFreshTable(DynamoUploadTicketStore));
describeLedgerUploadStoreContract('DynamoLedgerUploadStore', onFreshTable(DynamoLedgerUploadStore));
describeBlobStoreContract('S3BlobStore', async () => {
  const config = await freshStack();
  return new S3BlobStore(createS3Client(config), config.buckets);
});
describeObjectLinksContract('S3ObjectLinks', async () => {
  const config = await freshStack();
  const s3 = createS3Client(config);
  return { links: new S3ObjectLinks(s3, config.buckets), blobs: new S3BlobStore(s3, config.buckets) };
});
describeComplaintStoreContract('DynamoComplaintStore', onFreshTable(DynamoComplaintStore));
describeVerificationStoreContract('DynamoVerificationStore', onFreshTable(DynamoVerificationStore));
describeDisputeStoreContract('DynamoDisputeStore', onFreshTable(DynamoDisputeStore));
describeUnboxingStoreContract('DynamoUnboxingStore', onFreshTable(DynamoUnboxingStore));
describeDesignHazardStoreContract('DynamoDesignHazardStore', onFreshTable(DynamoDesignHazardStore));
describeRequestStoreContract('DynamoRequestStore', onFreshTable(DynamoRequestStore));
describeMessageStoreContract('DynamoMessageStore', onFreshTable(DynamoMessageStore));
describeScoreStoreContract('DynamoScoreStore', onFreshTable(DynamoScoreStore));
