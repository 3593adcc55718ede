/**
 * When the monthly jobs run, in business dates: reminders for missing and late reports on the
 * 4th (the day after the reports were due), the reconciliation of the previous month on the
 * configured day (default the 5th), as of that day.
 */
import { addMonths, periodOf, REPORT_DEADLINE_DAY, type IsoDate, type Period } from './dates.js';

export const REMINDER_DAY = REPORT_DEADLINE_DAY + 1;

/** The month the jobs of `today` are about: the one before it. */
export const previousPeriod = (today: IsoDate): Period => periodOf(addMonths(today, -1));

export interface DueJobs {
  readonly reminders: Period | null;
  readonly reconcile: { readonly period: Period; readonly as_of: IsoDate } | null;
}

/** The jobs due on a business date. */
export function jobsDueOn(today: IsoDate, reconciliationDay: number): DueJobs {
  const day = Number(today.slice(8, 10));
  const period = previousPeriod(today);
  return {
    reminders: day === REMINDER_DAY ? period : null,
    reconcile: day === reconciliationDay ? { period, as_of: today } : null,
  };
}
