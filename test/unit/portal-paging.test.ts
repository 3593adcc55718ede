import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorTrail } from '../../portal/src/paging.js';

/** A list of `pages` pages as the API answers it: page i's next cursor is `c<i+1>`, none on the last. */
const answer = (cursor: string | null, pages: number): string | null => {
  const page = cursor === null ? 0 : Number(cursor.slice(1));
  return page + 1 < pages ? `c${page + 1}` : null;
};

describe("the portal's walk through a paged list", () => {
  it('asks for the first page without a cursor, goes forward by the cursor the page gave and back to the cursor before', () => {
    const trail = new CursorTrail();
    expect(trail.current()).toBeNull();
    trail.shown('c1');
    expect([trail.hasPrevious, trail.hasNext]).toEqual([false, true]);
    expect(trail.forward()).toBe(true);
    expect(trail.current()).toBe('c1');
    trail.shown(null);
    expect([trail.hasPrevious, trail.hasNext, trail.forward()]).toEqual([true, false, false]);
    expect(trail.back()).toBe(true);
    expect(trail.current()).toBeNull();
    expect(trail.back()).toBe(false);
  });

  it('starts again from the first page when a filter changes', () => {
    const trail = new CursorTrail();
    trail.shown('c1');
    trail.forward();
    trail.reset();
    expect([trail.current(), trail.hasPrevious, trail.hasNext]).toEqual([null, false, false]);
  });

  it('shows every page once, in order, whatever the clicks, and never a page that is not there', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.boolean(), { maxLength: 30 }), (pages, clicks) => {
        const trail = new CursorTrail();
        const page = () => (trail.current() === null ? 0 : Number(trail.current()!.slice(1)));
        trail.shown(answer(trail.current(), pages));
        for (const forward of clicks) {
          const before = page();
          const moved = forward ? trail.forward() : trail.back();
          if (moved) trail.shown(answer(trail.current(), pages));
          expect(page()).toBe(moved ? before + (forward ? 1 : -1) : before);
          expect(page()).toBeGreaterThanOrEqual(0);
          expect(page()).toBeLessThan(pages);
        }
      }),
      { numRuns: 100 },
    );
  });
});
