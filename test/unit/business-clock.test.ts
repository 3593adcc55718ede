import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../shared/app/ports.js';
import { businessDateTimeOf } from '../../shared/domain/dates.js';
import { atBusinessNoon, clearOfBusinessMidnight } from '../helpers/business-clock.js';

// The file starts ten seconds before midnight in Beijing.
vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-12-08T15:59:50Z') });
const today = atBusinessNoon();
vi.useRealTimers();

describe('a file at business noon (test/helpers/business-clock.ts)', () => {
  it('takes the business date it started on, and runs the back office at noon of it, in real time', async () => {
    const first = systemClock.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(today).toBe('2026-12-08');
    expect(businessDateTimeOf(first, 'Asia/Shanghai')).toBe('2026-12-08 12:00');
    expect(systemClock.now().getTime()).toBeGreaterThan(first.getTime());
  });
});

describe('a walk clear of business midnight', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts at once, on today, when midnight in Beijing is more than three minutes away', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'], now: new Date('2026-12-08T15:56:59Z') });
    await expect(clearOfBusinessMidnight()).resolves.toBe('2026-12-08');
  });

  it('waits out midnight in Beijing when it is nearer, then starts on the new day', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'], now: new Date('2026-12-08T15:58:30Z') });
    let started: string | undefined;
    void clearOfBusinessMidnight().then((date) => (started = date));
    await vi.advanceTimersByTimeAsync(89_000);
    expect(started).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(started).toBe('2026-12-09');
  });

  it('keeps to the zone it is given, whatever the process runs in', async () => {
    // 23:58:30 in Beijing is 07:58:30 in Los Angeles: nothing to wait for there.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'], now: new Date('2026-12-08T15:58:30Z') });
    await expect(clearOfBusinessMidnight(3, 'America/Los_Angeles')).resolves.toBe('2026-12-08');
    // 23:59 in Los Angeles: midnight there is waited out.
    vi.setSystemTime(new Date('2026-12-09T07:59:00Z'));
    let started: string | undefined;
    void clearOfBusinessMidnight(3, 'America/Los_Angeles').then((date) => (started = date));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(started).toBeUndefined();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(started).toBe('2026-12-09');
  });
});
