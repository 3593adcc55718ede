/**
 * Every key of the single table, named once: the DynamoDB stores build their keys here, and
 * the CDK constructs build their IAM `dynamodb:LeadingKeys` conditions from the same names,
 * so a store cannot move its items out of the reach its function was granted without the
 * grant following. Pure: the CDK app and tests import it without loading the AWS SDK.
 */
import type { ReportType } from '../domain/fields.js';
import type { LedgerType } from '../domain/ledger-validation.js';

/** Partitions that hold one kind of item each, with a fixed key. */
export const PARTITION = {
  /** Dealers, products and the price list. */
  master: 'MASTER',
  /** The per-period invoice number counters. */
  invoiceCounter: 'COUNTER',
  /** Reconciliation runs and their per-dealer markers. */
  reconciliationRuns: 'RUN#RECON',
} as const;

/** Prefixes of partition keys that end in an id. */
export const PK_PREFIX = {
  /** A dealer's report pointers and versions, invoices, charge state and reconciliations. */
  dealer: 'DEALER#',
  submission: 'SUBMISSION#',
  shipment: 'SHIPMENT#',
  return: 'RETURN#',
  /** The end-user archive of a product model. */
  product: 'PRODUCT#',
  /** An upload form handed out, by the object key it names. */
  uploadTicket: 'TICKET#',
  /** The outcome of a shipments or returns upload, by the object key it was uploaded under. */
  ledgerUpload: 'LEDGERUPLOAD#',
  /** One unit's history in the end-user archive: `UNIT#<model>#<serial>`. */
  unit: 'UNIT#',
  /** The end-user archive's lookup terms: `LOOKUP#PHONE#<normalised phone>` and so on. */
  lookup: 'LOOKUP#',
  /** A customer complaint, by its id. */
  complaint: 'COMPLAINT#',
} as const;

/** An IAM `dynamodb:LeadingKeys` pattern that matches every partition key starting with `prefix`. */
export const everyPartitionOf = (prefix: string): string => `${prefix}*`;

const padded = (n: number, width: number): string => String(n).padStart(width, '0');

export const dealerPk = (dealer: string): string => `${PK_PREFIX.dealer}${dealer}`;

/** Report pointers and versions: `DEALER#D001` / `REPORT#repair#2026-10[#V000002]`. */
export const reportKeys = {
  pointerSk: (type: ReportType, period: string): string => `REPORT#${type}#${period}`,
  /** Begins every pointer of a dealer's reports of one type. */
  pointerPrefix: (type: ReportType): string => `REPORT#${type}#`,
  versionSk: (type: ReportType, period: string, version: number): string => `REPORT#${type}#${period}#V${padded(version, 6)}`,
  /** Begins every version item of one report. */
  versionPrefix: (type: ReportType, period: string): string => `REPORT#${type}#${period}#V`,
  /** A version's own partition, holding its rows: `DEALER#D001#REPORT#repair#2026-10#V000002`. */
  versionPk: (dealer: string, type: ReportType, period: string, version: number): string =>
    `${dealerPk(dealer)}#${reportKeys.versionSk(type, period, version)}`,
  periodGsi1pk: (period: string): string => `PERIOD#${period}`,
  pointerGsi1sk: (type: ReportType, dealer: string): string => `REPORT#${type}#${dealer}`,
  /**
   * A pack of a version's rows (shared/store/packed-rows.ts) under its version's partition, by the
   * sheet row it begins with: packs read back in row order, and a resumed upload that writes the
   * same rows again overwrites the same packs.
   */
  rowsSk: (firstRow: number): string => `ROWS#${padded(firstRow, 7)}`,
  /**
   * One of the partitions a big version's later packs are spread over, so that no key takes
   * more than DynamoDB's ~1,000 write units a second: `DEALER#D001#REPORT#repair#2026-10#V000002#S07`.
   * Under `DEALER#`, so the grants that reach a dealer's versions reach their shards.
   */
  rowsShardPk: (dealer: string, type: ReportType, period: string, version: number, shard: number): string =>
    `${reportKeys.versionPk(dealer, type, period, version)}#S${padded(shard, 2)}`,
  /**
   * The item in a version's own partition that says its rows go on in shards: sorts after
   * every pack (`ROWS#…`) and every item of the layout before packs, so a reader meets it last.
   */
  shardsSk: 'SHARDS',
};

/** The stored outcome of one upload: `SUBMISSION#<source>` / `SUBMISSION`. */
export const submissionKey = (sourceId: string) => ({ pk: `${PK_PREFIX.submission}${sourceId}`, sk: 'SUBMISSION' });

/** The upload form handed out for one uploads-bucket key: `TICKET#<key>` / `TICKET`. */
export const uploadTicketKey = (key: string) => ({ pk: `${PK_PREFIX.uploadTicket}${key}`, sk: 'TICKET' });

