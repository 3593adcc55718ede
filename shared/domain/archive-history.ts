/**
 * The end-user archive as a history (domain.md, "The two-level archive"): every unit, by
 * product model and serial number, with its installation, repairs (fault → cause → action,
 * parts), the loans that name its repairs and its complaints, in order; found by serial
 * number, owner phone or owner name.
 *
 * Decisions taken here:
 * - **Search terms are normalised** before they are stored and before they are looked up:
 *   NFKC (full-width digits and letters become ASCII), spaces removed; a phone also loses
 *   hyphens, brackets and a +86 / 0086 country prefix; a name is NFKC and trimmed (inner
 *   spaces removed too, as 陈 小姐 and 陈小姐 are the same person to a clerk). A term shorter
 *   than two characters once normalised is refused: it would list half the archive.
 * - **A search is exact** on the normalised term (not a prefix): what the clerk has is a
 *   whole phone number, serial number or name.
 * - **An event is identified by its kind, dealer and business id**, so a report uploaded
 *   again replaces its events instead of adding copies; the history is ordered by the
 *   event's own date-time, then kind (installation, repair, complaint) and id.
 * - **A dealer finds only units it installed or repaired**, and sees of their history only
 *   its own events (complaints about its own service included, as its scorecard names them);
 *   another dealer's installation, repairs and complaints stay hidden.
 */
import type { Complaint } from './complaints.js';
import type { Installation, Repair, RepairPartLine } from './report-validation.js';
import type { RepairClassification } from './warranty.js';

export const ARCHIVE_SEARCHES = ['serial', 'phone', 'owner'] as const;
/** What an archive search is by. */
export type ArchiveSearchBy = (typeof ARCHIVE_SEARCHES)[number];

/** A unit of the archive: one product model and serial number. */
export interface UnitRef {
  readonly product_model: string;
  readonly serial_no: string;
}

interface EventBase extends UnitRef {
  readonly dealer_code: string;
  /** The business id: install_id, repair_id or complaint_id. */
  readonly id: string;
  /** When it happened (a date, or a local date-time): what the history is ordered by. */
  readonly at: string;
}

/** One event of a unit's history. */
export type UnitEvent =
  | (EventBase & { readonly kind: 'installation'; readonly installation: Installation })
  | (EventBase & {
      readonly kind: 'repair';
      readonly repair: Repair;
      readonly parts: ReadonlyArray<Pick<RepairPartLine, 'part_code' | 'part_qty'>>;
      readonly classification: Pick<RepairClassification, 'phase' | 'materials_charged'> | null;
    })
  | (EventBase & { readonly kind: 'complaint'; readonly complaint: Complaint });

export type UnitEventKind = UnitEvent['kind'];

const KIND_ORDER: Readonly<Record<UnitEventKind, number>> = { installation: 0, repair: 1, complaint: 2 };

/** History order: by when, then installation before repair before complaint, then id. */
export const byHistoryOrder = (a: UnitEvent, b: UnitEvent): number =>
  a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.id.localeCompare(b.id) || a.dealer_code.localeCompare(b.dealer_code);

export const installationEvent = (dealer_code: string, installation: Installation): UnitEvent => ({
  kind: 'installation',
  product_model: installation.product_model,
  serial_no: installation.serial_no,
  dealer_code,
  id: installation.install_id,
  at: installation.install_date,
  installation,
});

export const repairEvent = (
  dealer_code: string,
  repair: Repair,
  parts: ReadonlyArray<Pick<RepairPartLine, 'part_code' | 'part_qty'>>,
  classification: Pick<RepairClassification, 'phase' | 'materials_charged'> | null,
): UnitEvent => ({
  kind: 'repair',
  product_model: repair.product_model,
  serial_no: repair.serial_no,
  dealer_code,
  id: repair.repair_id,
  at: repair.called_at,
  repair,
  parts,
  classification,
});

