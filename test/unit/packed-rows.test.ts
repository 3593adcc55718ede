import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PACKED_JSON_BYTES, packRows, unpackRows } from '../../shared/store/packed-rows.js';

/** DynamoDB's item limit, less room for the keys and attribute names of a packed item. */
const ITEM_ROOM = 400 * 1024 - 1024;

const row = fc.record({
  row: fc.nat(),
  repair_id: fc.string({ maxLength: 40 }),
  owner_name: fc.string({ unit: 'grapheme', maxLength: 80 }),
  remarks: fc.option(fc.string({ unit: 'binary', maxLength: 500 }), { nil: null }),
  part_qty: fc.integer({ min: 1, max: 999 }),
});

describe('packed rows', () => {
  it('give back every row, in order, across as many packs as it takes', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 300 }), fc.integer({ min: 2_000, max: 50_000 }), (rows, maxJsonBytes) => {
        // Act
        const packs = packRows(rows, maxJsonBytes);
        // Assess
        expect(packs.flatMap((p) => unpackRows<unknown>(p.gzipped))).toEqual(rows);
        expect(packs.flatMap((p) => p.rows)).toEqual(rows);
        for (const pack of packs) expect(Buffer.byteLength(JSON.stringify(pack.rows))).toBeLessThanOrEqual(maxJsonBytes);
      }),
      { numRuns: 50 },
    );
  });

  it('keep every pack within an item even when the rows do not compress at all', () => {
    // Prepare: 10,000 rows of random characters, 1 KB each, that gzip cannot shrink
    const random = (n: number) => Array.from({ length: n }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 20_000))).join('');
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ row: i + 3, text: random(340) }));
    // Act
    const packs = packRows(rows);
    // Assess
    expect(packs.length).toBeGreaterThan(1);
    for (const pack of packs) expect(pack.gzipped.byteLength).toBeLessThan(ITEM_ROOM);
    expect(packs.flatMap((p) => unpackRows<unknown>(p.gzipped))).toEqual(rows);
  });

  it('put a typical month of repairs in a few items', () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => ({ row: i + 3, repair_id: `RP-${i}`, owner_name: `业主${i}`, address: `上海市浦东新区张江路 ${i} 号`, phone: String(13_000_000_000 + i) }));
    const packs = packRows(rows);
    expect(packs.length).toBeLessThanOrEqual(2);
    expect(PACKED_JSON_BYTES).toBeLessThan(ITEM_ROOM);
  });

  it('refuse a row larger than an item rather than write an item DynamoDB would refuse', () => {
    expect(() => packRows([{ text: 'x'.repeat(400_000) }])).toThrow(RangeError);
  });
});
