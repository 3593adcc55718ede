import { loadavg } from 'node:os';

/** The machine's 1-minute load average as the benches print it beside their figures. */
export const load = (): string => (loadavg()[0] ?? 0).toFixed(2);

/** The nearest-rank `p`th percentile of `sorted` (ascending); NaN when there is no sample. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
