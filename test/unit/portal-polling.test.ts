import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FIRST_POLL_MS, GIVE_UP_AFTER_MS, MAX_POLL_MS, pollDelay, pollUntil, STEADY_POLLS } from '../../portal/src/polling.js';

/** A clock that only moves when the poller waits. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return { now: () => now, wait: async (ms: number) => void (waits.push(ms), (now += ms)), waits };
}

describe('the portal waiting for a verdict', () => {
  it('asks every half second for the first five seconds, then half as often each time, never less often than every 30 s', () => {
    expect(Array.from({ length: STEADY_POLLS }, (_, i) => pollDelay(i))).toEqual(Array(STEADY_POLLS).fill(FIRST_POLL_MS));
    expect(pollDelay(STEADY_POLLS)).toBe(2 * FIRST_POLL_MS);
    fc.assert(
      fc.property(fc.nat(10_000), (attempt) => {
        expect(pollDelay(attempt + 1)).toBeGreaterThanOrEqual(pollDelay(attempt));
        expect(pollDelay(attempt)).toBeLessThanOrEqual(MAX_POLL_MS);
      }),
    );
    expect(pollDelay(100)).toBe(MAX_POLL_MS);
  });

  it('stops at the verdict', async () => {
    // Prepare: the verdict is there at the fourth ask
    const time = fakeTime();
    let asks = 0;
    // Act
    const verdict = await pollUntil(async () => (++asks === 4 ? 'accepted' : undefined), time.wait, time.now);
    // Assess
    expect(verdict).toBe('accepted');
    expect(time.waits).toEqual([500, 500, 500]);
  });

  it('gives up after 15 minutes instead of polling all day', async () => {
    const time = fakeTime();
    let asks = 0;
    const verdict = await pollUntil(async () => void asks++, time.wait, time.now);
    expect(verdict).toBeUndefined();
    expect(time.now()).toBeLessThanOrEqual(GIVE_UP_AFTER_MS);
    // Ten asks in the first five seconds, then at most one every 30 s once the waits reach it.
    expect(asks).toBeLessThan(10 + 6 + GIVE_UP_AFTER_MS / MAX_POLL_MS);
  });
});
