import type { ArchiveStore, BlobStore, Clock, ComplaintStore, InvoiceStore, JournalStore, LedgerStore, LedgerUploadStore, MasterStore, ReconciliationStore, ReportStore, RequestStore, UploadTicketStore, VerificationStore, ScoreStore, DisputeStore, UnboxingStore, DesignHazardStore } from '../../../shared/app/ports.js';
import { writeErrorReport } from '../../../shared/sheets/error-report.js';
import { writeInvoiceWorkbook } from '../../../shared/sheets/invoice-workbook.js';
import { writeReconciliationWorkbook } from '../../../shared/sheets/reconciliation-workbook.js';
import { writeStatisticsWorkbook } from '../../../shared/sheets/statistics-workbook.js';
import { writeTemplate } from '../../../shared/sheets/template.js';
import { writeIssueSlipWorkbook } from '../../../shared/sheets/issue-slip-workbook.js';
import { writeConsolidatedWorkbook } from '../../../shared/sheets/consolidated-workbook.js';
import { LIST_WORKBOOKS } from '../../../shared/sheets/list-workbooks.js';
import { writeFormListWorkbook } from '../../../shared/sheets/form-list-workbook.js';
import { MemoryArchiveStore } from './archive-store.js';
import { MemoryBlobStore } from './blob-store.js';
import { fixedClock } from './clock.js';
import { MemoryInvoiceStore } from './invoice-store.js';
import { MemoryJournalStore } from './journal-store.js';
import { MemoryLedgerStore } from './ledger-store.js';
import { MemoryLedgerUploadStore } from './ledger-upload-store.js';
import { MemoryMasterStore } from './master-store.js';
import { MemoryObjectLinks } from './object-links.js';
import { MemoryReconciliationStore } from './reconciliation-store.js';
import { MemoryReportStore } from './report-store.js';
import { MemoryStatisticsJobs } from './statistics-jobs.js';
import { MemoryUploadTicketStore } from './upload-ticket-store.js';
import { MemoryComplaintStore } from './complaint-store.js';
import { MemoryRequestStore } from './request-store.js';
import { MemoryMessageStore } from './message-store.js';
import { MemoryMailer } from './mailer.js';
import { MemoryVerificationStore } from './verification-store.js';
import { MemoryDisputeStore } from './dispute-store.js';
import { MemoryUnboxingStore } from './unboxing-store.js';
import { MemoryDesignHazardStore } from './hazard-store.js';
import { MemoryScoreStore } from './score-store.js';
import { writeDealerArchiveWorkbook } from '../../../shared/sheets/dealer-archive-workbook.js';

export { MemoryArchiveStore, MemoryBlobStore, MemoryInvoiceStore, MemoryLedgerStore, MemoryLedgerUploadStore, MemoryMasterStore, MemoryObjectLinks, MemoryReconciliationStore, MemoryReportStore, MemoryStatisticsJobs, MemoryUploadTicketStore, fixedClock };
export { memoryDealerQueue } from './dealer-queue.js';
export { MemoryJournalStore };
export { MemoryScoreStore };
export { MemoryComplaintStore, MemoryRequestStore, MemoryMessageStore, MemoryMailer, MemoryVerificationStore, MemoryDisputeStore, MemoryUnboxingStore, MemoryDesignHazardStore };

/** Every port in memory, fresh and empty, with a clock fixed at `now`: what a use case takes, without Java or s3rver. */
export function memoryAdapters(now: Date | string = '2026-11-02T00:00:00.000Z') {
  const blobs = new MemoryBlobStore();
  const invoices = new MemoryInvoiceStore();
  return {
    reports: new MemoryReportStore() as ReportStore,
    master: new MemoryMasterStore() as MasterStore,
    archive: new MemoryArchiveStore() as ArchiveStore,
    ledger: new MemoryLedgerStore((dealer) => invoices.moveCharges(dealer)) as LedgerStore,
    invoices: invoices as InvoiceStore,
    journal: new MemoryJournalStore() as JournalStore,
    reconciliations: new MemoryReconciliationStore() as ReconciliationStore,
    tickets: new MemoryUploadTicketStore() as UploadTicketStore,
    ledgerUploads: new MemoryLedgerUploadStore() as LedgerUploadStore,
    blobs: blobs as BlobStore,
    links: new MemoryObjectLinks(blobs),
    clock: fixedClock(now) as Clock & { set(to: Date | string): void },
    errorWorkbook: writeErrorReport,
    renderInvoice: writeInvoiceWorkbook,
    renderStatistics: writeStatisticsWorkbook,
    renderReconciliation: writeReconciliationWorkbook,
    renderTemplate: writeTemplate,
    renderConsolidated: writeConsolidatedWorkbook,
    renderFormList: writeFormListWorkbook,
    listWorkbooks: LIST_WORKBOOKS,
    statisticsJobs: new MemoryStatisticsJobs(),
    complaints: new MemoryComplaintStore() as ComplaintStore,
    verification: new MemoryVerificationStore() as VerificationStore,
    scores: new MemoryScoreStore() as ScoreStore,
    disputes: new MemoryDisputeStore() as DisputeStore,
    unboxing: new MemoryUnboxingStore() as UnboxingStore,
    hazards: new MemoryDesignHazardStore() as DesignHazardStore,
    renderDealerArchive: writeDealerArchiveWorkbook,
    requests: new MemoryRequestStore() as RequestStore,
    renderIssueSlip: writeIssueSlipWorkbook,
    messages: new MemoryMessageStore(),
    mailer: new MemoryMailer(),
  };
}
