import type { BackOfficeConfig } from '../config.js';
import type { UnboxingCaseNotice } from '../domain/notices.js';
import { caseOf, DEFAULT_PLAN_DAYS } from '../domain/unboxing.js';
import type { ArchiveEntry, ArchiveStore, Notices, ProjectionJob, ProjectionJobs, ReportStore, ReportTarget } from './ports.js';
import { recordReportHistory } from './quality/archive.js';

/**
 * What an accepted report version adds to the rest of the system once the dealer has the
 * verdict: its installations to the end-user archive, its installations and repairs to the
 * units' histories (with their lookup terms), which the statistics and searches read, and the
 * department told of the unboxing problems it names (for immediate attention). Built by
 * the projection worker off the verdict's path (functions/project-report.ts on AWS, this
 * process locally); every step writes what it would write again, so a retried or repeated job
 * changes nothing, and a version can be projected again at any time to rebuild.
 */

export interface ProjectionDeps {
  readonly reports: ReportStore;
  readonly archive: ArchiveStore;
  /** Tells the department of the unboxing problems a current installation report names. */
  readonly notices?: Notices;
  readonly config?: Pick<BackOfficeConfig, 'unboxingPlanDays'>;
}

export interface Projected {
  /** Installations handed to the archive (which keeps, per unit, the latest installation). */
  readonly archived: number;
  /** Events recorded in the units' histories; 0 for a version no longer current. */
  readonly events: number;
}

/** Installations added to the archive per round trip. */
const CHUNK = 500;

/** Builds the projections of an accepted version and marks its outcome's histories up to date. */
export async function projectReport(deps: ProjectionDeps, job: ProjectionJob): Promise<Projected> {
  const { target, version } = job;
  const unboxing: UnboxingCaseNotice[] = [];
  const archived = target.type === 'installation' ? await archiveInstallations(deps, target, version, unboxing) : 0;
  // A version superseded before it was projected must not overwrite the newer version's events.
  const current = (await deps.reports.currentVersion(target))?.version === version;
  const events = current ? await recordReportHistory(deps, target, version) : 0;
  if (current && unboxing.length > 0) await deps.notices?.tell({ kind: 'unboxing_reported', dealer: target.dealer, period: target.period, cases: unboxing });
  const outcome = await deps.reports.findOutcome(job.source);
  if (outcome?.status === 'accepted' && outcome.version === version && outcome.histories === 'pending') {
    await deps.reports.recordOutcome(job.source, { ...outcome, histories: 'up_to_date' });
  }
  return { archived, events };
}

/** Adds the version's installations to the end-user archive, keyed by product and serial number; the unboxing cases they open go to `unboxing`. */
async function archiveInstallations(deps: ProjectionDeps, target: ReportTarget, version: number, unboxing: UnboxingCaseNotice[]): Promise<number> {
  let batch: ArchiveEntry[] = [];
  let archived = 0;
  for await (const item of deps.reports.readItems(target, version)) {
    if (item.kind !== 'installation') continue;
    const { record } = item;
    const opened = caseOf(target.dealer, target.period, record, deps.config?.unboxingPlanDays ?? DEFAULT_PLAN_DAYS);
    if (opened !== undefined) unboxing.push({ install_id: opened.install_id, product_model: opened.product_model, serial_no: opened.serial_no, issue: opened.issue, due_date: opened.due_date });
    batch.push({
      product_model: record.product_model,
      serial_no: record.serial_no,
      dealer_code: target.dealer,
      install_id: record.install_id,
      install_date: record.install_date,
      purchase_date: record.purchase_date,
      commissioning: record.commissioning,
      owner_name: record.owner_name,
      address: record.address,
    });
    if (batch.length >= CHUNK) {
      await deps.archive.put(batch);
      archived += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await deps.archive.put(batch);
  return archived + batch.length;
}

const RETRY_DELAYS_MS = [200, 1_000, 5_000];

/**
 * Locally and on the command line: the job runs in this process after the verdict, not
 * awaited, as the queue's worker would run it elsewhere; retried as the queue would redeliver
 * it, then handed to `onFailure` (the outcome stays 'pending', as with a message parked in the
 * dead-letter queue, and the job can be run again).
 */
export function inProcessProjectionJobs(run: (job: ProjectionJob) => Promise<unknown>, onFailure: (job: ProjectionJob, error: unknown) => void): ProjectionJobs {
  const attempt = async (job: ProjectionJob): Promise<void> => {
    for (let i = 0; ; i++) {
      try {
        await run(job);
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[i];
        if (delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
  return {
    async request(job) {
      void attempt(job).catch((error: unknown) => onFailure(job, error));
    },
  };
}
