import { beforeEach, describe, expect, it } from 'vitest';
import { designHazards, markDesignHazard, unboxingCasePage, unboxingCases, unboxingPhotoUpload, unboxingStep } from '../../../shared/app/quality/unboxing.js';
import { monthStatistics } from '../../../shared/app/statistics.js';
import { repairRecord } from '../../helpers/month-fixtures.js';
import { inWarranty } from '../../contract/fixtures.js';
import { installation } from '../../contract/fixtures.js';
import { caller, currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

/** D001's October installations: IN-1 with a scratched panel (installed 10-10), IN-2 without a problem; D002's IN-9 missing its manual (10-30). */
let office: DemoBackOffice;
const admin = caller('admin');
const key = { dealer: 'D001', period: '2026-10', install_id: 'IN-1' };

beforeEach(async () => {
  office = await demoBackOffice('2026-11-02T02:00:00.000Z');
  await currentReport(office, { dealer: 'D001', type: 'installation', period: '2026-10' }, [
    installation({ install_id: 'IN-1', install_date: '2026-10-10', unboxing_issue: '面板划伤' }),
    installation({ install_id: 'IN-2', serial_no: 'SN-2' }, 3),
  ]);
  await currentReport(office, { dealer: 'D002', type: 'installation', period: '2026-10' }, [installation({ install_id: 'IN-9', install_date: '2026-10-31', unboxing_issue: '缺说明书' })]);
});

describe('unboxing cases', () => {
  it("lists every unboxing problem of the month, the overdue first, for the department and finance; a dealer's own list is not theirs", async () => {
    const cases = await unboxingCases(office, caller('finance'), '2026-10');
    expect(cases.map((c) => [c.dealer, c.install_id, c.issue, c.due_date, c.status, c.overdue])).toEqual([
      ['D001', 'IN-1', '面板划伤', '2026-10-12', 'open', true],
      ['D002', 'IN-9', '缺说明书', '2026-11-02', 'open', false],
    ]);
    await expect(unboxingCases(office, caller('dealer', 'D001'), '2026-10')).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('gives the list a page of reporting dealers at a time, each case once', async () => {
    const first = await unboxingCasePage(office, caller('finance'), '2026-10', undefined, { limit: 1 });
    const second = await unboxingCasePage(office, caller('finance'), '2026-10', undefined, { limit: 1, cursor: first.next_cursor ?? '' });
    expect([first, second].map((p) => p.cases.map((c) => c.install_id))).toEqual([['IN-1'], ['IN-9']]);
    expect(second.next_cursor).toBeNull();
  });

  it('takes the written plan, a photo by presigned upload and the closing note, with who and when; finance may not act', async () => {
    await expect(unboxingStep(office, caller('finance'), key, { kind: 'plan', text: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    expect(await unboxingStep(office, admin, key, { kind: 'close', note: '已处理' })).toMatchObject({ status: 'rejected', errors: [{ field: 'status' }] });
    expect(await unboxingStep(office, admin, key, { kind: 'plan', text: '更换面板，三日内上门' })).toMatchObject({ status: 'updated', case: { status: 'planned', overdue: false, plan: { by: 'admin-user' }, version: 1 } });
    const photo = await unboxingPhotoUpload(office, admin, key, 'image/jpeg');
    expect(photo.key).toMatch(/^unboxing-photos\/D001\/2026-10\/IN-1\/.+\.jpg$/);
    expect(photo.upload.url).toBeTruthy();
    await expect(unboxingPhotoUpload(office, admin, key, 'application/pdf')).rejects.toMatchObject({ code: 'invalid' });
    await unboxingStep(office, admin, key, { kind: 'close', note: '已更换面板' });
    const [shown] = await unboxingCases(office, admin, '2026-10', 'D001');
    expect(shown).toMatchObject({ status: 'closed', photos: [photo.key], closed: { note: '已更换面板' }, version: 3 });
    expect(shown!.photo_urls).toHaveLength(1);
    await expect(unboxingStep(office, admin, { ...key, install_id: 'IN-2' }, { kind: 'plan', text: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('unboxing cases in the statistics', () => {
  it('counts each dealer’s cases as the department’s list shows them: planned once the plan is in, open past the due date apart', async () => {
    await unboxingStep(office, admin, { dealer: 'D002', period: '2026-10', install_id: 'IN-9' }, { kind: 'plan', text: '补寄说明书' });
    const { statistics } = await monthStatistics(office, '2026-10');
    expect(statistics.unboxing.cases).toEqual({
      rows: [
        { dealer_code: 'D001', cases: 1, open: 1, planned: 0, closed: 0, overdue: 1 },
        { dealer_code: 'D002', cases: 1, open: 0, planned: 1, closed: 0, overdue: 0 },
      ],
      not_closed: 2,
      overdue: 1,
    });
  });
});

describe('design hazards (设计隐患)', () => {
  it("marks a repair of the dealer's report once, with the unit, the fault and who marked it, for the department's list; a dealer only its own", async () => {
    const { phase: _p, materials_charged: _m, ...record } = repairRecord({ repair_id: 'RP-7', fault_description: '冲水无力', fault_cause: '阀体设计缺陷' });
    const { phase: _q, materials_charged: _n, ...visit } = repairRecord({ repair_id: 'RV-1', service_type: 'return_visit' });
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [{ kind: 'repair', row: 2, record, classification: inWarranty }, { kind: 'repair', row: 3, record: visit, classification: inWarranty }]);
    const marked = await markDesignHazard(office, caller('dealer', 'D001'), 'D001', 'RP-7', '同型号本月第三次');
    expect(marked).toMatchObject({ status: 'marked', hazard: { dealer: 'D001', repair_id: 'RP-7', fault_cause: '阀体设计缺陷', note: '同型号本月第三次', marked_by: 'dealer-user' } });
    await expect(markDesignHazard(office, admin, 'D001', 'RP-7', 'again')).rejects.toMatchObject({ code: 'conflict' });
    expect(await markDesignHazard(office, admin, 'D001', 'RV-1', '回访')).toMatchObject({ status: 'rejected', errors: [{ field: 'repair_id' }] });
    await expect(markDesignHazard(office, caller('dealer', 'D002'), 'D001', 'RP-7', 'x')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(markDesignHazard(office, admin, 'D001', 'NONE', 'x')).rejects.toMatchObject({ code: 'not_found' });
    expect((await designHazards(office, admin)).map((h) => h.repair_id)).toEqual(['RP-7']);
    expect(await designHazards(office, caller('dealer', 'D002'))).toEqual([]);
  });
});
