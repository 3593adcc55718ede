import type { BackOfficeConfig } from '../../config.js';
import type { Invoice } from '../../domain/invoice.js';
import type { ArchiveStore, BlobStore, Clock, InvoiceStore, JournalStore, LedgerStore, MasterStore, Notices, RequestStore } from '../ports.js';
import type { ErrorWorkbookWriter } from '../upload-pipeline.js';
import type { IssueSlip } from '../../domain/request-slip.js';

/** Writes the issue slip (领料单/发货单) workbook; exceljs stays at the edge. */
export type IssueSlipWriter = (slip: IssueSlip) => Promise<Uint8Array>;

/** What the material-request use cases take. */
export interface RequestDeps {
  readonly requests: RequestStore;
  readonly master: MasterStore;
  readonly archive: ArchiveStore;
  readonly invoices: InvoiceStore;
  /** Whether a sale form is paid is read from the dealer's receivables journal. */
  readonly journal: JournalStore;
  readonly ledger: LedgerStore;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'maxUploadBytes' | 'maxUploadRows' | 'returnWindowDays'>;
  readonly errorWorkbook: ErrorWorkbookWriter;
  readonly renderInvoice: (invoice: Invoice, options: { readonly partUnits: ReadonlyMap<string, string> }) => Promise<Uint8Array>;
  readonly renderIssueSlip: IssueSlipWriter;
  /** Tells the dealer of a line decided and of parts shipped. */
  readonly notices?: Notices;
}
