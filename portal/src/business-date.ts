/**
 * Every date and month the portal fills in by default (a request's date, a ship date, the
 * month shown) is the business date: the wall-clock date in the business time zone the API
 * is configured with (Asia/Shanghai unless told otherwise), never the browser's UTC date —
 * which is a day behind Beijing from 00:00 to 08:00 — nor the browser's own zone.
 */
import { addDays, addMonths, businessDateOf, businessDateTimeOf, DEFAULT_TIME_ZONE, nextPeriod, periodBounds, periodOf, type IsoDate, type Period } from '../../shared/domain/dates.js';

let zone = DEFAULT_TIME_ZONE;

/** Takes the zone the API names (`/api/me`'s `business_time_zone`) for every date after this. */
export function useBusinessTimeZone(timeZone: string | undefined): void {
  if (timeZone) zone = timeZone;
}

/** Today, in the business zone. */
export const today = (now: Date = new Date()): IsoDate => businessDateOf(now, zone);

/** The month before today's, in the business zone: the month whose reports are due now. */
export const previousMonth = (now: Date = new Date()): Period => periodOf(addMonths(periodBounds(periodOf(today(now))).first, -1));

/** The date the schedule reconciles `period` at: the `day`th of the next month (5th by default). */
export const scheduledAsOf = (period: Period, day = 5): IsoDate => addDays(periodBounds(nextPeriod(period)).first, day - 1);

/** A stored instant (ISO-8601) as a clock in the business zone shows it: `2026-12-07 07:17`. */
export const dateTime = (iso: string): string => {
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? iso : businessDateTimeOf(instant, zone);
};

/** A wall-clock time the API keeps in the business zone already (`2026-12-07T15:17:00`, no offset), as the screen shows it: `2026-12-07 15:17`. */
export const wallClock = (local: string): string => local.slice(0, 16).replace('T', ' ');