/** The outcome of one ledger upload, by its uploads-bucket key: `LEDGERUPLOAD#<key>` / `OUTCOME`. */
export const ledgerUploadKey = (key: string) => ({ pk: `${PK_PREFIX.ledgerUpload}${key}`, sk: 'OUTCOME' });

/** Invoices, their numbering and a dealer's charge state. */
export const invoiceKeys = {
  invoice: (dealer: string, period: string, invoice_no: string) => ({ pk: dealerPk(dealer), sk: `INVOICE#${period}#${invoice_no}` }),
  /** Begins every invoice of a dealer, or of a dealer and period. */
  invoicePrefix: (period = ''): string => `INVOICE#${period === '' ? '' : `${period}#`}`,
  counter: (period: string) => ({ pk: PARTITION.invoiceCounter, sk: `INVOICE#${period}` }),
  charges: (dealer: string) => ({ pk: dealerPk(dealer), sk: 'CHARGES' }),
  periodGsi1pk: (period: string): string => `PERIOD#${period}`,
  gsi1sk: (invoice_no: string): string => `INVOICE#${invoice_no}`,
  gsi1Prefix: 'INVOICE#',
};

/** The dealer's receivables journal: `DEALER#D001` / `JOURNAL#0000000001`, in the order appended. */
export const journalKeys = {
  entry: (dealer: string, seq: number) => ({ pk: dealerPk(dealer), sk: `JOURNAL#${padded(seq, 10)}` }),
  prefix: 'JOURNAL#',
  /** The journal's running totals (`DEALER#D001` / `JOURNAL#HEAD`): after every entry's key, so reading the entries reads it last. */
  head: (dealer: string) => ({ pk: dealerPk(dealer), sk: 'JOURNAL#HEAD' }),
  /** One form's money as the journal last folded it (`DEALER#D001` / `JOURNAL_FORM#FY-2026-10-0001`). */
  form: (dealer: string, invoice_no: string) => ({ pk: dealerPk(dealer), sk: `JOURNAL_FORM#${invoice_no}` }),
};

/** Per-dealer reconciliations, listed by GSI1, and the run items. */
const CLOSED_LOT_PREFIX = 'RLOT#';

export const reconciliationKeys = {
  dealerResult: (dealer: string, period: string, as_of: string) => ({ pk: dealerPk(dealer), sk: `RECON#${period}#${as_of}` }),
  resultsGsi1pk: (period: string, as_of: string): string => `RECON#${period}#${as_of}`,
  /** One version of a closed lot of the dealer, from its result write number `seq` on (shared/domain/reconciliation.ts, `ClosedLotVersion`). */
  closedLot: (dealer: string, lot_id: string, seq: number) => ({ pk: dealerPk(dealer), sk: `${CLOSED_LOT_PREFIX}${lot_id}#${String(seq).padStart(10, '0')}` }),
  closedLotPrefix: CLOSED_LOT_PREFIX,
  /** The dealer's result write counter that numbers closed-lot versions. */
  closedLotSeq: (dealer: string) => ({ pk: dealerPk(dealer), sk: 'RLOTSEQ' }),
  resultGsi1sk: (dealer: string): string => dealerPk(dealer),
  run: (period: string, as_of: string) => ({ pk: PARTITION.reconciliationRuns, sk: `${period}#${as_of}` }),
  /** The marker that a dealer has reported into one run. */
  marker: (period: string, as_of: string, run_id: string, dealer: string) => ({
    pk: PARTITION.reconciliationRuns,
    sk: `${period}#${as_of}#${run_id}#${dealer}`,
  }),
};

/** Ledger lines by business identity (`SHIPMENT#S1` / `LINE#0001`), and by dealer and date in GSI1. */
export const ledgerKeys = {
  line: (type: LedgerType, id: string, line: number) => ({
    pk: `${type === 'shipments' ? PK_PREFIX.shipment : PK_PREFIX.return}${id}`,
    sk: `LINE#${padded(line, 4)}`,
  }),
  dealerGsi1pk: (dealer: string): string => `LEDGER#${dealer}`,
  /** Where one type's lines of a dealer begin in GSI1, before the date. */
  datedPrefix: (type: LedgerType): string => (type === 'shipments' ? 'SHIP' : 'RET'),
  datedGsi1sk: (type: LedgerType, date: string, id: string, line: number): string =>
    `${ledgerKeys.datedPrefix(type)}#${date}#${id}#${padded(line, 4)}`,
};

