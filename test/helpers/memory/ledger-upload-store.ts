import type { LedgerUploadOutcome, LedgerUploadStore } from '../../../shared/app/ports.js';
import { storedOutcome } from '../../../shared/store/stored-outcome.js';

/** Ledger upload outcomes in memory, by the key the file was uploaded under. */
export class MemoryLedgerUploadStore implements LedgerUploadStore {
  private readonly outcomes = new Map<string, LedgerUploadOutcome>();

  async recordOutcome(key: string, outcome: LedgerUploadOutcome): Promise<void> {
    this.outcomes.set(key, structuredClone(storedOutcome(outcome)));
  }

  async findOutcome(key: string): Promise<LedgerUploadOutcome | undefined> {
    const outcome = this.outcomes.get(key);
    return outcome === undefined ? undefined : structuredClone(outcome);
  }
}
