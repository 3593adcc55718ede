import {
  DescribeTableCommand,
  RestoreTableToPointInTimeCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from '../../shared/store/table.js';

export interface RestorePlan {
  readonly sourceTable: string;
  readonly targetTable: string;
  readonly toTime: Date;
}

export interface RestoreResult extends RestorePlan {
  /** Seconds from the request to a table ready for the stack. */
  readonly seconds: number;
}

/**
 * Restores the table as it was at `toTime` (point-in-time recovery, the last 35 days) into a
 * new table, waits until it is active, and gives it what a restore does not carry over:
 * point-in-time recovery, the TTL attribute and deletion protection. The stack then uses it
 * by `-c backoffice:<stage>:restoredTableName=<target>` (docs/operations.md, restore drill).
 * An older state comes from the AWS Backup vault (the console's restore, same switch after).
 */
export async function restoreTable(
  dynamodb: Pick<DynamoDBClient, 'send'>,
  plan: RestorePlan,
  options: { readonly pollMs?: number; readonly now?: () => number; readonly sleep?: (ms: number) => Promise<void> } = {},
): Promise<RestoreResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  await dynamodb.send(
    new RestoreTableToPointInTimeCommand({
      SourceTableName: plan.sourceTable,
      TargetTableName: plan.targetTable,
      RestoreDateTime: plan.toTime,
      BillingModeOverride: 'PAY_PER_REQUEST',
    }),
  );
  for (;;) {
    const { Table: table } = await dynamodb.send(new DescribeTableCommand({ TableName: plan.targetTable }));
    if (table?.TableStatus === 'ACTIVE' && (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE')) break;
    await sleep(options.pollMs ?? 20_000);
  }
  await dynamodb.send(new UpdateContinuousBackupsCommand({ TableName: plan.targetTable, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: plan.targetTable, TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true } }));
  await dynamodb.send(new UpdateTableCommand({ TableName: plan.targetTable, DeletionProtectionEnabled: true }));
  return { ...plan, seconds: Math.round((now() - started) / 1000) };
}

/** `<source>-restored-<yyyymmddThhmm>` of the restored-to time: a new name each restore, telling what it holds. */
export const restoredTableName = (sourceTable: string, toTime: Date): string =>
  `${sourceTable}-restored-${toTime.toISOString().slice(0, 16).replace(/[-:]/g, '')}`;
