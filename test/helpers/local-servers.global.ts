import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startS3Server, type RunningServer } from '../../infra/local/servers.js';
import { acquireDynamoDbLocal } from './shared-dynamodb.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    s3Endpoint: string;
  }
}

/**
 * Starts DynamoDB Local (in memory, shared with the e2e project when both run in one vitest:
 * shared-dynamodb.ts; `npm test` runs them as two, each with its own) and s3rver once for the whole node project's run, on
 * ephemeral loopback ports. Each test file makes its own table and buckets, so files run in
 * parallel without seeing each other. Every child process is stopped on teardown and on
 * SIGINT/SIGTERM, so no run leaves a server behind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const s3Dir = await mkdtemp(join(tmpdir(), 'backoffice-s3-'));
  const servers: Array<Pick<RunningServer, 'stop'>> = [];
  const stopAll = async () => {
    await Promise.allSettled(servers.map((s) => s.stop()));
    await rm(s3Dir, { recursive: true, force: true });
  };
  const onSignal = () => {
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const [dynamo, s3] = await Promise.all([acquireDynamoDbLocal(), startS3Server({ dataDir: s3Dir })]);
  servers.push({ stop: () => dynamo.release() }, s3);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('s3Endpoint', s3.endpoint);

  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  };
}
