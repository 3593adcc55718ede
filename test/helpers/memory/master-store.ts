import type { MasterStore } from '../../../shared/app/ports.js';
import type { Dealer, MasterData, PartPrice, Product } from '../../../shared/domain/master.js';
import { byteOrder, copy } from './order.js';

const sortedMap = <T>(entries: Iterable<[string, T]>): Map<string, T> => new Map([...entries].sort(([a], [b]) => byteOrder(a, b)));

/** Master data in memory: records replaced by their code (a price by part and date), loaded in key order. */
export class MemoryMasterStore implements MasterStore {
  private readonly dealers = new Map<string, Dealer>();
  private readonly products = new Map<string, Product>();
  private readonly prices = new Map<string, PartPrice>();

  async load(): Promise<MasterData> {
    const parts = new Map<string, PartPrice[]>();
    for (const [, price] of sortedMap(this.prices)) parts.set(price.part_code, [...(parts.get(price.part_code) ?? []), copy(price)]);
    for (const list of parts.values()) list.sort((a, b) => a.valid_from.localeCompare(b.valid_from));
    return { dealers: sortedMap(copy([...this.dealers])), products: sortedMap(copy([...this.products])), parts };
  }

  async save(changes: { dealers: readonly Dealer[]; products: readonly Product[]; parts: readonly PartPrice[] }): Promise<void> {
    for (const dealer of changes.dealers) this.dealers.set(dealer.dealer_code, copy(dealer));
    for (const product of changes.products) this.products.set(product.product_model, copy(product));
    for (const price of changes.parts) this.prices.set(`${price.part_code}#${price.valid_from}`, copy(price));
  }
}
