import { beforeEach, describe, expect, it } from 'vitest';
import { ingestReport, type IngestRequest } from '../../../shared/app/ingest-report.js';
import type { ProjectionJob, ReportTarget } from '../../../shared/app/ports.js';
import { inProcessProjectionJobs, projectReport } from '../../../shared/app/report-projections.js';
import { tell } from '../../../shared/app/notices/tell.js';
import { MemoryMailer } from '../../helpers/memory/index.js';
import { demoBackOffice, type DemoBackOffice } from '../../helpers/memory/world.js';
import { installationRow, repairRow, reportWorkbook } from '../../helpers/reports.js';

/**
 * The verdict first (issue 28): an accepted report's outcome is recorded before its archive
 * entries and unit histories exist; the projection job builds them after, says so on the
 * outcome, and may run any number of times.
 */

const october = (type: ReportTarget['type']): ReportTarget => ({ type, dealer: 'D001', period: '2026-10' });
const unit = { product_model: 'WC-800', serial_no: 'SN-WC-0001' };

let office: DemoBackOffice;
let jobs: ProjectionJob[];
let uploads = 0;

const request = async (target: ReportTarget, rows: Record<string, unknown>[]): Promise<IngestRequest> => ({
  bytes: await reportWorkbook(target.type, rows),
  target,
  receivedAt: new Date('2026-11-02T08:00:00+08:00'),
  sourceId: `upload-${(uploads += 1)}`,
});
/** The ingest as the deployed one runs: projections handed on, not built. */
const ingest = (req: IngestRequest) => ingestReport({ ...office, projections: { request: async (job) => void jobs.push(job) } }, req);

beforeEach(async () => {
  office = await demoBackOffice();
  jobs = [];
});

describe('the verdict first', () => {
  it('records an accepted installation report before its archive entries and histories, which the projection job then builds', async () => {
    // Act
    const req = await request(october('installation'), [installationRow()]);
    const result = await ingest(req);
    // Assess: the verdict, and nothing projected yet
    expect(result).toMatchObject({ status: 'accepted', version: 1, histories: 'pending' });
    expect(await office.reports.findOutcome(req.sourceId)).toMatchObject({ status: 'accepted', histories: 'pending' });
    expect(jobs).toEqual([{ target: october('installation'), version: 1, source: req.sourceId }]);
    expect((await office.archive.find([unit])).size).toBe(0);
    expect(await office.archive.history(unit)).toEqual([]);
    // Act: the worker's turn
    const projected = await projectReport(office, jobs[0]!);
    // Assess
    expect(projected).toEqual({ archived: 1, events: 1 });
    expect([...(await office.archive.find([unit])).values()]).toEqual([expect.objectContaining({ install_id: 'IN-0001', dealer_code: 'D001' })]);
    expect(await office.archive.history(unit)).toHaveLength(1);
    expect(await office.reports.findOutcome(req.sourceId)).toMatchObject({ status: 'accepted', histories: 'up_to_date' });
  });

  it('tells the department once of the unboxing problems a current installation report names, each with its plan’s due date', async () => {
    const req = await request(october('installation'), [installationRow({ unboxing_issue: '外箱破损', install_date: '2026-10-10' }), installationRow({ install_id: 'IN-0002', serial_no: 'SN-WC-0002' })]);
    await ingest(req);
    const deps = { ...office, notices: { tell: (event: Parameters<typeof tell>[1]) => tell({ ...office, mailer: new MemoryMailer() }, event) } };
    await projectReport(deps, jobs[0]!);
    await projectReport(deps, jobs[0]!);
    const told = await office.messages.list('admin');
    expect(told.map((m) => [m.kind, m.subject.zh])).toEqual([['unboxing_reported', '经销商 D001 报告开箱问题 1 个（2026-10）']]);
    expect(told[0]!.body.zh).toContain('- IN-0001 WC-800 SN-WC-0001：外箱破损（方案于 2026-10-12 前）');
  });

  it('projects the same version again without adding anything: a retried or redelivered job is harmless', async () => {
    await ingest(await request(october('installation'), [installationRow()]));
    await projectReport(office, jobs[0]!);
    const once = await office.archive.history(unit);
    await projectReport(office, jobs[0]!);
    expect(await office.archive.history(unit)).toEqual(once);
    expect((await office.archive.find([unit])).size).toBe(1);
  });

  it('writes no history for a version superseded before its job ran', async () => {
    const first = await request(october('repair'), [repairRow()]);
    await ingest(first);
    await ingest(await request(october('repair'), [repairRow({ fault_description: '第二版' })]));
    const [older, newer] = jobs;
    expect(await projectReport(office, newer!)).toMatchObject({ events: 1 });
    expect(await projectReport(office, older!)).toEqual({ archived: 0, events: 0 });
    expect((await office.archive.history(unit)).map((e) => e.kind === 'repair' && e.repair.fault_description)).toEqual(['第二版']);
  });

  it('hands the job on again when the upload is replayed while its histories are still pending', async () => {
    const req = await request(october('installation'), [installationRow()]);
    await ingest(req);
    const replay = await ingest(req);
    expect(replay).toMatchObject({ status: 'accepted', replayed: true });
    expect(jobs).toHaveLength(2);
    await projectReport(office, jobs[1]!);
    await ingest(req);
    expect(jobs).toHaveLength(2);
  });

  it('builds the projections itself, after the verdict, when no worker is configured (the command line, the tests)', async () => {
    const req = await request(october('installation'), [installationRow()]);
    const result = await ingestReport(office, req);
    expect(result).toMatchObject({ status: 'accepted', histories: 'up_to_date' });
    expect((await office.archive.find([unit])).size).toBe(1);
  });

  it('the in-process queue retries a failing job and reports it once it gives up', async () => {
    const job: ProjectionJob = { target: october('repair'), version: 1, source: 's' };
    let calls = 0;
    const failed: unknown[] = [];
    await new Promise<void>((done) => {
      const queue = inProcessProjectionJobs(
        async () => {
          calls += 1;
          throw new Error('table unavailable');
        },
        (_job, error) => {
          failed.push(error);
          done();
        },
      );
      void queue.request(job);
    });
    expect(calls).toBe(4);
    expect(failed).toEqual([new Error('table unavailable')]);
  }, 20_000);
});
