/**
 * How the portal waits for an upload's verdict: every half second for the first five seconds,
 * since a month's report is judged in under a second (2,000 rows in 0.5–0.8 s), so the dealer
 * sees it within half a second of it being there; then less and less often up to every 30 s,
 * and not for ever: a page left open must not poll the API all day (every dealer's open tab
 * shares its rate).
 */
export const FIRST_POLL_MS = 500;
/** Asks at FIRST_POLL_MS before the waits start to double. */
export const STEADY_POLLS = 10;
export const MAX_POLL_MS = 30_000;
/** After this long the page stops asking and tells the dealer to look again later. */
export const GIVE_UP_AFTER_MS = 15 * 60_000;

/** The wait before the `attempt`-th status request after the first (0-based): doubling, capped. */
export const pollDelay = (attempt: number): number =>
  attempt < STEADY_POLLS ? FIRST_POLL_MS : Math.min(MAX_POLL_MS, FIRST_POLL_MS * 2 ** Math.min(attempt - STEADY_POLLS + 1, 16));

/**
 * Asks `check` until it answers something other than undefined, waiting `pollDelay` between
 * asks; undefined when GIVE_UP_AFTER_MS has passed first.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, wait: (ms: number) => Promise<void>, now: () => number = Date.now): Promise<T | undefined> {
  const started = now();
  for (let attempt = 0; ; attempt++) {
    const answer = await check();
    if (answer !== undefined) return answer;
    const delay = pollDelay(attempt);
    if (now() + delay - started > GIVE_UP_AFTER_MS) return undefined;
    await wait(delay);
  }
}
