/**
 * Pages of a list ordered by a text key (a dealer code), for the API's cross-dealer lists: a
 * caller asks for `limit` items and gets, besides them, an opaque cursor to ask for the next
 * page with, or null on the last page. The cursor names the last key given rather than a
 * position, so a dealer added to or removed from the master data between two pages neither
 * repeats nor skips another dealer.
 */

/** The most items a page holds; a larger `limit` is refused at the route. */
export const MAX_PAGE_SIZE = 100;

/** What a caller asks for: at most `limit` items, after `cursor` (none: from the start). */
export interface PageRequest {
  readonly limit?: number;
  readonly cursor?: string;
}

/** The keys of one page and the cursor of the next (null: this was the last). */
export interface KeyPage {
  readonly keys: string[];
  readonly next_cursor: string | null;
}

const MAX_KEY_LENGTH = 256;

/** The cursor that continues a list after `key`: base64url of a small JSON, opaque to callers. */
export const encodeCursor = (key: string): string => Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');

/** The key a cursor continues after, or null when the text is not a cursor this module made. */
export function decodeCursor(cursor: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Object.keys(parsed).length !== 1) return null;
  const after = (parsed as { after?: unknown }).after;
  return typeof after === 'string' && after.length > 0 && after.length <= MAX_KEY_LENGTH ? after : null;
}

/**
 * One page of `keys` (sorted ascending, no repeats): the first `limit` (else `defaultSize`)
 * after the cursor's key. Null when the cursor is not one this module made.
 */
export function pageOfKeys(keys: readonly string[], request: PageRequest, defaultSize: number): KeyPage | null {
  const page = pageBy(keys, (key) => key, request, defaultSize);
  return page === null ? null : { keys: page.items, next_cursor: page.next_cursor };
}

/** One page of `items`, sorted ascending by their unique `keyOf`, as `pageOfKeys` pages keys. */
export function pageBy<T>(items: readonly T[], keyOf: (item: T) => string, request: PageRequest, defaultSize: number): { items: T[]; next_cursor: string | null } | null {
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  if (after === null) return null;
  const size = Math.max(1, Math.min(request.limit ?? defaultSize, MAX_PAGE_SIZE));
  const start = after === undefined ? 0 : firstAfter(items, keyOf, after);
  const page = items.slice(start, start + size);
  const last = page.at(-1);
  return { items: page, next_cursor: last !== undefined && start + size < items.length ? encodeCursor(keyOf(last)) : null };
}

/** The index of the first item whose key is greater than `after`, by binary search. */
function firstAfter<T>(items: readonly T[], keyOf: (item: T) => string, after: string): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keyOf(items[mid] as T) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
