import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectLinks, UploadForm } from '../app/links.js';
import type { BucketRole } from '../app/ports.js';

/**
 * Presigned links to objects in the configured buckets, so that browsers move files to and
 * from S3 directly and the API only decides who may. Works the same against s3rver, which
 * accepts any signature, and AWS, which checks it.
 */
export class S3ObjectLinks implements ObjectLinks {
  constructor(
    private readonly client: S3Client,
    private readonly buckets: Readonly<Record<BucketRole, string>>,
  ) {}

  async uploadForm(bucket: BucketRole, key: string, options: { contentType: string; maxBytes: number; expiresInSeconds: number }): Promise<UploadForm> {
    // The policy pins the key, the content type and the size: S3 itself refuses anything else.
    const post = await createPresignedPost(this.client as unknown as Parameters<typeof createPresignedPost>[0], {
      Bucket: this.buckets[bucket],
      Key: key,
      Fields: { 'Content-Type': options.contentType },
      Conditions: [
        ['content-length-range', 1, options.maxBytes],
        ['eq', '$Content-Type', options.contentType],
      ],
      Expires: options.expiresInSeconds,
    });
    return { url: post.url, fields: post.fields };
  }

  async downloadUrl(bucket: BucketRole, key: string, options: { fileName: string; expiresInSeconds: number }): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.buckets[bucket],
      Key: key,
      ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(options.fileName)}`,
    });
    return getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
  }

  async identity(bucket: BucketRole, key: string): Promise<string | undefined> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.buckets[bucket], Key: key }));
      // The same identity the S3 event carries: the version id when the bucket keeps versions, else the ETag (unquoted there).
      return head.VersionId ?? head.ETag?.replace(/"/g, '');
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
      throw error;
    }
  }
}
