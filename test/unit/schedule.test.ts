import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/domain/dates.js';
import { jobsDueOn, previousPeriod } from '../../shared/domain/schedule.js';

describe('the monthly schedule', () => {
  it('sends reminders on the 4th for the month before', () => {
    expect(jobsDueOn('2026-11-04', 5)).toEqual({ reminders: '2026-10', reconcile: null });
  });

  it('reconciles the month before on the configured day, as of that day', () => {
    expect(jobsDueOn('2026-11-05', 5)).toEqual({ reminders: null, reconcile: { period: '2026-10', as_of: '2026-11-05' } });
    expect(jobsDueOn('2027-01-10', 10).reconcile).toEqual({ period: '2026-12', as_of: '2027-01-10' });
  });

  it('runs each job exactly once a month, whatever the month', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), (year, month, reconciliationDay) => {
        const first = `${year}-${String(month).padStart(2, '0')}-01`;
        const days = Array.from({ length: 31 }, (_, i) => addDays(first, i)).filter((d) => d.slice(0, 7) === first.slice(0, 7));
        const jobs = days.map((d) => jobsDueOn(d, reconciliationDay));
        expect(jobs.filter((j) => j.reminders !== null)).toHaveLength(1);
        expect(jobs.filter((j) => j.reconcile !== null)).toHaveLength(1);
        expect(jobs.find((j) => j.reconcile !== null)?.reconcile?.period).toBe(previousPeriod(first));
      }),
    );
  });
});
