import type { DealerArchiveJob, StatisticsJob, StatisticsJobs } from '../../../shared/app/ports.js';

/** The statistics queue in memory: keeps the jobs asked for, for a test to run as the worker would, or not yet. */
export class MemoryStatisticsJobs implements StatisticsJobs {
  readonly requested: (StatisticsJob | DealerArchiveJob)[] = [];

  async request(job: StatisticsJob | DealerArchiveJob): Promise<void> {
    this.requested.push(job);
  }

  /** Takes the jobs asked for so far off the queue, oldest first. */
  take(): (StatisticsJob | DealerArchiveJob)[] {
    return this.requested.splice(0);
  }
}
