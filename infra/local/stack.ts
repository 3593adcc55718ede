import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig, type BackOfficeConfig } from '../../shared/config.js';
import { createDocumentClient, createS3Client } from '../../shared/compose.js';
import { ensureBuckets, ensureTable } from './provision.js';
import { startDynamoDbLocal, startS3Server, type S3Server, type RunningServer } from './servers.js';

/**
 * The embedded back office on one machine: DynamoDB Local and s3rver with their data under
 * one directory (`.data` by default; DynamoDB's in memory instead when asked), and the same
 * table and buckets the CDK stack declares.
 *
 * While `npm start` serves a data directory it leaves `stack.json` there, so that CLI
 * commands use the running servers instead of opening the same store a second time.
 */
export interface LocalStack {
  readonly config: BackOfficeConfig;
  readonly dataDir: string;
  /** Present when this process started the servers (not when it joined a running stack). */
  readonly s3?: S3Server;
  stop(): Promise<void>;
}

interface StackFile {
  readonly pid: number;
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  /** The table it serves, when not the default one (a DynamoDB shared by several back offices: BACKOFFICE_DYNAMODB_ENDPOINT). */
  readonly tableName?: string;
  /** The portal server's address once it listens: its local OpenID Connect issuer is under /oidc. */
  readonly portalUrl?: string;
}

const STACK_FILE = 'stack.json';

export function resolveDataDir(explicit?: string): string {
  return resolve(explicit ?? process.env.BACKOFFICE_DATA_DIR ?? '.data');
}

/** The outbox of a data directory: the local mailer's one .eml per message. */
export const outboxDirOf = (dataDir: string): string => join(dataDir, 'outbox');

function localConfig(dynamoEndpoint: string, s3Endpoint: string, dataDir: string, tableName?: string): BackOfficeConfig {
  return loadConfig({ OUTBOX_DIR: outboxDirOf(dataDir), ...process.env, DYNAMODB_ENDPOINT: dynamoEndpoint, S3_ENDPOINT: s3Endpoint, ...(tableName === undefined ? {} : { TABLE_NAME: tableName }) });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function runningStack(dataDir: string): Promise<StackFile | undefined> {
  const file = join(dataDir, STACK_FILE);
  if (!existsSync(file)) return undefined;
  const stack = JSON.parse(await readFile(file, 'utf8')) as StackFile;
  if (!isAlive(stack.pid)) return undefined;
  try {
    await fetch(stack.dynamoEndpoint, { signal: AbortSignal.timeout(2_000) });
    return stack;
  } catch {
    return undefined;
  }
}

/** Records where `npm start`'s portal (and its issuer) listens, for `backoffice auth token`. */
export async function announcePortal(dataDir: string, portalUrl: string): Promise<void> {
  const file = join(dataDir, STACK_FILE);
  const stack = JSON.parse(await readFile(file, 'utf8')) as StackFile;
  await writeFile(file, JSON.stringify({ ...stack, portalUrl }, null, 2));
}

/** The portal address of the `npm start` serving this data directory, if one runs. */
export async function runningPortalUrl(dataDirOption?: string): Promise<string | undefined> {
  return (await runningStack(resolveDataDir(dataDirOption)))?.portalUrl;
}

/** The stack `npm start` runs on this data directory, if it runs. */
export async function joinRunningStack(dataDirOption?: string): Promise<BackOfficeConfig | undefined> {
  const running = await runningStack(resolveDataDir(dataDirOption));
  return running === undefined ? undefined : localConfig(running.dynamoEndpoint, running.s3Endpoint, resolveDataDir(dataDirOption), running.tableName);
}

/**
 * Joins the stack `npm start` runs on this data directory, or starts the servers for the
 * duration of one command when none runs.
 */
export async function openLocalStack(dataDirOption?: string): Promise<LocalStack> {
  const dataDir = resolveDataDir(dataDirOption);
  const running = await runningStack(dataDir);
  if (running !== undefined) {
    return { config: localConfig(running.dynamoEndpoint, running.s3Endpoint, dataDir, running.tableName), dataDir, stop: async () => undefined };
  }
  return startLocalStack(dataDir, { announce: false, shortLived: true });
}

/** Starts DynamoDB Local and s3rver on loopback with data under `dataDir` and provisions them. */
export async function startLocalStack(
  dataDir: string,
  options: {
    readonly announce: boolean;
    readonly dynamoDbInMemory?: boolean;
    /** The servers live as long as one command (servers.ts `shortLived`). */
    readonly shortLived?: boolean;
  },
): Promise<LocalStack> {
  await mkdir(dataDir, { recursive: true });
  const base = loadConfig(process.env);
  const servers: RunningServer[] = [];
  try {
    // Both are waited for, so that one failing to start never leaves the other running (and
    // the process unable to exit).
    const shared = process.env.BACKOFFICE_DYNAMODB_ENDPOINT;
    const [dynamo, s3] = await Promise.allSettled([
      shared !== undefined && shared !== ''
        ? Promise.resolve(runningElsewhere(shared))
        : startDynamoDbLocal({
            ...((options.dynamoDbInMemory ?? dynamoDbInMemory()) ? {} : { dataDir: join(dataDir, 'dynamodb') }),
            port: numberFromEnv('BACKOFFICE_DYNAMODB_PORT'),
            shortLived: options.shortLived === true,
          }),
      startS3Server({ dataDir: join(dataDir, 's3'), port: numberFromEnv('BACKOFFICE_S3_PORT') }),
    ]).then((results) => {
      for (const result of results) if (result.status === 'fulfilled') servers.push(result.value);
      for (const result of results) if (result.status === 'rejected') throw result.reason;
      return results.map((result) => (result as PromiseFulfilledResult<RunningServer>).value) as [RunningServer, S3Server];
    });
    const config = localConfig(dynamo.endpoint, s3.endpoint, dataDir);
    await ensureTable(createDocumentClient(config), base.tableName);
    await ensureBuckets(createS3Client(config), Object.values(base.buckets));
    if (options.announce) {
      const stack: StackFile = { pid: process.pid, dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, tableName: base.tableName };
      await writeFile(join(dataDir, STACK_FILE), JSON.stringify(stack, null, 2));
    }
    return {
      config,
      dataDir,
      s3,
      async stop() {
        if (options.announce) await rm(join(dataDir, STACK_FILE), { force: true });
        await Promise.allSettled(servers.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.allSettled(servers.map((s) => s.stop()));
    throw error;
  }
}

/**
 * `BACKOFFICE_DYNAMODB_ENDPOINT`: a DynamoDB Local (or other DynamoDB-compatible server) that
 * already runs, shared by several back offices on one machine, each with its own TABLE_NAME;
 * this stack neither starts nor stops it.
 */
const runningElsewhere = (endpoint: string): RunningServer => ({ endpoint, stop: async () => undefined });

/**
 * `BACKOFFICE_DYNAMODB_IN_MEMORY=true` keeps DynamoDB Local's tables in memory: several times
 * its on-disk write rate, and gone when the stack stops (the files in s3rver stay).
 */
function dynamoDbInMemory(): boolean {
  return process.env.BACKOFFICE_DYNAMODB_IN_MEMORY === 'true';
}

function numberFromEnv(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
}

/**
 * True when the environment names the resources itself (a table, or endpoints): the same
 * commands then run against them — real AWS with the caller's credentials when no endpoint
 * is given — instead of the embedded stack.
 */
export function environmentNamesResources(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TABLE_NAME !== undefined || env.DYNAMODB_ENDPOINT !== undefined;
}
