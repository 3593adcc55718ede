import { describeArchiveStoreContract } from '../../contract/archive-store.contract.js';
import { describeBlobStoreContract, describeObjectLinksContract } from '../../contract/blob-store.contract.js';
import { describeInvoiceStoreContract } from '../../contract/invoice-store.contract.js';
import { describeJournalStoreContract } from '../../contract/journal-store.contract.js';
import { MemoryJournalStore } from '../../helpers/memory/journal-store.js';
import { describeLedgerStoreContract } from '../../contract/ledger-store.contract.js';
import { describeLedgerUploadStoreContract } from '../../contract/ledger-upload-store.contract.js';
import { describeMasterStoreContract } from '../../contract/master-store.contract.js';
import { describeReconciliationStoreContract } from '../../contract/reconciliation-store.contract.js';
import { describeReportStoreContract } from '../../contract/report-store.contract.js';
import { describeUploadTicketStoreContract } from '../../contract/upload-ticket-store.contract.js';
import { describeComplaintStoreContract } from '../../contract/complaint-store.contract.js';
import { describeRequestStoreContract } from '../../contract/request-store.contract.js';
import { MemoryRequestStore } from '../../helpers/memory/request-store.js';
import { describeMessageStoreContract } from '../../contract/message-store.contract.js';
import { MemoryMessageStore } from '../../helpers/memory/message-store.js';
import { describeVerificationStoreContract } from '../../contract/verification-store.contract.js';
import { MemoryVerificationStore } from '../../helpers/memory/verification-store.js';
import { describeDisputeStoreContract } from '../../contract/dispute-store.contract.js';
import { MemoryDisputeStore } from '../../helpers/memory/dispute-store.js';
import { describeUnboxingStoreContract } from '../../contract/unboxing-store.contract.js';
import { MemoryUnboxingStore } from '../../helpers/memory/unboxing-store.js';
import { describeDesignHazardStoreContract } from '../../contract/hazard-store.contract.js';
import { MemoryDesignHazardStore } from '../../helpers/memory/hazard-store.js';
import { describeScoreStoreContract } from '../../contract/score-store.contract.js';
import { MemoryScoreStore } from '../../helpers/memory/score-store.js';
import {
  MemoryArchiveStore,
  MemoryBlobStore,
  MemoryComplaintStore,
  MemoryInvoiceStore,
  MemoryLedgerStore,
  MemoryLedgerUploadStore,
  MemoryMasterStore,
  MemoryObjectLinks,
  MemoryReconciliationStore,
  MemoryReportStore,
  MemoryUploadTicketStore,
} from '../../helpers/memory/index.js';

// The same contracts run against DynamoDB Local and s3rver in test/integration/store-contracts.int.test.ts.
describeReportStoreContract('MemoryReportStore', async () => new MemoryReportStore());
describeArchiveStoreContract('MemoryArchiveStore', async () => new MemoryArchiveStore());
describeMasterStoreContract('MemoryMasterStore', async () => new MemoryMasterStore());
describeLedgerStoreContract('MemoryLedgerStore', async () => new MemoryLedgerStore());
describeInvoiceStoreContract('MemoryInvoiceStore', async () => new MemoryInvoiceStore());
describeJournalStoreContract('MemoryJournalStore', async () => new MemoryJournalStore());
describeReconciliationStoreContract('MemoryReconciliationStore', async () => new MemoryReconciliationStore());
describeUploadTicketStoreContract('MemoryUploadTicketStore', async () => new MemoryUploadTicketStore());
describeLedgerUploadStoreContract('MemoryLedgerUploadStore', async () => new MemoryLedgerUploadStore());
describeBlobStoreContract('MemoryBlobStore', async () => new MemoryBlobStore());
describeObjectLinksContract('MemoryObjectLinks', async () => {
  const blobs = new MemoryBlobStore();
  return { links: new MemoryObjectLinks(blobs), blobs };
});
describeComplaintStoreContract('MemoryComplaintStore', async () => new MemoryComplaintStore());
describeRequestStoreContract('MemoryRequestStore', async () => new MemoryRequestStore());
describeMessageStoreContract('MemoryMessageStore', async () => new MemoryMessageStore());
describeVerificationStoreContract('MemoryVerificationStore', async () => new MemoryVerificationStore());
describeDisputeStoreContract('MemoryDisputeStore', async () => new MemoryDisputeStore());
describeUnboxingStoreContract('MemoryUnboxingStore', async () => new MemoryUnboxingStore());
describeDesignHazardStoreContract('MemoryDesignHazardStore', async () => new MemoryDesignHazardStore());
describeScoreStoreContract('MemoryScoreStore', async () => new MemoryScoreStore());
