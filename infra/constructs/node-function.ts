import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { ApplicationLogLevel, Architecture, Function as LambdaFunction, LoggingFormat, Runtime, Tracing, type FunctionProps } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { functionCode } from './function-bundles.js';
import { settingsEnvironment, type Stage, type StackSettings } from '../config.js';

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

/** What a back-office function is given besides its handler: all but how it is built and run. */
export type BackOfficeFunctionProps = Omit<FunctionProps, 'code' | 'handler' | 'runtime' | 'architecture' | 'loggingFormat' | 'applicationLogLevelV2' | 'tracing'> & {
  /** Its handler's file in this repository, e.g. `functions/ingest.ts`. */
  readonly entry: string;
};

/**
 * A function of the back office: Node.js 24 on arm64, JSON logs, active tracing (the
 * handlers' Powertools Tracer adds its segments), and its handler as one minified ES module
 * bundled by the project's own esbuild (no Docker; function-bundles.ts). Memory, timeout,
 * role, log group and environment are each function's own.
 */
export class BackOfficeFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, { entry, ...props }: BackOfficeFunctionProps) {
    super(scope, id, {
      ...props,
      code: functionCode(entry),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel.INFO,
      tracing: Tracing.ACTIVE,
    });
  }
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
