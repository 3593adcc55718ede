import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { compose } from '../shared/compose.js';
import { lazily, messageReader, powertools, type HandlerOptions } from '../shared/lambda.js';
import { isValidPeriod } from '../shared/domain/dates.js';
import type { BlobStore, Clock } from '../shared/app/ports.js';
import { describeJob, runWorkerJob, type StatisticsWorkbookDeps } from '../shared/app/statistics-downloads.js';
import type { DealerArchiveDeps } from '../shared/app/quality/dealer-archive.js';

export interface StatisticsHandlerDeps extends StatisticsWorkbookDeps, DealerArchiveDeps, HandlerOptions {
  readonly blobs: BlobStore;
  readonly clock: Clock;
}

const Month = z.string().refine(isValidPeriod, 'period must be YYYY-MM / 期间格式应为 YYYY-MM');

/** A request for a month's statistics or for a dealer archive: the body of each message on the statistics queue. */
const StatisticsMessage = z.union([
  z.strictObject({ period: Month, requested_at: z.iso.datetime() }),
  z.strictObject({ kind: z.literal('dealer_archive'), from: Month, to: Month, requested_at: z.iso.datetime() }),
]);

const parseMessage = messageReader(StatisticsMessage, { en: 'a statistics request', zh: '统计请求' });

/**
 * The statistics worker: one month's statistics or one dealer archive per message from the
 * statistics queue, made and kept in the reports bucket for the API to hand out. A month that fails is reported back, retried,
 * and in the end parked in the dead-letter queue (whose alarm tells an admin).
 */
export function statisticsHandler(deps: StatisticsHandlerDeps) {
  const { logger, wrap } = powertools({ service: 'statistics', logLevel: deps.logLevel });
  const processor = new BatchProcessor(EventType.SQS);

  async function handle(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const processRecord = async (record: SQSRecord): Promise<void> => {
      const job = parseMessage(record);
      await runWorkerJob(deps, job);
      logger.info('made', { job: describeJob(job) });
    };
    return processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
  }

  return wrap(handle);
}

export const handler = lazily(() => statisticsHandler(compose()));
