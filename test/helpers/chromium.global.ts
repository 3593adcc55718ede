import { execFileSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eDynamoEndpoint: string;
  }
}

/**
 * The e2e tests drive Debian's Chromium; the project's own script installs it when it is
 * missing. Each test file runs its own `npm start` (its own data, s3rver and portal), all on
 * one DynamoDB Local started here, each with a table of its own: a JVM per back office cost
 * seconds of CPU apiece.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync('bash', ['scripts/install-chromium.sh'], { stdio: 'inherit' });
  const dynamo = await startDynamoDbLocal();
  project.provide('e2eDynamoEndpoint', dynamo.endpoint);
  const onSignal = () => void dynamo.stop().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await dynamo.stop();
  };
}