/** Master data under `MASTER`: `DEALER#D001`, `PRODUCT#M1`, `PART#P1#2026-01-01`. */
export const masterKeys = {
  dealer: (dealer_code: string) => ({ pk: PARTITION.master, sk: `DEALER#${dealer_code}` }),
  product: (product_model: string) => ({ pk: PARTITION.master, sk: `PRODUCT#${product_model}` }),
  part: (part_code: string, valid_from: string) => ({ pk: PARTITION.master, sk: `PART#${part_code}#${valid_from}` }),
  /** The master data's version, raised by every save: what a cached copy is checked against. */
  version: { pk: PARTITION.master, sk: 'VERSION' },
  /** What kind of master record a sort key names. */
  kindOf: (sk: string): string | undefined => sk.split('#', 1)[0],
};

/** The end-user archive: `PRODUCT#<model>` / `SERIAL#<serial>`. */
export const archiveItemKey = (product_model: string, serial_no: string) => ({
  pk: `${PK_PREFIX.product}${product_model}`,
  sk: `SERIAL#${serial_no}`,
});

/**
 * The end-user archive as a history. Each search is one query on one partition:
 * - a unit's history: `UNIT#<model>#<serial>` / `EVENT#<kind>#<dealer>#<id>` (the item collection of the unit);
 * - by serial number, owner phone or owner name: `LOOKUP#SERIAL|PHONE|OWNER#<normalised term>` /
 *   `UNIT#<model>#<serial>#<dealer>#<kind>`, one item per unit, dealer and kind of event, pointing at the unit.
 */
export const unitHistoryKeys = {
  unitPk: (product_model: string, serial_no: string): string => `${PK_PREFIX.unit}${product_model}#${serial_no}`,
  eventSk: (kind: string, dealer: string, id: string): string => `EVENT#${kind}#${dealer}#${id}`,
  eventPrefix: 'EVENT#',
  lookupPk: (by: 'serial' | 'phone' | 'owner', term: string): string => `${PK_PREFIX.lookup}${by.toUpperCase()}#${term}`,
  lookupSk: (product_model: string, serial_no: string, dealer: string, kind: string): string => `UNIT#${product_model}#${serial_no}#${dealer}#${kind}`,
};

/**
 * The maker's call about a repair, in the dealer's partition (what the API and the statistics
 * already reach): `DEALER#D001` / `VERIFY#2026-10#<repair id>`, a month's calls under one prefix.
 */
export const verificationKeys = {
  call: (dealer: string, period: string, repair_id: string) => ({ pk: dealerPk(dealer), sk: `VERIFY#${period}#${repair_id}` }),
  monthPrefix: (period: string): string => `VERIFY#${period}#`,
  /** Every dealer's calls of a month in GSI1, for a page of dealers' scorecards: `VERIFY#2026-10` / `D001#<repair id>`. */
  monthGsi1pk: (period: string): string => `VERIFY#${period}`,
  gsi1sk: (dealer: string, repair_id: string): string => `${dealer}#${repair_id}`,
};

/**
 * A disputed form line in the dealer's partition (`DEALER#D001` / `DISPUTE#FY-2026-10-0001#0001`),
 * every dealer's in GSI1 under one key for the manager's queue (`DISPUTES` / `<raised_at>#<dealer>#...`).
 */
export const disputeKeys = {
  item: (dealer: string, invoice_no: string, line: number) => ({ pk: dealerPk(dealer), sk: `DISPUTE#${invoice_no}#${padded(line, 4)}` }),
  prefix: 'DISPUTE#',
  queueGsi1pk: 'DISPUTES',
  gsi1sk: (raised_at: string, dealer: string, invoice_no: string, line: number): string => `${raised_at}#${dealer}#${invoice_no}#${padded(line, 4)}`,
};

/** What the department did with an unboxing case, in the dealer's partition: `DEALER#D001` / `UNBOXING#2026-10#<install id>`. */
export const unboxingKeys = {
  item: (dealer: string, period: string, install_id: string) => ({ pk: dealerPk(dealer), sk: `UNBOXING#${period}#${install_id}` }),
  monthPrefix: (period: string): string => `UNBOXING#${period}#`,
  /** Every dealer's cases of a month in GSI1, for a page of dealers: `UNBOXING#2026-10` / `D001#<install id>`. */
  monthGsi1pk: (period: string): string => `UNBOXING#${period}`,
  gsi1sk: (dealer: string, install_id: string): string => `${dealer}#${install_id}`,
};

/** A repair marked a design hazard, in the dealer's partition (`HAZARD#<repair id>`), every dealer's in GSI1 under `HAZARDS` for the department's list. */
export const hazardKeys = {
  item: (dealer: string, repair_id: string) => ({ pk: dealerPk(dealer), sk: `HAZARD#${repair_id}` }),
  prefix: 'HAZARD#',
  listGsi1pk: 'HAZARDS',
  gsi1sk: (marked_at: string, dealer: string, repair_id: string): string => `${marked_at}#${dealer}#${repair_id}`,
};

