import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BlobStore, BucketRole } from '../app/ports.js';

/** Objects in the configured buckets, addressed by role so use cases never see bucket names. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly buckets: Readonly<Record<BucketRole, string>>,
  ) {}

  async put(bucket: BucketRole, key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.buckets[bucket], Key: key, Body: body, ContentType: contentType }));
  }

  async get(bucket: BucketRole, key: string, version?: string): Promise<Uint8Array> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.buckets[bucket], Key: key, ...(version === undefined ? {} : { VersionId: version }) }));
    if (object.Body === undefined) throw new Error(`s3://${this.buckets[bucket]}/${key} has no body`);
    return object.Body.transformToByteArray();
  }

  async list(bucket: BucketRole, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.buckets[bucket], Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      token = page.NextContinuationToken;
    } while (token !== undefined);
    return keys;
  }
}
