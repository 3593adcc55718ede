import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A report version's rows packed many to an item, as gzipped JSON. A version is only ever read
 * back whole and in order, so one item per row bought nothing and cost a request's worth of
 * work per row: about 150 items a second into the on-disk DynamoDB Local that `npm start`
 * keeps, and on AWS a write unit per row however small (1 KB each), all into one partition.
 * Packed, a 2,000-row report is three items, and a 200,000-row one a few hundred, each a
 * fraction of its JSON size in write units.
 */

/**
 * JSON bytes per packed item before compression. gzip never grows data by more than a few
 * bytes per 32 KB block, so an item stays under DynamoDB's 400 KB with its keys whatever the
 * rows hold.
 */
export const PACKED_JSON_BYTES = 350_000;

export interface Pack<T> {
  readonly rows: readonly T[];
  readonly gzipped: Uint8Array;
}

/** Splits `rows`, in order, into packs of at most `maxJsonBytes` of JSON each, gzipped. */
export function packRows<T>(rows: readonly T[], maxJsonBytes: number = PACKED_JSON_BYTES): Pack<T>[] {
  const packs: Pack<T>[] = [];
  let current: T[] = [];
  let parts: string[] = [];
  let bytes = 2;
  const close = () => {
    if (current.length === 0) return;
    packs.push({ rows: current, gzipped: gzipSync(`[${parts.join(',')}]`) });
    current = [];
    parts = [];
    bytes = 2;
  };
  for (const row of rows) {
    const json = JSON.stringify(row);
    const size = Buffer.byteLength(json) + 1;
    if (size + 2 > maxJsonBytes) throw new RangeError(`one row is ${size} bytes of JSON, more than a packed item holds (${maxJsonBytes})`);
    if (bytes + size > maxJsonBytes) close();
    current.push(row);
    parts.push(json);
    bytes += size;
  }
  close();
  return packs;
}

/** The rows of one packed item, in the order they were packed. */
export function unpackRows<T>(gzipped: Uint8Array): T[] {
  return JSON.parse(gunzipSync(gzipped).toString('utf8')) as T[];
}