/** A complaint (`COMPLAINT#<id>` / `COMPLAINT`), listed in GSI1 by the month received: `COMPLAINTS#2026-10` / `<dealer>#<received_at>#<id>`. */
export const complaintKeys = {
  item: (complaint_id: string) => ({ pk: `${PK_PREFIX.complaint}${complaint_id}`, sk: 'COMPLAINT' }),
  monthGsi1pk: (period: string): string => `COMPLAINTS#${period}`,
  gsi1sk: (dealer: string, received_at: string, complaint_id: string): string => `${dealer}#${received_at}#${complaint_id}`,
  dealerGsi1Prefix: (dealer: string): string => `${dealer}#`,
  /**
   * The complaints not closed, one small partition for the overdue list and the open register:
   * `COMPLAINT##OPEN` / `<received_at>#<id>` (under `COMPLAINT#`, whose grants reach it; a
   * complaint's own item has the sort key `COMPLAINT`, so no id can collide with it).
   */
  openPk: `${PK_PREFIX.complaint}#OPEN`,
  open: (received_at: string, complaint_id: string) => ({ pk: `${PK_PREFIX.complaint}#OPEN`, sk: `${received_at}#${complaint_id}` }),
  /** In the open partition, after every entry: from which month on the open index and the dealers' copies hold every complaint. */
  openComplete: { pk: `${PK_PREFIX.complaint}#OPEN`, sk: '~COMPLETE' },
  /** A copy of the complaint in its dealer's partition, for a dealer's months in one query: `DEALER#D001` / `COMPLAINT#<received_at>#<id>`. */
  dealerCopy: (dealer: string, received_at: string, complaint_id: string) => ({ pk: dealerPk(dealer), sk: `COMPLAINT#${received_at}#${complaint_id}` }),
  dealerCopyPrefix: 'COMPLAINT#',
};

/**
 * A dealer's month score in the dealer's partition (`DEALER#D001` / `SCORE#2026-10`), listed worst
 * first in GSI1 while it has something to score: `SCORE#2026-10` / `rankKey`. Moving the rank is
 * an update of the one item, so a dealer is never listed twice. Which months are all kept: one
 * item under `DEALER##SCORES` (no dealer code begins with `#`), within the grants of `DEALER#`.
 */
export const scoreKeys = {
  item: (dealer: string, period: string) => ({ pk: dealerPk(dealer), sk: `SCORE#${period}` }),
  monthGsi1pk: (period: string): string => `SCORE#${period}`,
  complete: { pk: `${PK_PREFIX.dealer}#SCORES`, sk: 'COMPLETE' },
};

/** Material requests under their dealer (`DEALER#D001` / `REQUEST#R-1`), all of them listed in GSI1 by id. */
export const requestKeys = {
  request: (dealer: string, request_id: string) => ({ pk: dealerPk(dealer), sk: `REQUEST#${request_id}` }),
  /** Begins every request of a dealer. */
  prefix: 'REQUEST#',
  gsi1pk: 'REQUESTS',
  gsi1sk: (request_id: string, dealer: string): string => `${request_id}#${dealer}`,
  /** Begins the GSI1 entries of every dealer's request with this id. */
  gsi1IdPrefix: (request_id: string): string => `${request_id}#`,
};

/** Each recipient's messages: `INBOX#D001` (or `INBOX#finance`, `INBOX#admin`) / `MSG#<id>`. */
export const messageKeys = {
  /** Begins every inbox partition: what the grants of the functions that tell people reach. */
  inboxPrefix: 'INBOX#',
  inbox: (recipient: string): string => `${messageKeys.inboxPrefix}${recipient}`,
  message: (recipient: string, id: string) => ({ pk: messageKeys.inbox(recipient), sk: `MSG#${id}` }),
};

/**
 * Ledger corrections under the dealer of the line they correct
 * (`DEALER#<dealer>` / `CORRECTION#SHIP#<id>#<line>#<at>`): the line's own partition stays
 * the ledger's, which the API may read but never write, and the dealer's ledger finds every
 * correction of its lines with one query.
 */
export const correctionKeys = {
  /**
   * The line's `sequence`-th correction: one key per place in the line's history, so that two
   * corrections made from the same history cannot both be written. (Corrections from before
   * the sequence was kept end in their time, which sorts before `SEQ#`.)
   */
  correction: (dealer: string, type: LedgerType, id: string, line: number, sequence: number) => ({
    pk: dealerPk(dealer),
    sk: `${correctionKeys.linePrefix(type, id, line)}SEQ#${padded(sequence, 6)}`,
  }),
  /** Begins every correction of one line. */
  linePrefix: (type: LedgerType, id: string, line: number): string => `CORRECTION#${ledgerKeys.datedPrefix(type)}#${id}#${padded(line, 4)}#`,
  /** Begins every correction of a dealer. */
  prefix: 'CORRECTION#',
};
