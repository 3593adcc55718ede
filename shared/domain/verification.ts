/**
 * The maker's own verification (domain.md, "The maker verifies"): each month a sample of each
 * dealer's repair calls for the maker's return call (回访/满意度调查).
 *
 * Decisions the domain leaves open, taken here:
 * - **Size:** the configured share of the dealer's repair calls, rounded up, and at least the
 *   configured minimum (all of them when the dealer has fewer).
 * - **Reproducible:** repairs are ordered by a 32-bit FNV-1a hash of dealer, month and repair
 *   id, and the first ones are taken: the same report gives the same list every time, on every
 *   machine, and one repair more or less in the report moves no other repair's place.
 * - Return visits are never sampled: they are follow-ups, not repairs (shared/domain/kpi.ts).
 */
import { isRepairCall } from './kpi.js';
import type { Repair } from './report-validation.js';

export interface SampleRule {
  /** Whole percent of the month's repair calls, 1–100. */
  readonly sharePercent: number;
  /** At least this many repairs (all when fewer). */
  readonly minimum: number;
}

export const DEFAULT_SAMPLE_RULE: SampleRule = { sharePercent: 10, minimum: 3 };

/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** How many of `count` repair calls the sample holds. */
export const sampleSize = (count: number, rule: SampleRule): number => Math.min(count, Math.max(rule.minimum, Math.ceil((count * rule.sharePercent) / 100)));

/** The repair ids drawn for the maker's call, in the order drawn. */
export function drawSample(dealer: string, period: string, repairs: Iterable<Pick<Repair, 'repair_id' | 'service_type'>>, rule: SampleRule = DEFAULT_SAMPLE_RULE): string[] {
  const ids = [...new Set([...repairs].filter(isRepairCall).map((r) => r.repair_id))];
  const key = (id: string): number => fnv1a(`${dealer}\u0000${period}\u0000${id}`);
  return ids.sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, sampleSize(ids.length, rule));
}
