import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDateOf, compareDates } from '../../shared/domain/dates.js';
import { approvalAfterShipDate, type LineDecision, type RequestLine } from '../../shared/domain/request.js';
import { anyDate } from '../helpers/arbitraries.js';

const SHANGHAI = 'Asia/Shanghai';

/** A request line as the ship rule reads it: its number and its decision. */
const decided = (line: number, decision: Partial<LineDecision> | null): RequestLine =>
  ({
    line,
    decision: decision === null ? null : { outcome: 'approved', kind: 'warranty_loan', return_required: null, reason: null, by: 'admin', at: '2026-11-02T02:00:00.000Z', invoice_no: null, unit_price: null, ...decision },
  }) as RequestLine;

describe('the ship date is never before the approval (domain.md, Material requests step 5)', () => {
  it('refuses 2000-01-01 for a line approved on 2026-11-02, naming that line and date', () => {
    expect(approvalAfterShipDate([decided(1, {})], '2000-01-01', SHANGHAI)).toEqual({ line: 1, approved_on: '2026-11-02' });
  });

  it('takes the approval date in the business time zone: approved 2026-11-01T20:00Z is 2026-11-02 in Shanghai', () => {
    expect(approvalAfterShipDate([decided(1, { at: '2026-11-01T20:00:00.000Z' })], '2026-11-01', SHANGHAI)).toEqual({ line: 1, approved_on: '2026-11-02' });
    expect(approvalAfterShipDate([decided(1, { at: '2026-11-01T20:00:00.000Z' })], '2026-11-02', SHANGHAI)).toBeNull();
  });

  it('names the line approved last among those shipping', () => {
    const lines = [decided(1, { at: '2026-10-20T02:00:00.000Z' }), decided(2, { at: '2026-11-03T02:00:00.000Z' }), decided(3, null)];
    expect(approvalAfterShipDate(lines, '2026-11-01', SHANGHAI)).toEqual({ line: 2, approved_on: '2026-11-03' });
  });

  it('property: a ship date is refused exactly when it comes before the business date of some approval', () => {
    const anyInstant = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-12-31T00:00:00Z') }).map((ms) => new Date(ms).toISOString());
    fc.assert(
      fc.property(fc.array(anyInstant, { minLength: 1, maxLength: 5 }), anyDate(2000, 2041), (approvals, shipped) => {
        const lines = approvals.map((at, i) => decided(i + 1, { at }));
        const found = approvalAfterShipDate(lines, shipped, SHANGHAI);
        const early = approvals.filter((at) => compareDates(shipped, businessDateOf(new Date(at), SHANGHAI)) < 0);
        expect(found !== null).toBe(early.length > 0);
        if (found !== null) {
          expect(compareDates(shipped, found.approved_on)).toBeLessThan(0);
          for (const at of approvals) expect(compareDates(businessDateOf(new Date(at), SHANGHAI), found.approved_on)).toBeLessThanOrEqual(0);
        }
      }),
    );
  });
});
