import type { BucketRole } from './ports.js';

/** A browser form that puts one object under a key the application chose. */
export interface UploadForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** Presigned links: browsers move files to and from the buckets directly, within what the link allows. */
export interface ObjectLinks {
  /** A POST form for exactly this key and content type, at most `maxBytes`. */
  uploadForm(bucket: BucketRole, key: string, options: { contentType: string; maxBytes: number; expiresInSeconds: number }): Promise<UploadForm>;
  /** A GET link that downloads the object under the given file name. */
  downloadUrl(bucket: BucketRole, key: string, options: { fileName: string; expiresInSeconds: number }): Promise<string>;
  /** The object's identity as its S3 event names it (version id, else ETag), or undefined when there is no such object. */
  identity(bucket: BucketRole, key: string): Promise<string | undefined>;
}
