import { compose } from '../shared/compose.js';
import { lazily, powertools, s3ObjectHandle, type HandlerOptions, type S3ObjectRecord } from '../shared/lambda.js';
import { importMasterObject, type MasterImportDeps } from '../shared/app/master-uploads.js';
import { decodeEventKey } from '../shared/app/upload-keys.js';
import { masterChecked } from '../shared/app/notices/events.js';
import { tell, type NoticeDeps } from '../shared/app/notices/tell.js';

export type ImportMasterHandlerDeps = MasterImportDeps & Omit<NoticeDeps, 'config'> & { readonly config: MasterImportDeps['config'] & NoticeDeps['config'] } & HandlerOptions;

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

  async function importRecord(record: S3ObjectRecord): Promise<void> {
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
    else await tell(deps, masterChecked(key, outcome));
    logger.info('master data imported', { source: outcome.source, status: outcome.status, replayed: result.replayed, errors: outcome.errors.length, ...outcome.counts });
  }

  const handle = s3ObjectHandle(importRecord, (message, error) => logger.error('master-data import failed; the message will be retried', { messageId: message.messageId, error }));

  return wrap(handle);
}

export const handler = lazily(() => importMasterHandler(compose()));
