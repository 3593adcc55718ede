import { beforeEach, describe, expect, it } from 'vitest';
import { reportFollowUps } from '../../../shared/app/reminders.js';
import { installation } from '../../contract/fixtures.js';
import { currentReport, demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';

let office: DemoBackOffice;

beforeEach(async () => {
  office = await demoBackOffice();
});

describe('the reminders of the 4th', () => {
  it('lists every report of the month still missing, or whose current version came in late, dealer by dealer', async () => {
    // Prepare
    await currentReport(office, { dealer: 'D001', type: 'installation', period: '2026-10' }, [installation()]);
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [], true);
    await currentReport(office, { dealer: 'D002', type: 'installation', period: '2026-10' }, [installation()]);
    await currentReport(office, { dealer: 'D002', type: 'repair', period: '2026-10' }, []);
    // Act
    const followUps = await reportFollowUps(office, '2026-10');
    // Assess
    expect(followUps.map((f) => [f.dealer, f.type, f.status])).toEqual([
      ['D001', 'repair', 'late'],
      ['D003', 'installation', 'missing'],
      ['D003', 'repair', 'missing'],
    ]);
    expect(followUps[1]?.dealer_name).toBe('西南售后服务站');
  });
});
