#!/usr/bin/env node
// The package's `backoffice` command: runs the TypeScript CLI through tsx, no build step.
import { register } from 'tsx/esm/api';

// The SDK warns on every run that Node 20 support ends in 2027; Lambda runs Node 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
