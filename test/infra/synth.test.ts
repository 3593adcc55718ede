import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;

/**
 * The real `cdk synth`, as CI and `npm run synth` run it: the CLI, the app in cdk.json,
 * esbuild bundling and cdk-nag, with nothing reaching the network.
 */
describe('cdk synth', () => {
  let out: string;
  let synth: { stdout: string; stderr: string };

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'cdk-synth-'));
    synth = await run(join(repo, 'node_modules/.bin/cdk'), ['synth', '--quiet', '-o', out], {
      cwd: repo,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true' },
      timeout: 110_000,
    });
  }, 120_000);

  afterAll(async () => {
    if (out !== undefined) await rm(out, { recursive: true, force: true });
  });

  it('succeeds without a cdk-nag finding', () => {
    expect(synth.stderr).not.toMatch(/AwsSolutions-/);
  });

  it('bundles the ingest function into one small ES module', async () => {
    const template = JSON.parse(await readFile(join(out, 'BackOffice.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
    };
    const ingest = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['aws:cdk:path'] === 'BackOffice/Intake/Ingest/Resource',
    );
    const asset = ingest?.Metadata?.['aws:asset:path'];
    expect(asset).toBeDefined();

    const bundle = await stat(join(out, asset!, 'index.mjs'));

    expect(bundle.size).toBeLessThan(MAX_BUNDLE_BYTES);
  });
});
