import { GetObjectCommand, HeadObjectCommand, NotFound, type S3Client } from '@aws-sdk/client-s3';
import type { BackOfficeConfig } from '../config.js';
import { createS3Client } from './clients.js';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { SignatureV4 } from '@smithy/signature-v4';
import type { FinalizeHandler, FinalizeHandlerArguments, HttpRequest, MetadataBearer } from '@smithy/types';
import type { ObjectLinks, UploadForm } from '../app/links.js';
import type { BucketRole } from './table.js';

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
    return this.presign(command, options.expiresInSeconds);
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

  /**
   * What `@aws-sdk/s3-request-presigner` does: run the command through the client's own
   * middleware (endpoint, path style, region) and, instead of sending the request, sign it
   * into the query string.
   */
  private async presign(command: GetObjectCommand, expiresIn: number): Promise<string> {
    const config = this.client.config;
    const signer = new SignatureV4({
      credentials: config.credentials,
      region: config.region,
      service: 's3',
      sha256: config.sha256,
      uriEscapePath: false,
    });
    const stack = this.client.middlewareStack.clone();
    stack.addRelativeTo(
      (_next: FinalizeHandler<object, MetadataBearer>) =>
        async (args: FinalizeHandlerArguments<object>) => {
          const request = args.request as HttpRequest;
          for (const header of ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent']) delete request.headers[header];
          request.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
          request.headers.host = request.port === undefined ? request.hostname : `${request.hostname}:${request.port}`;
          const signed = await signer.presign(request, { expiresIn, unsignableHeaders: new Set(['content-type']) });
          return { response: {}, output: { $metadata: {}, url: formatUrl(signed as HttpRequest) } as MetadataBearer };
        },
      { name: 'presignInterceptMiddleware', relation: 'before', toMiddleware: 'awsAuthMiddleware', override: true },
    );
    const handler = command.resolveMiddleware(stack as never, config, {});
    const { output } = (await handler({ input: command.input })) as unknown as { output: { url: string } };
    return output.url;
  }
}

function formatUrl(request: HttpRequest): string {
  const query = Object.entries(request.query ?? {})
    .flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v]) : [[name, value ?? '']]))
    .map(([name, value]) => `${encodeURIComponent(name as string)}=${encodeURIComponent(value as string)}`)
    .join('&');
  const port = request.port === undefined ? '' : `:${request.port}`;
  return `${request.protocol}//${request.hostname}${port}${request.path}${query === '' ? '' : `?${query}`}`;
}

export const createObjectLinks = (config: BackOfficeConfig): ObjectLinks => new S3ObjectLinks(createS3Client(config), config.buckets);
