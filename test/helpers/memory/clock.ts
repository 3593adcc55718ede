import type { Clock } from '../../../shared/app/ports.js';

/** A clock that says `at` until told otherwise. */
export function fixedClock(at: Date | string): Clock & { set(to: Date | string): void } {
  let now = new Date(at);
  return {
    now: () => new Date(now),
    set: (to) => {
      now = new Date(to);
    },
  };
}
