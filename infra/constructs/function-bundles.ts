import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, DockerImage, type ILocalBundling } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync, type BuildOptions } from 'esbuild';

/** Where every Lambda handler of the back office is: one `.ts` file per function. */
const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions', import.meta.url));

/**
 * How a function is bundled: one minified ES module for Node.js 24 with a source map that
 * points at file and line (its sources left out to keep the asset small).
 */
export const FUNCTION_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  // exceljs and its dependencies call require() for Node built-ins, which an ES module
  // bundle only has through createRequire.
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // Only what the runtime already has: Node.js 24 ships AWS SDK v3, and bundling it too
  // would add about 490 KB (a third of the bundle) to every cold start's download.
  external: ['@aws-sdk/*'],
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
} as const satisfies BuildOptions;

let bundled: string | undefined;

/**
 * Every handler bundled by one esbuild run, the first time a function's asset is staged:
 * the functions share most of their modules (the SDK's document client, exceljs, the domain),
 * and esbuild parses a module once per run however many bundles take it, where a run per
 * function (what NodejsFunction does) parsed them ten times over: 40 s of `cdk synth`'s CPU,
 * now a few. The bundles stay in a temporary folder until the process exits.
 */
function bundleEveryFunction(): string {
  if (bundled !== undefined) return bundled;
  const out = mkdtempSync(join(tmpdir(), 'backoffice-functions-'));
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const handlers = readdirSync(FUNCTIONS_DIR).filter((file) => file.endsWith('.ts'));
  buildSync({
    ...FUNCTION_BUNDLE,
    entryPoints: Object.fromEntries(handlers.map((file) => [`${basename(file, '.ts')}/index`, join(FUNCTIONS_DIR, file)])),
    outdir: out,
  });
  bundled = out;
  return out;
}

/**
 * One function's bundle copied into the folder the CDK stages. The handler is a field, not
 * only a closure: the CDK tells assets apart by their options as JSON, and ten bundlings that
 * serialised alike would all be staged as the first.
 */
class HandlerBundle implements ILocalBundling {
  constructor(readonly handler: string) {}

  tryBundle(outputDir: string): boolean {
    cpSync(join(bundleEveryFunction(), this.handler), outputDir, { recursive: true });
    return true;
  }
}

/**
 * A function's code: its handler's bundle (`index.mjs` and its map), staged as the CDK stages
 * any asset. Skipped, as any bundling is, for stacks outside `aws:cdk:bundling-stacks` (the
 * infra tests), and hashed by its output, so an unchanged bundle is not uploaded again.
 */
export function functionCode(entry: string): Code {
  return Code.fromAsset(FUNCTIONS_DIR, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Never pulled: local bundling always succeeds, and CDK only asks for an image to fall back on.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:24-slim'),
      local: new HandlerBundle(basename(entry, '.ts')),
    },
  });
}
