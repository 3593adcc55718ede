import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { ReportItem } from '../../../shared/app/ports.js';
import { recordComplaint } from '../../../shared/app/quality/complaints.js';
import { monthScorecards } from '../../../shared/app/quality/scorecard.js';
import { statisticsWorkbook } from '../../../shared/app/statistics-downloads.js';
import { percentOf } from '../../../shared/domain/kpi.js';
import { QUALITY_ROUTES } from '../../../functions/routes/quality.js';
import { inWarranty } from '../../contract/fixtures.js';
import { repairRecord } from '../../helpers/month-fixtures.js';
import { caller, currentReport, demoBackOffice } from '../../helpers/memory/world.js';

const repairItem = (repair_id: string, more: Parameters<typeof repairRecord>[0] = {}): ReportItem => {
  const { phase: _p, materials_charged: _m, ...record } = repairRecord({ repair_id, ...more });
  return { kind: 'repair', row: 2, record, classification: inWarranty };
};

/**
 * The "Done when": one month gives the same figures in the scorecard, the statistics
 * (its figures and its workbook) and the API the portal reads. October for D001: seven repair
 * calls — one reached after 30 h, one called at 23:00 and completed two days later (fixed
 * within 48 h, not 24 h), one 不满意 — a dissatisfied return visit that must count nowhere, and
 * one service-fault complaint.
 */
describe('one month, one set of figures', () => {
  it('agrees between the scorecard, the statistics, its workbook and the API', async () => {
    // Prepare
    const office = await demoBackOffice();
    await currentReport(office, { dealer: 'D001', type: 'repair', period: '2026-10' }, [
      ...['A', 'B', 'C', 'D'].map((id) => repairItem(id)),
      repairItem('LATE', { arrived_at: '2026-10-11T15:00:00', completed_date: '2026-10-11' }),
      repairItem('NIGHT', { called_at: '2026-10-10T23:00:00', arrived_at: '2026-10-11T08:00:00', completed_date: '2026-10-12' }),
      repairItem('UNHAPPY', { satisfaction: 'dissatisfied' }),
      repairItem('VISIT', { service_type: 'return_visit', satisfaction: 'dissatisfied', customer_confirmed: false, arrived_at: '2026-10-13T09:00:00' }),
    ]);
    await recordComplaint(office, caller('admin'), { complaint_id: 'C-1', received_at: '2026-10-20T10:00', dealer_code: 'D001', customer_name: '陈小姐', phone: '13912345678', category: 'attitude', service_fault: 'yes' });

    // Act
    const [card] = await monthScorecards(office, caller('admin'), '2026-10', 'D001');
    const { statistics, workbook } = await statisticsWorkbook(office, '2026-10');
    const scorecardsRoute = QUALITY_ROUTES.find((r) => r.method === 'GET' && r.path === '/api/scorecards')!;
    const api = await scorecardsRoute.run(office as never, caller('admin'), { params: {}, query: { period: '2026-10', dealer: 'D001' }, body: undefined });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(workbook as unknown as ArrayBuffer);

    // Assess: the scorecard as checked by hand
    expect(card).toMatchObject({
      repairs: 7,
      reached_24h: { numerator: 6, denominator: 7, value: '85.7', pass: false, breaches: ['LATE'] },
      fixed_24h: { numerator: 6, value: '85.7', breaches: ['NIGHT'] },
      fixed_48h: { numerator: 7, value: '100.0', pass: true },
      satisfaction: { numerator: 6, value: '85.7', pass: true, breaches: ['UNHAPPY'] },
      complaint_rate: { numerator: 1, denominator: 7, value: '14.2', pass: false, breaches: ['C-1'] },
    });
    // The statistics count the same shares, with the same verdicts
    const row = statistics.repairs.by_dealer.find((r) => r.dealer_code === 'D001')!;
    const fromStatistics = {
      reached_24h: [row.reached_24h, statistics.service.reached_24h.met],
      fixed_24h: [row.fixed_24h, null],
      fixed_48h: [row.fixed_48h, statistics.service.fixed_48h.met],
      satisfaction: [row.satisfied + row.fairly_satisfied, statistics.service.satisfaction.met],
      complaint_rate: [row.service_fault_complaints, statistics.service.complaint_rate.met],
    } as const;
    expect(row.repair_calls).toBe(card!.repairs);
    for (const [figure, [numerator, met]] of Object.entries(fromStatistics)) {
      const line = card![figure as keyof typeof fromStatistics];
      expect([figure, numerator, met]).toEqual([figure, line.numerator, line.pass]);
    }
    // The workbook shows the same one-decimal figures (truncated, as the scorecard)
    const response = book.getWorksheet('响应 Response')!;
    const shown = (column: number): string => (Math.round(Number(response.getCell(4, column).value) * 1000) / 10).toFixed(1);
    expect([shown(5), shown(6), shown(7), shown(8), shown(11)]).toEqual([card!.reached_24h.value, card!.fixed_24h.value, card!.fixed_48h.value, card!.satisfaction.value, card!.complaint_rate.value]);
    expect(percentOf(row.reached_24h, row.repair_calls)).toBe(card!.reached_24h.value);
    // The API (what the portal shows) answers the very same figures
    expect('json' in api ? api.json : undefined).toMatchObject({ dealers: [{ dealer: 'D001', repairs: 7, reached_24h: { value: '85.7', pass: false }, fixed_24h: { value: '85.7' }, satisfaction: { value: '85.7', pass: true }, complaint_rate: { value: '14.2', pass: false } }] });
  });
});
