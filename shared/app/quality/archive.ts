import { reachOf, type Caller } from '../../domain/access.js';
import {
  installationEvent,
  isSearchable,
  MIN_TERM_LENGTH,
  normaliseTerm,
  ownerOf,
  repairEvent,
  type ArchiveSearchBy,
  type UnitEvent,
} from '../../domain/archive-history.js';
import { businessDateOf, compareDates, nextPeriod } from '../../domain/dates.js';
import { REPORT_TYPES } from '../../domain/fields.js';
import type { ShipmentLine } from '../../domain/ledger-validation.js';
import type { RepairPartLine } from '../../domain/report-validation.js';
import { dateOf } from '../../domain/values.js';
import { forbidden, Refusal } from '../access.js';
import type { ArchiveStore, Clock, LedgerStore, MasterStore, ReportStore, ReportTarget } from '../ports.js';

/** Events written per round trip. */
const CHUNK = 500;
/** Units a search shows at most: a term naming more is too vague to be a customer. */
export const MAX_UNITS_FOUND = 50;

/**
 * Adds a report version's records to the units' histories: each installation, and each repair
 * with the parts its rows name. Run when the version becomes current (and by the backfill for
 * versions made before histories were kept); an event recorded again replaces itself, so
 * running it twice, or for a later version of the same report, adds no copies.
 */
