import { decodeCursor, MAX_PAGE_SIZE, pageBy, pageOfKeys, type KeyPage, type PageRequest } from '../domain/paging.js';
import { Refusal } from './access.js';
import { forEachLimited } from './concurrency.js';

/** How many dealers' items are read at once for one page: enough to hide DynamoDB's latency, few enough not to throttle. */
export const DEALER_READS_IN_FLIGHT = 8;

/**
 * The dealer codes of one page of a cross-dealer list; every code when no page is asked for
 * (the CLI and the workers, which read the whole list). A cursor this API did not give is
 * refused (400) in both languages.
 */
export function dealerPage(codes: readonly string[], page: PageRequest | undefined, defaultSize: number): KeyPage {
  if (page === undefined) return { keys: [...codes], next_cursor: null };
  return pageOfKeys(codes, page, defaultSize) ?? badCursor();
}

/** One page of `items` sorted by their unique key (every item without a page), refusing a cursor this API did not give. */
export function itemPage<T>(items: readonly T[], keyOf: (item: T) => string, page: PageRequest | undefined, defaultSize: number): { items: T[]; next_cursor: string | null } {
  if (page === undefined) return { items: [...items], next_cursor: null };
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  return pageBy(sorted, keyOf, page, defaultSize) ?? badCursor();
}

/**
 * Where a page of a list the store pages itself (by dealer code) begins and how long it is:
 * after the cursor's dealer, at most `limit` (else `defaultSize`); a cursor this API did not give is refused.
 */
export function pageAfter(page: PageRequest, defaultSize: number): { after?: string; limit: number } {
  const limit = Math.max(1, Math.min(page.limit ?? defaultSize, MAX_PAGE_SIZE));
  if (page.cursor === undefined) return { limit };
  const after = decodeCursor(page.cursor);
  return after === null ? badCursor() : { after, limit };
}

function badCursor(): never {
  throw new Refusal('invalid', 'The cursor is not one this list gave; ask for the first page again without it', '翻页标记（cursor）无效，请不带该参数重新读取第一页');
}

/** `read` of each code, at most DEALER_READS_IN_FLIGHT at a time, answers in the codes' order. */
export async function readEachDealer<T>(codes: readonly string[], read: (code: string) => Promise<T>): Promise<T[]> {
  const out = new Map<string, T>();
  await forEachLimited(codes, DEALER_READS_IN_FLIGHT, async (code) => {
    out.set(code, await read(code));
  });
  return codes.map((code) => out.get(code) as T);
}
