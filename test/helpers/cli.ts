import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `backoffice ARGS` as outside scripts call it (../shared/cli.md): a real process, the
 * embedded stores in `dir/data`, never the test run's own servers.
 */
export async function backoffice(dir: string, ...args: string[]): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, BACKOFFICE_DATA_DIR: join(dir, 'data') };
  for (const name of ['TABLE_NAME', 'DYNAMODB_ENDPOINT', 'S3_ENDPOINT']) delete env[name];
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/backoffice.mjs', ...args], { env, timeout: 90_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
