import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../cli/main.js';
import { configEnvironment } from '../../shared/config.js';
import { freshStack } from './local-stack.js';

const run = promisify(execFile);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment a test file's commands run in, as outside scripts run them against resources
 * the environment names (cli.md: TABLE_NAME and the endpoints): a fresh table and buckets of
 * its own on the run's shared DynamoDB Local and s3rver, and the mail in its data directory's
 * outbox. One per data directory, made on its first command.
 */
const environments = new Map<string, Promise<Record<string, string>>>();

function environmentOf(dataDir: string): Promise<Record<string, string>> {
  let environment = environments.get(dataDir);
  if (environment === undefined) {
    environment = freshStack({ OUTBOX_DIR: join(dataDir, 'outbox') }).then((config) => ({ ...configEnvironment(config), BACKOFFICE_DATA_DIR: dataDir }));
    environments.set(dataDir, environment);
  }
  return environment;
}

/** Commands in flight in this test process, the data directory whose environment they run in, and what that environment replaced. */
let inFlight = 0;
let activeDataDir: string | undefined;
let replaced: Record<string, string | undefined> = {};

/**
 * Runs `backoffice ARGS` the way outside scripts call it (../shared/cli.md) and answers with its
 * exit status, standard output and standard error: the CLI's own `main` with the command line,
 * in this process, on the file's resources. A command's process start (about a second of CPU
 * each, hundreds of them) is what it saves; the process itself — the `backoffice` bin, its
 * bundle, the embedded servers it starts — is what `backofficeOnItsOwn` runs, in cli.int.test.ts.
 */
export async function backoffice(dir: string, ...args: string[]): Promise<CliResult> {
  const dataDir = join(dir, 'data');
  const environment = await environmentOf(dataDir);
  // process.env is one per process: commands of two data directories must not overlap, and
  // once none runs, the process's own environment is back for whatever test comes next.
  if (inFlight > 0 && activeDataDir !== dataDir) throw new Error(`commands on ${activeDataDir} and ${dataDir} at once`);
  if (inFlight === 0) {
    replaced = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
    Object.assign(process.env, environment);
    activeDataDir = dataDir;
  }
  inFlight += 1;
  const stdout: string[] = [];
  const stderr: string[] = [];
  try {
    const code = await main(args, { out: (text) => stdout.push(`${text}\n`), err: (text) => stderr.push(`${text}\n`) });
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    inFlight -= 1;
    if (inFlight === 0) {
      for (const [name, value] of Object.entries(replaced)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }
}

/**
 * `backoffice ARGS` as a real process on the embedded stores of `dir/data`, with nothing serving
 * them: the command starts the embedded servers itself, for its own run.
 */
export async function backofficeOnItsOwn(dir: string, ...args: string[]): Promise<CliResult> {
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