export async function recordReportHistory(deps: { readonly reports: ReportStore; readonly archive: ArchiveStore }, target: ReportTarget, version: number): Promise<number> {
  // Part rows may come anywhere after their repair's first row: their parts are gathered first (small), the repairs streamed after.
  const parts = new Map<string, Array<Pick<RepairPartLine, 'part_code' | 'part_qty'>>>();
  if (target.type === 'repair') {
    for await (const item of deps.reports.readItems(target, version)) {
      if (item.kind !== 'part_line') continue;
      const list = parts.get(item.record.repair_id) ?? parts.set(item.record.repair_id, []).get(item.record.repair_id)!;
      list.push({ part_code: item.record.part_code, part_qty: item.record.part_qty });
    }
  }
  let batch: UnitEvent[] = [];
  let recorded = 0;
  for await (const item of deps.reports.readItems(target, version)) {
    if (item.kind === 'installation') batch.push(installationEvent(target.dealer, item.record));
    else if (item.kind === 'repair') {
      const { phase, materials_charged } = item.classification;
      batch.push(repairEvent(target.dealer, item.record, parts.get(item.record.repair_id) ?? [], { phase, materials_charged }));
    }
    if (batch.length >= CHUNK) {
      await deps.archive.record(batch);
      recorded += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await deps.archive.record(batch);
  return recorded + batch.length;
}

/**
 * Builds the histories of reports taken in before the archive kept them: every dealer's
 * current installation and repair report of each month from `from` to `to`. Repeatable.
 */
export async function backfillArchiveHistory(
  deps: { readonly reports: ReportStore; readonly archive: ArchiveStore; readonly master: MasterStore },
  from: string,
  to: string,
): Promise<{ readonly reports: number; readonly events: number }> {
  const master = await deps.master.load();
  let reports = 0;
  let events = 0;
  for (const dealer of [...master.dealers.keys()].sort()) {
    for (let period = from; period <= to; period = nextPeriod(period)) {
      for (const type of REPORT_TYPES) {
        const target = { dealer, type, period };
        const current = await deps.reports.currentVersion(target);
        if (current === undefined) continue;
        reports += 1;
        events += await recordReportHistory(deps, target, current.version);
      }
    }
  }
  return { reports, events };
}

export interface ArchiveSearchDeps {
  readonly archive: ArchiveStore;
  readonly ledger: LedgerStore;
  readonly clock: Clock;
  readonly config: { readonly businessTimeZone: string };
}

/** A part lent for a repair (a shipment line that names the repair). */
export type RepairLoan = Pick<ShipmentLine, 'shipment_id' | 'line' | 'shipped_date' | 'part_code' | 'qty' | 'kind'>;

/** A unit found, with its history as the caller may see it. */
export interface UnitHistory {
  readonly product_model: string;
  readonly serial_no: string;
  /** The owner as the latest event names them. */
  readonly owner: { readonly name: string; readonly phone: string } | null;
  readonly events: readonly UnitEvent[];
  /** Per repair id, the parts shipped for it. */
  readonly loans: Readonly<Record<string, readonly RepairLoan[]>>;
}

/**
 * A unit's whole history from the end-user archive, found by serial number, owner phone or
 * owner name (normalised: shared/domain/archive-history.ts). One query finds the units, one
 * query per unit reads its history, and one ledger query per dealer that repaired it finds
 * the loans that name its repairs. A dealer finds only units it installed or repaired, and
 * sees only its own events of them (those naming its dealer code); a term under two characters is refused.
 */
export async function findInArchive(deps: ArchiveSearchDeps, caller: Caller, by: ArchiveSearchBy, term: string): Promise<UnitHistory[]> {
  const reach = reachOf(caller, 'search_archive');
  if (reach === null) throw forbidden('search_archive', 'role');
  const normalised = normaliseTerm(by, term);
  if (!isSearchable(normalised)) {
    throw new Refusal(
      'invalid',
      `Search by ${by} needs at least ${MIN_TERM_LENGTH} characters (spaces and a +86 prefix do not count); "${term}" is too short`,
      `按${BY_ZH[by]}查找至少需要 ${MIN_TERM_LENGTH} 个字符（空格与 +86 前缀不计）；“${term}”太短`,
    );
  }
  const units = (await deps.archive.lookup(by, normalised)).filter((u) => reach.all || u.dealers.includes(reach.dealer)).slice(0, MAX_UNITS_FOUND);
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const found: UnitHistory[] = [];
  for (const unit of units) {
    const events = (await deps.archive.history(unit)).filter((e) => reach.all || e.dealer_code === reach.dealer);
    const latest = events.at(-1);
    found.push({ product_model: unit.product_model, serial_no: unit.serial_no, owner: latest === undefined ? null : ownerOf(latest), events, loans: await loansOf(deps.ledger, events, today) });
  }
  return found;
}

const BY_ZH: Readonly<Record<ArchiveSearchBy, string>> = { serial: '序列号', phone: '电话', owner: '业主姓名' };

/** The shipment lines that name the unit's repairs, from each repairing dealer's ledger since its first repair of the unit. */
async function loansOf(ledger: LedgerStore, events: readonly UnitEvent[], today: string): Promise<Record<string, RepairLoan[]>> {
  const firstRepair = new Map<string, string>();
  const repairIds = new Set<string>();
  for (const event of events) {
    if (event.kind !== 'repair') continue;
    repairIds.add(`${event.dealer_code}#${event.id}`);
    const date = dateOf(event.repair.called_at);
    const earliest = firstRepair.get(event.dealer_code);
    if (earliest === undefined || compareDates(date, earliest) < 0) firstRepair.set(event.dealer_code, date);
  }
  const loans: Record<string, RepairLoan[]> = {};
  for (const [dealer, from] of firstRepair) {
    const { shipments } = await ledger.dealerLedger(dealer, today, from);
    for (const s of shipments) {
      if (s.repair_id === null || !repairIds.has(`${dealer}#${s.repair_id}`)) continue;
      (loans[s.repair_id] ??= []).push({ shipment_id: s.shipment_id, line: s.line, shipped_date: s.shipped_date, part_code: s.part_code, qty: s.qty, kind: s.kind });
    }
  }
  return loans;
}

/** The JSON of a unit's history: each event flat, its kind's facts beside the common ones. */
export function unitHistoryJson(unit: UnitHistory) {
  return {
    product_model: unit.product_model,
    serial_no: unit.serial_no,
    owner: unit.owner,
    events: unit.events.map((event) => {
      const common = { at: event.at, dealer: event.dealer_code, id: event.id };
      switch (event.kind) {
        case 'installation':
          return { kind: event.kind, ...common, ...event.installation };
        case 'repair':
          return { kind: event.kind, ...common, ...event.repair, parts: event.parts, phase: event.classification?.phase ?? null, materials_charged: event.classification?.materials_charged ?? null, loans: unit.loans[event.id] ?? [] };
        case 'complaint':
          return { kind: event.kind, ...common, ...event.complaint };
      }
    }),
  };
}
