import type { DesignHazardStore } from '../../../shared/app/ports.js';
import type { DesignHazard } from '../../../shared/domain/design-hazards.js';
import { byMarked } from '../../../shared/store/dynamo-hazard-store.js';
import { copy } from './order.js';

/** Design hazards in memory, marked once like the DynamoDB store's. */
export class MemoryDesignHazardStore implements DesignHazardStore {
  private readonly stored = new Map<string, DesignHazard>();

  async create(hazard: DesignHazard): Promise<'created' | 'exists'> {
    const key = `${hazard.dealer}\u0000${hazard.repair_id}`;
    if (this.stored.has(key)) return 'exists';
    this.stored.set(key, copy(hazard));
    return 'created';
  }

  async list(dealer?: string): Promise<DesignHazard[]> {
    return [...this.stored.values()].filter((h) => dealer === undefined || h.dealer === dealer).map(copy).sort(byMarked);
  }
}
