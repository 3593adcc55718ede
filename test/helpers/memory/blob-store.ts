import { createHash } from 'node:crypto';
import type { BlobStore, BucketRole } from '../../../shared/app/ports.js';
import { byteOrder } from './order.js';

interface Blob {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** The buckets in memory, by role; a missing object is an error, as S3's NoSuchKey is. */
export class MemoryBlobStore implements BlobStore {
  private readonly buckets = new Map<BucketRole, Map<string, Blob>>();

  private bucket(role: BucketRole): Map<string, Blob> {
    const found = this.buckets.get(role) ?? new Map<string, Blob>();
    this.buckets.set(role, found);
    return found;
  }

  async put(bucket: BucketRole, key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    this.bucket(bucket).set(key, { body: typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body), contentType });
  }

  /** Keeps no versions, as s3rver keeps none: a named version reads the current object. */
  async get(bucket: BucketRole, key: string, _version?: string): Promise<Uint8Array> {
    const blob = this.bucket(bucket).get(key);
    if (blob === undefined) throw Object.assign(new Error(`no object ${bucket}/${key}`), { name: 'NoSuchKey' });
    return new Uint8Array(blob.body);
  }

  async list(bucket: BucketRole, prefix: string): Promise<string[]> {
    return [...this.bucket(bucket).keys()].filter((key) => key.startsWith(prefix)).sort(byteOrder);
  }

  /** The object's ETag as S3 gives it for a single PUT (the MD5 of its bytes), or undefined. */
  etag(bucket: BucketRole, key: string): string | undefined {
    const blob = this.bucket(bucket).get(key);
    return blob === undefined ? undefined : createHash('md5').update(blob.body).digest('hex');
  }
}
