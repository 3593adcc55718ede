import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';

const READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Transactions have no IAM action of their own: DynamoDB authorises each item inside a TransactWriteItems against these. */
const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem', 'dynamodb:ConditionCheckItem'];

/**
 * A function's reads and writes of the table, each narrowed to the partitions its stores use
 * (`dynamodb:LeadingKeys`, from shared/store/keys.ts): the table itself, no index.
 */
export function tableAccess(table: ITableV2, partitions: { reads: readonly string[]; writes: readonly string[]; deletes?: boolean }): PolicyStatement[] {
  const statement = (sid: string, actions: string[], keys: readonly string[]) =>
    new PolicyStatement({
      sid,
      effect: Effect.ALLOW,
      actions,
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys] } },
    });
  return [
    statement('ReadTable', READS, partitions.reads),
    statement('WriteTable', partitions.deletes === true ? [...WRITES, 'dynamodb:DeleteItem'] : WRITES, partitions.writes),
  ];
}
