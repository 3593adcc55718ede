import { afterAll, beforeAll, vi } from 'vitest';
import { systemClock } from '../../shared/app/ports.js';
import { businessDateOf, businessDateTimeOf, DEFAULT_TIME_ZONE, type IsoDate } from '../../shared/domain/dates.js';

/**
 * For a test file that runs the back office in the test's own process (the CLI's `main`, the API's
 * handler): the back office's clock (`systemClock`, which every handler, job and command reads)
 * set to noon of today's business date when the file's tests start, running on in real time,
 * and put back after them. Answers that date, the file's "today". On the real clock a file that
 * runs across business midnight (16:00 UTC) would date one step by one day and check it against
 * the next.
 */
export function atBusinessNoon(timeZone = DEFAULT_TIME_ZONE): IsoDate {
  const today = businessDateOf(new Date(), timeZone);
  let pinned: { mockRestore(): void } | undefined;
  beforeAll(() => {
    const startedAt = Date.now();
    const noon = instantOf(today, '12:00', timeZone);
    pinned = vi.spyOn(systemClock, 'now').mockImplementation(() => new Date(noon + (Date.now() - startedAt)));
  });
  afterAll(() => pinned?.mockRestore());
  return today;
}

/**
 * For a walk through the portal, where the back office, Chromium and the test each read their
 * own real clock: today's business date, once business midnight is at least `minutes` away
 * (waited out if it is nearer), so that the walk's "today" is every process's.
 */
export async function clearOfBusinessMidnight(minutes = 3, timeZone = DEFAULT_TIME_ZONE): Promise<IsoDate> {
  const now = Date.now();
  const midnight = instantOf(businessDateOf(new Date(now), timeZone), '24:00', timeZone);
  if (midnight - now < minutes * 60_000) await new Promise((resolve) => setTimeout(resolve, midnight - now + 1_000));
  return businessDateOf(new Date(), timeZone);
}

/** The instant a wall clock in `timeZone` reads `time` on `date` (the zone's offset that day, to the minute). */
function instantOf(date: IsoDate, time: string, timeZone: string): number {
  const guess = Date.parse(`${date}T12:00:00Z`);
  const offset = Date.parse(`${businessDateTimeOf(new Date(guess), timeZone).replace(' ', 'T')}:00Z`) - guess;
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return Date.parse(`${date}T00:00:00Z`) + (hours * 60 + minutes) * 60_000 - offset;
}
