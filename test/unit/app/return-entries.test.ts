import { beforeEach, describe, expect, it } from 'vitest';
import { listReturns, recordReturnEntry, type ReturnEntryInput } from '../../../shared/app/return-entries.js';
import { listRequestsAs } from '../../../shared/app/requests/api.js';
import { caller, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

/**
 * Issue 25, the return warehouse: one return line typed in the portal is checked by the returns
 * workbook's own rules, each error naming its field in both languages, and recorded in the
 * parts ledger; the returns recorded are listed, the dealer typed in any letter case.
 */
let office: DemoBackOffice;
const warehouse = caller('warehouse');

beforeEach(async () => {
  office = await demoBackOffice('2026-11-20T02:00:00.000Z');
});

const entry = (more: Partial<ReturnEntryInput> = {}): ReturnEntryInput => ({
  return_id: 'TH-1', received_date: '2026-11-18', dealer_code: 'd001', part_code: 'P-VALVE-01', qty: '2', ...more,
});

describe('a return typed in the portal', () => {
  it('is recorded in the parts ledger as a returns file line would be, the dealer code in any letter case', async () => {
    // Act
    const first = await recordReturnEntry(office, warehouse, entry());
    const again = await recordReturnEntry(office, warehouse, entry());

    // Assess
    expect(first).toMatchObject({ status: 'recorded', line: { return_id: 'TH-1', line: 1, dealer_code: 'D001', qty: 2 } });
    expect(again.status).toBe('already_recorded');
    expect((await office.ledger.dealerLedger('D001', '2026-11-20')).returns.map((r) => [r.return_id, r.qty])).toEqual([['TH-1', 2]]);
  });

  it('is refused with each error naming its field in both languages, and nothing is recorded', async () => {
    // Act
    const refused = await recordReturnEntry(office, warehouse, entry({ dealer_code: 'D999', part_code: 'NOPE', qty: '-1', received_date: '2026-11-25' }));

    // Assess
    expect(refused.status).toBe('rejected');
    const errors = refused.status === 'rejected' ? refused.errors : [];
    expect(errors.map((e) => e.column).sort()).toEqual(['dealer_code', 'part_code', 'qty', 'received_date']);
    for (const e of errors) expect(e.message_zh).not.toBe(e.message);
    expect((await office.ledger.dealerLedger('D001', '2026-11-20')).returns).toEqual([]);
  });

  it('refuses the same slip line typed again with other content, naming what is recorded', async () => {
    // Prepare
    await recordReturnEntry(office, warehouse, entry());

    // Act
    const other = await recordReturnEntry(office, warehouse, entry({ qty: 3 }));
    const secondLine = await recordReturnEntry(office, warehouse, entry({ qty: 3, line: 2 }));

    // Assess
    expect(other).toMatchObject({ status: 'rejected', errors: [{ code: 'ledger_conflict', column: 'return_id' }] });
    expect(secondLine.status).toBe('recorded');
  });

  it('is the warehouse’s and the admin’s only', async () => {
    await expect(recordReturnEntry(office, caller('finance'), entry())).rejects.toMatchObject({ code: 'forbidden' });
    await expect(recordReturnEntry(office, caller('dealer', 'D001'), entry())).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('the returns recorded', () => {
  it('lists the newest first by dealer, the dealer typed in any letter case, and from a date', async () => {
    // Prepare
    await recordReturnEntry(office, warehouse, entry());
    await recordReturnEntry(office, warehouse, entry({ return_id: 'TH-2', received_date: '2026-11-19', qty: 1 }));
    await recordReturnEntry(office, warehouse, entry({ return_id: 'TH-3', dealer_code: 'D003', received_date: '2026-06-01' }));

    // Act
    const all = await listReturns(office, warehouse, {});
    const d001 = await listReturns(office, warehouse, { dealer: 'D001'.toLowerCase() });
    const since = await listReturns(office, warehouse, { dealer: 'd003', from: '2026-01-01' });

    // Assess
    expect(all.returns.map((r) => r.return_id)).toEqual(['TH-2', 'TH-1']);
    expect(d001).toMatchObject({ dealer: 'D001', dealers_read: ['D001'] });
    expect(since.returns.map((r) => [r.return_id, r.dealer_name])).toEqual([['TH-3', '西南售后服务站']]);
  });
});

describe('the request queue’s dealer filter', () => {
  it('finds a dealer’s requests whatever the letter case typed', async () => {
    // Act
    const lower = listRequestsAs(office, caller('admin'), { dealer: 'd001' });

    // Assess
    await expect(lower).resolves.toEqual([]);
    await expect(listRequestsAs(office, caller('dealer', 'D001'), { dealer: 'd001' })).resolves.toEqual([]);
  });
});
