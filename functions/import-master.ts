import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, S3Event, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { compose } from '../shared/compose.js';
import { lazily, powertools, type HandlerOptions } from '../shared/lambda.js';
import { importMasterObject, type MasterImportDeps } from '../shared/app/master-uploads.js';
import { decodeEventKey } from '../shared/app/upload-keys.js';

const MasterNotification = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      eventTime: z.string(),
      s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string(), eTag: z.string().optional(), versionId: z.string().optional() }) }),
    }),
  ),
});
type MasterRecord = z.infer<typeof MasterNotification>['Records'][number];

export type ImportMasterHandlerDeps = MasterImportDeps & HandlerOptions;

/**
 * Imports each master-data workbook put under the uploads bucket's `master/` prefix (by the
 * portal's admin form or an operator in the S3 console), once per object identity: S3 may
 * notify twice, and each notification is a new queue message. The outcome and the annotated
 * workbook of a rejected file go under `master-imports/` of the reports bucket.
 *
 * Accepts the S3 notification directly (the local stack) or through SQS (on AWS), where a
 * failed message is reported back alone.
 */
export function importMasterHandler(deps: ImportMasterHandlerDeps) {
  const { logger, wrap } = powertools({ service: 'import-master', logLevel: deps.logLevel });
  const processor = new BatchProcessor(EventType.SQS);

  async function importRecord(record: MasterRecord): Promise<void> {
    if (!record.eventName.startsWith('ObjectCreated:')) return;
    const key = decodeEventKey(record.s3.object.key);
    if (record.s3.bucket.name !== deps.config.buckets.uploads) {
      logger.warn('ignoring an object of another bucket', { bucket: record.s3.bucket.name, key });
      return;
    }
    const { versionId, eTag } = record.s3.object;
    const result = await importMasterObject(deps, { key, receivedAt: new Date(record.eventTime), ...(versionId === undefined ? {} : { versionId }), ...(eTag === undefined ? {} : { eTag }) });
    if ('ignored' in result) {
      logger.warn('ignoring an object that is no master-data workbook', { key });
      return;
    }
    const { outcome } = result;
    if (result.refused !== undefined) logger.warn('master-data upload without a ticket', { source: outcome.source, reason: result.refused });
    logger.info('master data imported', { source: outcome.source, status: outcome.status, replayed: result.replayed, errors: outcome.errors.length, ...outcome.counts });
  }

  async function importMessage(message: SQSRecord): Promise<void> {
    try {
      const body: unknown = JSON.parse(message.body);
      // S3 sends a test event when the notification is first configured; it has no Records.
      if (typeof body === 'object' && body !== null && 'Records' in body) {
        for (const record of MasterNotification.parse(body).Records) await importRecord(record);
      }
    } catch (error) {
      logger.error('master-data import failed; the message will be retried', { messageId: message.messageId, error });
      throw error;
    }
  }

  async function handle(event: S3Event | SQSEvent, context: Context): Promise<SQSBatchResponse | void> {
    const first = event.Records[0] as { eventSource?: string } | undefined;
    if (first?.eventSource !== 'aws:sqs') {
      for (const record of MasterNotification.parse(event).Records) await importRecord(record);
      return;
    }
    return processPartialResponse(event as SQSEvent, importMessage, processor, { context, processInParallel: false, throwOnFullBatchFailure: false });
  }

  return wrap(handle);
}

export const handler = lazily(() => importMasterHandler(compose()));
