import { archiveKey, type ArchiveEntry, type ArchiveStore } from '../../../shared/app/ports.js';
import { copy } from './order.js';

/** The end-user archive in memory: one entry per product model and serial number, the last put wins. */
export class MemoryArchiveStore implements ArchiveStore {
  private readonly entries = new Map<string, ArchiveEntry>();

  async find(keys: ReadonlyArray<{ product_model: string; serial_no: string }>): Promise<Map<string, ArchiveEntry>> {
    const found = new Map<string, ArchiveEntry>();
    for (const { product_model, serial_no } of keys) {
      const entry = this.entries.get(archiveKey(product_model, serial_no));
      if (entry !== undefined) found.set(archiveKey(product_model, serial_no), copy(entry));
    }
    return found;
  }

  async put(entries: readonly ArchiveEntry[]): Promise<void> {
    for (const entry of entries) this.entries.set(archiveKey(entry.product_model, entry.serial_no), copy(entry));
  }
}
