import { setTimeout as pause } from 'node:timers/promises';

/**
 * Full-jitter exponential backoff, as AWS recommends for throttled or unprocessed requests:
 * before retry `round`, a random pause of up to `baseMs` × 2^round, never more than `capMs`.
 */
export function backoff(round: number, baseMs: number, capMs = Number.POSITIVE_INFINITY): Promise<void> {
  return pause(Math.random() * Math.min(capMs, baseMs * 2 ** round));
}
