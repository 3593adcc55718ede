import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DealerArchiveJob, StatisticsJob, StatisticsJobs } from '../app/ports.js';

/** The statistics queue on AWS: one message per request (a month's statistics or a dealer archive), which the statistics worker takes (functions/statistics.ts). */
export function sqsStatisticsJobs(queueUrl: string, client: SQSClient): StatisticsJobs {
  return {
    async request(job: StatisticsJob | DealerArchiveJob) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));
    },
  };
}

/**
 * Locally and on the command line: the job runs in this process and is not awaited, as the
 * queue's worker would run it elsewhere; a failure is handed to `onFailure` (the request stays
 * `preparing`, as it would with a message parked in the dead-letter queue).
 */
export function inProcessStatisticsJobs(run: (job: StatisticsJob | DealerArchiveJob) => Promise<unknown>, onFailure: (job: StatisticsJob | DealerArchiveJob, error: unknown) => void): StatisticsJobs {
  return {
    async request(job: StatisticsJob | DealerArchiveJob) {
      void run(job).catch((error: unknown) => onFailure(job, error));
    },
  };
}
