import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Vitest's default on this 2-core machine is one worker: every file after the other. Most
    // files wait (on DynamoDB Local, s3rver, a command's process, Chromium) far more than they
    // compute. The five e2e files come first and hold the five workers for their walks; the
    // other projects' files take each worker a walk leaves, the first after about 95 s (a fresh
    // clone's vitest: 330 s with four workers, 322 s with five; six, 368 s, loaded more modules
    // than it gained; with the other projects at a lower priority, 299 s with five and 297 s with
    // six). The timeouts below only catch a hang.
    maxWorkers: 5,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          setupFiles: ['test/helpers/background-priority.ts'],
          include: ['test/unit/**/*.test.ts'],
          // A worker keeps the modules it has loaded from one file to the next (the SDK, exceljs,
          // the domain): isolating each file re-imported them every time, the larger part of the
          // suite's CPU. Tests keep no state in modules; a helper that changes process.env puts
          // it back (test/helpers/cli.ts).
          isolate: false,
          // Property-based tests run hundreds of cases: on a busy machine that can pass vitest's
          // default 5 s, and a test must not fail because the machine is busy.
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          setupFiles: ['test/helpers/background-priority.ts'],
          include: ['test/integration/**/*.int.test.ts'],
          // As for unit: modules kept from file to file; each file has its own table and buckets.
          isolate: false,
          globalSetup: ['test/helpers/local-servers.global.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/helpers/chromium.global.ts'],
          // Only a hang should end a walk through the portal: on a machine busy with other work one
          // has taken over four minutes, and a test must not fail because the machine is busy.
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // expect.poll gives up after 1 s by default: on a busy machine a page that is right
          // can take longer than that to show it, and a test must not fail because the machine is busy.
          // It asks every 50 ms by default: a walk waiting on a page then costs Chromium and the
          // worker 0.14 s of CPU a second (0.03 at 250 ms), and the walks wait longest when the
          // machine is busiest.
          expect: { poll: { timeout: 30_000, interval: 200 } },
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          setupFiles: ['test/helpers/background-priority.ts'],
          include: ['test/infra/**/*.test.ts'],
          // Files share their modules, so that a stack synthesized once serves every file
          // that reads the same template (test/helpers/cdk-app.ts synthesizedStack).
          isolate: false,
          testTimeout: 300_000,
          // Synthesizing the stack in beforeAll takes seconds, more on a busy machine.
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
