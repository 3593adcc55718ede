import { describe, expect, it, vi } from 'vitest';
import { complaintsWorkbook, EXPORT_MAX_ROWS } from '../../../shared/app/list-exports.js';
import { Refusal } from '../../../shared/app/access.js';
import { LIST_WORKBOOKS } from '../../../shared/sheets/list-workbooks.js';
import { complaintRecord } from '../../helpers/complaints.js';
import { caller, demoBackOffice } from '../../helpers/memory/world.js';

/**
 * Issue 25: an export answers in the API's one response, so a list longer than one export
 * holds is refused in both languages, saying what to narrow, before any workbook is written.
 */
describe('the bound of a list export', () => {
  it('refuses a register longer than an export holds, and exports it narrowed to a dealer', async () => {
    // Prepare: one complaint more than the bound, all but one of them D002's
    const office = await demoBackOffice('2026-11-05T02:00:00.000Z');
    for (let i = 0; i <= EXPORT_MAX_ROWS; i += 1) {
      await office.complaints.create(complaintRecord({ complaint_id: `C-${i}`, dealer_code: i === 0 ? 'D001' : 'D002' }));
    }
    const complaints = vi.fn(LIST_WORKBOOKS.complaints);
    const deps = { ...office, listWorkbooks: { ...LIST_WORKBOOKS, complaints } };

    // Act
    const whole = await complaintsWorkbook(deps, caller('admin'), {}).catch((error: unknown) => error);
    const narrowed = await complaintsWorkbook(deps, caller('admin'), { dealer: 'D001' });

    // Assess
    expect(whole).toBeInstanceOf(Refusal);
    expect(whole).toMatchObject({ code: 'invalid', message: expect.stringContaining(`${EXPORT_MAX_ROWS + 1} rows`), message_zh: expect.stringContaining('缩小范围') });
    expect(complaints).toHaveBeenCalledTimes(1);
    expect(complaints.mock.calls[0]![0].map((c) => c.complaint_id)).toEqual(['C-0']);
    expect(narrowed.fileName).toBe('complaints-D001.xlsx');
  });
});
