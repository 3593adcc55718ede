import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';
import { startLocalStack, type LocalStack } from '../../infra/local/stack.js';

const run = promisify(execFile);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The embedded stack each test file's data directory is served by, as `npm start` serves one:
 * its commands join it (cli.md: a command uses the running stack of its data directory)
 * instead of each starting DynamoDB Local's JVM and s3rver anew, which cost seconds a command.
 * Stopped when the file's tests are done.
 */
const stacks = new Map<string, Promise<LocalStack>>();
afterAll(async () => {
  const running = [...stacks.values()];
  stacks.clear();
  await Promise.allSettled(running.map(async (stack) => (await stack).stop()));
});

function servedStack(dataDir: string): Promise<LocalStack> {
  let stack = stacks.get(dataDir);
  if (stack === undefined) {
    stack = startLocalStack(dataDir, { announce: true, dynamoDbInMemory: true });
    stacks.set(dataDir, stack);
  }
  return stack;
}

async function command(dir: string, args: readonly string[]): Promise<CliResult> {
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

/**
 * Runs `backoffice ARGS` as outside scripts call it (../shared/cli.md): a real process on the
 * embedded stores of `dir/data`, served for the test file as `npm start` serves them, never
 * the test run's own servers.
 */
export async function backoffice(dir: string, ...args: string[]): Promise<CliResult> {
  await servedStack(join(dir, 'data'));
  return command(dir, args);
}

/** The same, with nothing serving `dir/data`: the command starts the embedded servers itself, for its own run. */
export const backofficeOnItsOwn = (dir: string, ...args: string[]): Promise<CliResult> => command(dir, args);