/** A complaint's event, when it names a unit (model and serial number). */
export const complaintEvent = (complaint: Complaint): UnitEvent | undefined =>
  complaint.product_model === null || complaint.serial_no === null
    ? undefined
    : {
        kind: 'complaint',
        product_model: complaint.product_model,
        serial_no: complaint.serial_no,
        dealer_code: complaint.dealer_code,
        id: complaint.complaint_id,
        at: complaint.received_at,
        complaint,
      };

/** The owner's name and phone an event carries. */
export function ownerOf(event: UnitEvent): { readonly name: string; readonly phone: string } {
  switch (event.kind) {
    case 'installation':
      return { name: event.installation.owner_name, phone: event.installation.phone };
    case 'repair':
      return { name: event.repair.owner_name, phone: event.repair.phone };
    case 'complaint':
      return { name: event.complaint.customer_name, phone: event.complaint.phone };
  }
}

const SPACES = /\s+/gu;

/** A phone as stored and searched: NFKC, no spaces, hyphens or brackets, no +86 / 0086 prefix. */
export function normalisePhone(phone: string): string {
  const plain = phone.normalize('NFKC').replace(SPACES, '').replace(/[-()（）.]/g, '');
  return plain.replace(/^(\+86|0086)/, '');
}

/** A name as stored and searched: NFKC, trimmed, no inner spaces. */
export const normaliseName = (name: string): string => name.normalize('NFKC').trim().replace(SPACES, '');

/** A serial number as stored and searched: NFKC, no spaces. */
export const normaliseSerial = (serial: string): string => serial.normalize('NFKC').replace(SPACES, '');

/** A search term, normalised as its kind is stored. */
export const normaliseTerm = (by: ArchiveSearchBy, term: string): string =>
  by === 'phone' ? normalisePhone(term) : by === 'owner' ? normaliseName(term) : normaliseSerial(term);

/** The shortest term a search accepts, once normalised. */
export const MIN_TERM_LENGTH = 2;

/** Whether a normalised term is long enough to search by. */
export const isSearchable = (normalised: string): boolean => [...normalised].length >= MIN_TERM_LENGTH;

/** The lookup terms an event adds to the archive: its serial number, its owner's phone and name. */
export function lookupTermsOf(event: UnitEvent): ReadonlyArray<{ readonly by: ArchiveSearchBy; readonly term: string }> {
  const owner = ownerOf(event);
  return [
    { by: 'serial', term: normaliseSerial(event.serial_no) },
    { by: 'phone', term: normalisePhone(owner.phone) },
    { by: 'owner', term: normaliseName(owner.name) },
  ].filter((t): t is { by: ArchiveSearchBy; term: string } => t.term !== '');
}

/** A unit found by a search, with the dealers that installed or repaired it (a complaint names a dealer, but it did not serve the unit). */
export interface FoundUnit extends UnitRef {
  readonly dealers: readonly string[];
}

/** Whether an event of this kind is a dealer serving the unit: what lets a dealer find it. */
export const servedBy = (kind: UnitEventKind): boolean => kind !== 'complaint';

/**
 * Whether an installation takes the unit's place in the end-user archive over the one stored
 * (domain.md, "The archive holds the latest installation"): by installation date, never by
 * upload order. A report for an earlier month uploaded again does not overwrite a later
 * installation; one of the same date replaces it (a corrected report of the same month).
 * ISO dates compare as text.
 */
export const supersedesInstallation = (incoming: { readonly install_date: string }, stored: { readonly install_date: string } | undefined): boolean =>
  stored === undefined || incoming.install_date >= stored.install_date;

/** Of several installations of units, per unit the one the archive keeps (the last given of the latest date), in first-seen order. */
export function latestInstallations<T extends UnitRef & { readonly install_date: string }>(entries: readonly T[]): T[] {
  const kept = new Map<string, T>();
  for (const entry of entries) {
    const key = `${entry.product_model}\u0000${entry.serial_no}`;
    if (supersedesInstallation(entry, kept.get(key))) kept.set(key, entry);
  }
  return [...kept.values()];
}
