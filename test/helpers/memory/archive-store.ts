import { archiveKey, type ArchiveEntry, type ArchiveStore } from '../../../shared/app/ports.js';
import { byHistoryOrder, lookupTermsOf, servedBy, supersedesInstallation, type ArchiveSearchBy, type FoundUnit, type UnitEvent, type UnitRef } from '../../../shared/domain/archive-history.js';
import { copy } from './order.js';

/** The end-user archive in memory: one entry per product model and serial number, the latest installation wins; histories and lookup terms beside. */
export class MemoryArchiveStore implements ArchiveStore {
  private readonly entries = new Map<string, ArchiveEntry>();
  /** Unit → event identity → event. */
  private readonly events = new Map<string, Map<string, UnitEvent>>();
  /** `by#term` → unit → its dealers. */
  private readonly terms = new Map<string, Map<string, { unit: UnitRef; dealers: Set<string> }>>();

  async find(keys: ReadonlyArray<{ product_model: string; serial_no: string }>): Promise<Map<string, ArchiveEntry>> {
    const found = new Map<string, ArchiveEntry>();
    for (const { product_model, serial_no } of keys) {
      const entry = this.entries.get(archiveKey(product_model, serial_no));
      if (entry !== undefined) found.set(archiveKey(product_model, serial_no), copy(entry));
    }
    return found;
  }

  async put(entries: readonly ArchiveEntry[]): Promise<void> {
    for (const entry of entries) {
      const key = archiveKey(entry.product_model, entry.serial_no);
      if (supersedesInstallation(entry, this.entries.get(key))) this.entries.set(key, copy(entry));
    }
  }

  async record(events: readonly UnitEvent[]): Promise<void> {
    for (const event of events) {
      const unit = archiveKey(event.product_model, event.serial_no);
      const history = this.events.get(unit) ?? this.events.set(unit, new Map()).get(unit)!;
      history.set(`${event.kind}#${event.dealer_code}#${event.id}`, copy(event));
      for (const { by, term } of lookupTermsOf(event)) {
        const units = this.terms.get(`${by}#${term}`) ?? this.terms.set(`${by}#${term}`, new Map()).get(`${by}#${term}`)!;
        const found = units.get(unit) ?? units.set(unit, { unit: { product_model: event.product_model, serial_no: event.serial_no }, dealers: new Set() }).get(unit)!;
        if (servedBy(event.kind)) found.dealers.add(event.dealer_code);
      }
    }
  }

  async lookup(by: ArchiveSearchBy, normalisedTerm: string): Promise<FoundUnit[]> {
    return [...(this.terms.get(`${by}#${normalisedTerm}`)?.values() ?? [])].map(({ unit, dealers }) => ({ ...unit, dealers: [...dealers].sort() }));
  }

  async history(unit: UnitRef): Promise<UnitEvent[]> {
    return [...(this.events.get(archiveKey(unit.product_model, unit.serial_no))?.values() ?? [])].map(copy).sort(byHistoryOrder);
  }
}
