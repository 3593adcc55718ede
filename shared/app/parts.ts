/**
 * The parts a material request may ask for (issue 25's part picker): each part of the price
 * list with its name, unit and the price on today's business date, for whoever works with requests.
 */
import type { Caller } from '../domain/access.js';
import { businessDateOf } from '../domain/dates.js';
import { priceOn } from '../domain/master.js';
import { authorize } from './access.js';
import type { Clock, MasterStore } from './ports.js';

export async function listParts(deps: { readonly master: MasterStore; readonly clock: Clock; readonly config: { readonly businessTimeZone: string } }, caller: Caller) {
  authorize(caller, 'read_requests');
  const today = businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
  const { parts } = await deps.master.load();
  return {
    as_of: today,
    parts: [...parts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([part_code, prices]) => {
        // A part priced only from a later date is listed at that price: it is in the price list.
        const price = priceOn(prices, today) ?? prices.at(0);
        return price === undefined ? [] : [{ part_code, part_name: price.part_name, unit: price.unit, price: price.cost_price }];
      }),
  };
}
