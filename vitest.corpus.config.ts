import { defineConfig } from 'vitest/config';

/**
 * The real-world corpus (147 workbooks from other programs, kept outside the repository because
 * they may not be committed): its own command, `npm run test:corpus`, never part of `npm test`.
 */
export default defineConfig({
  test: {
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    name: 'corpus',
    include: ['test/corpus/**/*.test.ts'],
    globalSetup: ['test/helpers/local-servers.global.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
