import type { ObjectLinks, UploadForm } from '../../../shared/app/links.js';
import type { BucketRole } from '../../../shared/app/ports.js';
import type { MemoryBlobStore } from './blob-store.js';

/**
 * Links into the in-memory buckets: the form and the link name the bucket, key and limits
 * they were made for, so a test can check what a browser would have been allowed to do.
 */
export class MemoryObjectLinks implements ObjectLinks {
  constructor(private readonly blobs: MemoryBlobStore) {}

  async uploadForm(bucket: BucketRole, key: string, options: { contentType: string; maxBytes: number; expiresInSeconds: number }): Promise<UploadForm> {
    return {
      url: `memory://${bucket}`,
      fields: { key, 'Content-Type': options.contentType, 'x-max-bytes': String(options.maxBytes), 'x-expires-in': String(options.expiresInSeconds) },
    };
  }

  async downloadUrl(bucket: BucketRole, key: string, options: { fileName: string; expiresInSeconds: number }): Promise<string> {
    // The same disposition S3 is asked to answer with, so the browser saves under the file name.
    const disposition = `attachment; filename*=UTF-8''${encodeURIComponent(options.fileName)}`;
    return `memory://${bucket}/${encodeURIComponent(key)}?response-content-disposition=${encodeURIComponent(disposition)}&expires-in=${options.expiresInSeconds}`;
  }

  async identity(bucket: BucketRole, key: string): Promise<string | undefined> {
    return this.blobs.etag(bucket, key);
  }
}
