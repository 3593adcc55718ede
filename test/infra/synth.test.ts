import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
/**
 * A bundle's budget. The API renders workbooks on the request path (templates, issue slips,
 * consolidated forms, the dealer archive), so it carries exceljs: about 1.6 MB minified with
 * every feature of this round, where 1.5 MiB held until then. Still small next to Lambda's
 * limits; the budget is here so that a stray whole-library import shows.
 */
const MAX_BUNDLE_BYTES = 2 * 1024 * 1024;
/** Construct paths of the functions bundled from this repository. */
const BUNDLED_FUNCTIONS = ['Api/Handler', 'Intake/Ingest', 'LedgerIntake/LedgerWorker', 'MasterData/ImportMaster', 'Reconciliation/Reconcile', 'Reconciliation/ReconcileDealer', 'Reconciliation/Reminders', 'Statistics/StatisticsWorker', 'Projections/ProjectionWorker', 'Notices/Deadlines'];

/**
 * The real `cdk synth`, as CI and `npm run synth` run it: the CLI, the app in cdk.json,
 * esbuild bundling and cdk-nag, with nothing reaching the network. The prod stage is the same
 * app with other context: its stack, tags and cdk-nag findings are checked in process
 * (stages.test.ts), without bundling every function a second time.
 */
describe('cdk synth', () => {
  let out: string;
  let synth: { stdout: string; stderr: string };

  const cdkSynth = (dir: string) =>
    run(join(repo, 'node_modules/.bin/cdk'), ['synth', '--quiet', '-o', dir], {
      cwd: repo,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      timeout: 280_000,
    });

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'cdk-synth-'));
    synth = await cdkSynth(out);
  }, 300_000);

  afterAll(async () => {
    if (out !== undefined) await rm(out, { recursive: true, force: true });
  });

  it('succeeds without a cdk-nag finding', () => {
    expect(synth.stderr).not.toMatch(/AwsSolutions-/);
  });

  it('bundles every function into one small ES module', async () => {
    // Prepare: every function built from a local asset, by its construct path (CDK's own
    // custom-resource handlers, `Custom::…`, are not ours).
    const template = JSON.parse(await readFile(join(out, 'BackOffice.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    const assets = new Map(
      Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:asset:path'] !== undefined && !r.Metadata['aws:cdk:path']?.includes('/Custom::'))
        .map((r) => [r.Metadata!['aws:cdk:path']!, r.Metadata!['aws:asset:path']!]),
    );

    // Act
    const sizes = Object.fromEntries(
      await Promise.all([...assets].map(async ([path, asset]) => [path, (await stat(join(out, asset, 'index.mjs'))).size] as const)),
    );

    // Assess: the back office's functions, nothing else, each under the limit.
    expect(Object.keys(sizes).sort()).toEqual(BUNDLED_FUNCTIONS.map((f) => `BackOffice/${f}/Resource`).sort());
    for (const [path, size] of Object.entries(sizes)) expect(size, path).toBeLessThan(MAX_BUNDLE_BYTES);
    console.info('bundle sizes (bytes):', sizes);
  });
});
