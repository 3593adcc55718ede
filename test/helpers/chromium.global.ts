import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { buildPortal } from '../../infra/local/portal-build.js';
import { acquireDynamoDbLocal } from './shared-dynamodb.js';
import { chromiumExecutable } from './back-office-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    e2eDynamoEndpoint: string;
    chromiumEndpoint: string;
  }
}

/**
 * The e2e tests drive Debian's Chromium; the project's own script installs it when it is
 * missing. One Chromium serves every test file (each connects with `e2eBrowser()` and works in
 * contexts of its own), and each file runs its own `npm start` (its own data, s3rver and
 * portal) on the run's one DynamoDB Local, each with a table of its own: a browser or a JVM
 * per file cost seconds of CPU apiece. The portal is built here once, so that the files' starts
 * find it in the cache (portal-build.ts) rather than each bundle it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  execFileSync('bash', ['scripts/install-chromium.sh'], { stdio: 'inherit' });
  const [dynamo, browser] = await Promise.all([
    acquireDynamoDbLocal(),
    // Without a GPU the headless shell otherwise emulates one (SwiftShader) to composite and
    // raster every frame; --disable-gpu draws with Skia on the CPU instead. The five walks side
    // by side: 111-112 s and 112-119 s of Chromium's CPU, against 125-139 s and 126-152 s.
    chromium.launchServer({ executablePath: chromiumExecutable(), args: ['--no-sandbox', '--disable-gpu'] }),
    buildPortal(),
  ]);
  project.provide('e2eDynamoEndpoint', dynamo.endpoint);
  project.provide('chromiumEndpoint', browser.wsEndpoint());
  const stopAll = () => Promise.allSettled([dynamo.release(), browser.close()]);
  const onSignal = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  };
}
