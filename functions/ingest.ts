import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, powertools, s3ObjectHandle, type HandlerOptions, type S3ObjectRecord } from '../shared/lambda.js';
import { ingestReport, type IngestDeps } from '../shared/app/ingest-report.js';
import type { UploadTicketStore } from '../shared/app/ports.js';
import { decodeEventKey, parseUploadKey, uploadSourceId } from '../shared/app/upload-keys.js';
import { refuseWithoutTicket } from '../shared/app/uploads.js';
import { reportChecked } from '../shared/app/notices/events.js';
import { tell, type NoticeDeps } from '../shared/app/notices/tell.js';


export interface IngestHandlerDeps extends IngestDeps, Omit<NoticeDeps, 'config'>, HandlerOptions {
  readonly tickets: UploadTicketStore;
  readonly config: IngestDeps['config'] & NoticeDeps['config'] & Pick<BackOfficeConfig, 'buckets' | 'metricsNamespace'>;
}

/**
 * Takes in one uploaded report per S3 ObjectCreated record. The upload's identity is the
 * object (bucket, key, version or eTag) — never a queue message id, because S3 may notify
 * twice and each notification arrives as a new message. Only an object under the key of an
 * upload ticket the API handed out is read; any other is recorded as refused and logged as
 * suspicious (the presigned form's policy should have stopped it, and s3rver enforces none).
 *
 * Accepts the S3 notification directly (the local stack) or through SQS (on AWS). With SQS,
 * a failed message is reported back alone so the others are not retried with it.
 */
export function ingestHandler(deps: IngestHandlerDeps) {
  const { logger, metrics, wrap } = powertools({ service: 'ingest', metrics: { namespace: deps.config.metricsNamespace }, logLevel: deps.logLevel });

  async function ingestObject(record: S3ObjectRecord): Promise<void> {
    const key = decodeEventKey(record.s3.object.key);
    const target = parseUploadKey(key);
    if (record.s3.bucket.name !== deps.config.buckets.uploads || target === null) {
      logger.warn('ignoring an object the application did not name', { bucket: record.s3.bucket.name, key });
      return;
    }
    const { versionId } = record.s3.object;
    const sourceId = uploadSourceId(record.s3.bucket.name, key, versionId ?? record.s3.object.eTag ?? '');
    const receivedAt = new Date(record.eventTime);
    const refused = await refuseWithoutTicket(deps, { key, target, receivedAt, sourceId });
    if (refused !== null) {
      logger.warn('upload without a ticket', { sourceId, reason: refused, ...target });
      return;
    }
    // The version the event names, not whatever was written under the key since.
    const bytes = await deps.blobs.get('uploads', key, versionId);
    const result = await ingestReport(deps, { bytes, target, receivedAt, sourceId });
    // Told on a replay too: the message is keyed by the upload, so one that was told is not told twice.
    await tell(deps, reportChecked(target, result, sourceId));
    // A replayed upload was counted when it was first taken in.
    if (!result.replayed) {
      if (result.status === 'accepted') {
        metrics.addMetric('ReportsAccepted', MetricUnit.Count, 1);
        metrics.addMetric('RowsIngested', MetricUnit.Count, result.counts.records);
      } else {
        metrics.addMetric('ReportsRejected', MetricUnit.Count, 1);
      }
    }
    logger.info('report ingested', {
      sourceId,
      status: result.status,
      version: result.version,
      replayed: result.replayed,
      errors: result.errors.length,
      warnings: result.warnings.length,
      ...result.counts,
    });
  }

  const handle = s3ObjectHandle(ingestObject, (message, error) => logger.error('ingest failed; the message will be retried', { messageId: message.messageId, error }));

  return wrap(handle);
}

export const handler = lazily(() => ingestHandler(compose()));
