import { defineConfig } from 'vitest/config';
import OutsideProgramsFirst from './test/helpers/outside-programs-first.js';

export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // `npm test` (scripts/test.sh) runs the two projects as two vitests side by side: the walks
    // one after another, the node files four at a time, so five files at once on this 2-core
    // machine, most of them waiting on DynamoDB Local, s3rver, a command's process or Chromium.
    // Run together in one vitest (`npx vitest run`), the walks follow the node files. The
    // timeouts below only catch a hang.
    // The files that wait longest on programs of their own start first among the node files.
    sequence: { sequencer: OutsideProgramsFirst },
    projects: [
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          // One walk at a time. Five side by side cost Chromium more CPU for the same pages
          // (renderers 62-103 s against 39-57 s one after another, the e2e project alone), and
          // the whole run is short of CPU: beside the node files, one after another they end
          // before them.
          maxWorkers: 1,
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
          // The unit, integration and infra files in one project, so that their files share
          // workers: vitest keeps a worker for the next file only when that file is of the same
          // project, and each new worker loads the SDK, exceljs, the CDK and the domain again
          // (2-5 s of CPU in the first file of each). Three projects took 15 workers a run, one takes 4.
          name: 'node',
          maxWorkers: 4,
          setupFiles: ['test/helpers/background-priority.ts'],
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.int.test.ts', 'test/infra/**/*.test.ts'],
          // A worker keeps the modules it has loaded from one file to the next (the SDK, exceljs,
          // the domain, a stack synthesized once for every file that reads the same template:
          // test/helpers/cdk-app.ts): isolating each file re-imported them every time, the larger
          // part of the suite's CPU. Tests keep no state in modules; a helper that changes
          // process.env puts it back (test/helpers/cli.ts); each integration file has its own
          // table and buckets.
          isolate: false,
          // DynamoDB Local and s3rver, once for the run.
          globalSetup: ['test/helpers/local-servers.global.ts'],
          // Only a hang should end a test: property-based tests run hundreds of cases, a synthesis
          // with cdk-nag's rules takes seconds and more on a busy machine, and a test must not fail
          // because the machine is busy.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
