import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { compose } from '../shared/compose.js';
import { lazily, messageReader, powertools, type HandlerOptions } from '../shared/lambda.js';
import { isValidPeriod } from '../shared/domain/dates.js';
import { REPORT_TYPES } from '../shared/domain/fields.js';
import { projectReport, type ProjectionDeps } from '../shared/app/report-projections.js';

export interface ProjectionHandlerDeps extends ProjectionDeps, HandlerOptions {}

/** An accepted report version to project: the body of each message on the projection queue. */
const ProjectionMessage = z.strictObject({
  target: z.strictObject({
    dealer: z.string().min(1).max(64),
    type: z.enum(REPORT_TYPES),
    period: z.string().refine(isValidPeriod, 'period must be YYYY-MM / 期间格式应为 YYYY-MM'),
  }),
  version: z.number().int().positive(),
  source: z.string().min(1).max(2048),
});

const parseMessage = messageReader(ProjectionMessage, { en: 'a report projection job', zh: '报表投影任务' });

/**
 * The projection worker: one accepted report version per message from the projection queue
 * (sent by the ingest once the verdict is recorded), its archive entries and unit histories
 * built (shared/app/report-projections.ts). A job that fails is reported back and retried, and
 * in the end parked in the dead-letter queue; running it again writes nothing twice.
 */
export function projectionHandler(deps: ProjectionHandlerDeps) {
  const { logger, wrap } = powertools({ service: 'project-report', logLevel: deps.logLevel });
  const processor = new BatchProcessor(EventType.SQS);

  async function handle(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    const processRecord = async (record: SQSRecord): Promise<void> => {
      const job = parseMessage(record);
      const projected = await projectReport(deps, job);
      logger.info('report projected', { ...job.target, version: job.version, source: job.source, ...projected });
    };
    return processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
  }

  return wrap(handle);
}

export const handler = lazily(() => projectionHandler(compose()));
