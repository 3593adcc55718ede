import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import type { BackOfficeConfig } from '../config.js';

/**
 * SDK clients for the configured endpoints. On AWS no endpoint is set and the SDK uses the
 * function's role; locally the endpoints point at DynamoDB Local and s3rver, which accept
 * fixed credentials (s3rver insists on S3RVER/S3RVER).
 */
export function createDocumentClient(config: BackOfficeConfig): DynamoDBDocumentClient {
  const local = config.endpoints.dynamodb;
  const client = new DynamoDBClient({
    region: config.region,
    ...(local === undefined
      ? {}
      : { endpoint: local, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    maxAttempts: 8,
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}

export function createS3Client(config: BackOfficeConfig): S3Client {
  const local = config.endpoints.s3;
  return new S3Client({
    region: config.region,
    ...(local === undefined
      ? {}
      : {
          endpoint: local,
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        }),
    // Streamed bodies would otherwise be stored by s3rver with aws-chunked framing inside.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
