import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, powertools, s3ObjectHandle, type HandlerOptions, type S3ObjectRecord } from '../shared/lambda.js';
import { recordLedgerObject, type LedgerUploadDeps } from '../shared/app/ledger-uploads.js';
import { decodeEventKey, parseLedgerUploadKey, uploadSourceId } from '../shared/app/upload-keys.js';
import { ledgerChecked } from '../shared/app/notices/events.js';
import { tell, type NoticeDeps } from '../shared/app/notices/tell.js';

export interface LedgerIngestHandlerDeps extends Omit<LedgerUploadDeps, 'links'>, Omit<NoticeDeps, 'config'>, HandlerOptions {
  readonly config: LedgerUploadDeps['config'] & NoticeDeps['config'] & Pick<BackOfficeConfig, 'metricsNamespace'>;
}

/**
 * Records one uploaded shipments or returns file per S3 ObjectCreated record under `ledger/`,
 * off the API's request path: a 200,000-row file takes longer than an HTTP API waits. Like
 * the report ingest, the upload's identity is the object (bucket, key, version or eTag), so a
 * notification delivered twice records nothing twice; an object without a ticket is refused
 * unread. The outcome is kept for the portal, which asks the API where the upload stands.
 *
 * Accepts the S3 notification directly (the local stack) or through SQS (on AWS), where a
 * failed message is reported back alone.
 */
export function ledgerIngestHandler(deps: LedgerIngestHandlerDeps) {
  const { logger, metrics, wrap } = powertools({ service: 'ingest-ledger', metrics: { namespace: deps.config.metricsNamespace }, logLevel: deps.logLevel });

  async function recordObject(record: S3ObjectRecord): Promise<void> {
    const key = decodeEventKey(record.s3.object.key);
    const upload = parseLedgerUploadKey(key);
    if (record.s3.bucket.name !== deps.config.buckets.uploads || upload === null) {
      logger.warn('ignoring an object the application did not name', { bucket: record.s3.bucket.name, key });
      return;
    }
    const { versionId } = record.s3.object;
    const sourceId = uploadSourceId(record.s3.bucket.name, key, versionId ?? record.s3.object.eTag ?? '');
    const result = await recordLedgerObject(deps, {
      ...upload,
      receivedAt: new Date(record.eventTime),
      sourceId,
      ...(versionId === undefined ? {} : { versionId }),
    });
    const { outcome } = result;
    if (result.refused !== null) logger.warn('upload without a ticket', { sourceId, reason: result.refused, type: upload.type });
    else await tell(deps, ledgerChecked({ ...outcome, annotated: outcome.error_report_key !== null }));
    // A replayed upload was counted when it was first recorded.
    if (!result.replayed) {
      metrics.addMetric(outcome.status === 'accepted' ? 'LedgerFilesAccepted' : 'LedgerFilesRejected', MetricUnit.Count, 1);
      metrics.addMetric('LedgerLinesRecorded', MetricUnit.Count, outcome.counts.recorded);
    }
    logger.info('ledger file recorded', { sourceId, status: outcome.status, replayed: result.replayed, errors: outcome.errors.length, ...outcome.counts });
  }

  const handle = s3ObjectHandle(recordObject, (message, error) => logger.error('recording a ledger file failed; the message will be retried', { messageId: message.messageId, error }));

  return wrap(handle);
}

export const handler = lazily(() => ledgerIngestHandler(compose()));
