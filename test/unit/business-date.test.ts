import { afterEach, describe, expect, it, vi } from 'vitest';
import { businessDateOf, lateDeadline } from '../../shared/domain/dates.js';
import { jobsDueOn, previousPeriod } from '../../shared/domain/schedule.js';
import { previousMonth, scheduledAsOf, today, useBusinessTimeZone } from '../../portal/src/business-date.js';

/**
 * One business date everywhere: the portal's defaults and the server's "today" are Beijing's
 * date at 23:30 UTC (already tomorrow there) and at 00:30 UTC (08:30 there), whatever zone the
 * process or the browser runs in. Before, the portal took the UTC date: a day behind Beijing
 * from 00:00 to 08:00 Beijing time.
 */
const ZONES = ['America/Los_Angeles', 'Asia/Shanghai', 'UTC'] as const;
const CASES = [
  // 23:30 UTC on the last day of November is 07:30 on 1 December in Beijing.
  { at: '2026-11-30T23:30:00Z', date: '2026-12-01', previous: '2026-11' },
  // 00:30 UTC is 08:30 the same day in Beijing.
  { at: '2026-12-01T00:30:00Z', date: '2026-12-01', previous: '2026-11' },
  // 23:30 UTC on 31 December is New Year's Day in Beijing: the previous month is December.
  { at: '2026-12-31T23:30:00Z', date: '2027-01-01', previous: '2026-12' },
  { at: '2027-01-01T00:30:00Z', date: '2027-01-01', previous: '2026-12' },
] as const;

const originalZone = process.env.TZ;
afterEach(() => {
  vi.useRealTimers();
  process.env.TZ = originalZone;
});

describe.each(ZONES)('with the process in %s', (zone) => {
  it.each(CASES)('at $at the business date is $date', ({ at, date, previous }) => {
    // Prepare
    process.env.TZ = zone;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(at));
    useBusinessTimeZone('Asia/Shanghai');
    // Act & Assess: the server's way and the portal's way agree, on Beijing's calendar.
    expect(businessDateOf(new Date(), 'Asia/Shanghai')).toBe(date);
    expect(today()).toBe(date);
    expect(previousMonth()).toBe(previous);
    expect(previousPeriod(businessDateOf(new Date(), 'Asia/Shanghai'))).toBe(previous);
    expect(lateDeadline(previous)).toBe(`${date.slice(0, 7)}-03`);
  });
});

describe('the portal follows the zone the API names', () => {
  it('takes UTC when configured so', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T23:30:00Z'));
    useBusinessTimeZone('UTC');
    expect(today()).toBe('2026-11-30');
    expect(previousMonth()).toBe('2026-10');
    useBusinessTimeZone('Asia/Shanghai');
  });

  it('reconciles a month by default on the 5th of the next one, as the schedule does', () => {
    for (const period of ['2026-10', '2026-12', '2028-02'] as const) {
      const asOf = scheduledAsOf(period);
      expect(jobsDueOn(asOf, 5).reconcile).toEqual({ period, as_of: asOf });
    }
  });
});
