import { fileURLToPath } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { settingsEnvironment, type Stage, type StackSettings } from '../config.js';

/** An absolute path to a file of this repository. */
export const repoPath = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The resources whose names every function's configuration (shared/config.ts) holds. */
export interface FunctionResources {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
}

/**
 * The environment shared/config.ts reads, the same for every function: all resource names
 * and all settings, so a configuration is complete and truthful everywhere. A name is not a
 * permission; each function's role grants only what that function uses.
 */
export function functionEnvironment(resources: FunctionResources, settings: StackSettings): Record<string, string> {
  return {
    TABLE_NAME: resources.table.tableName,
    UPLOADS_BUCKET: resources.uploads.bucketName,
    REPORTS_BUCKET: resources.reports.bucketName,
    INVOICES_BUCKET: resources.invoices.bucketName,
    ...settingsEnvironment(settings),
    // The stack's own namespace, where its log metric filters count too.
    METRICS_NAMESPACE: Stack.of(resources.table).stackName,
    NODE_OPTIONS: '--enable-source-maps',
  };
}

/**
 * How every back-office function is built and run: Node.js 24 on arm64, JSON logs, active
 * tracing (the handlers' Powertools Tracer adds its segments), and one minified ES module bundled by the project's own esbuild (no Docker).
 * Memory, timeout, role, log group and environment are each function's own.
 */
export function nodeFunctionDefaults(entry: string): NodejsFunctionProps {
  return {
    entry: repoPath(entry),
    handler: 'handler',
    projectRoot: repoPath(''),
    depsLockFilePath: repoPath('package-lock.json'),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: ApplicationLogLevel.INFO,
    tracing: Tracing.ACTIVE,
    bundling: {
      format: OutputFormat.ESM,
      target: 'node24',
      mainFields: ['module', 'main'],
      // exceljs and its dependencies call require() for Node built-ins, which an ES module
      // bundle only has through createRequire.
      banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      minify: true,
      sourceMap: true,
      // Maps still point at file and line; leaving the sources out keeps the asset small.
      sourcesContent: false,
      // Only what the runtime already has: Node.js 24 ships AWS SDK v3, and bundling it
      // too would add about 490 KB (a third of the bundle) to every cold start's download.
      externalModules: ['@aws-sdk/*'],
    },
  };
}

/**
 * A log group kept as long as the stage keeps logs: a function's own, or (`access`) one of
 * access records, which are kept longer.
 */
export function stageLogGroup(scope: Construct, id: string, stage: Stage, kind: 'function' | 'access' = 'function'): LogGroup {
  return new LogGroup(scope, id, {
    retention: kind === 'access' ? stage.accessLogRetention : stage.logRetention,
    removalPolicy: stage.logRemovalPolicy,
  });
}
