import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATISTICS_READS } from '../../infra/constructs/statistics.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { statisticsKeys } from '../../shared/app/statistics-downloads.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { asList, logicalId, synthesizedStack, type ConstructWithResource, type TemplateResource, liveAliasRef } from '../helpers/cdk-app.js';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

function statementsOf(template: Template, role: ConstructWithResource): Statement[] {
  const roleId = logicalId(role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const arnOf = (construct: ConstructWithResource) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
const mentions = (statements: Statement[], construct: ConstructWithResource): Statement[] => statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(construct)));

describe('statistics made off the request path', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, TemplateResource>;

  beforeAll(() => {
    ({ stack, template, resources } = synthesizedStack());
  });

  it('lets the worker read master data, reports, the ledger and invoices, and put only under statistics/', () => {
    // Prepare
    const { workerFunction } = stack.statistics;
    const { table, uploads, reports, invoices } = stack.storage;
    const statements = statementsOf(template, workerFunction.role! as unknown as ConstructWithResource);
    // Assess
    const onTable = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(onTable.flatMap((s) => asList(s.Action)).sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Query']);
    // The archive: a repair's warranty phase is decided from its unit's installation (found by the local IAM check, issue 23).
    expect(STATISTICS_READS).toEqual([PARTITION.master, everyPartitionOf(PK_PREFIX.dealer), everyPartitionOf(PK_PREFIX.product)]);
    expect(onTable.find((s) => s.Resource !== undefined && JSON.stringify(s.Resource) === JSON.stringify(arnOf(table)))?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': STATISTICS_READS },
    });
    expect(onTable.find((s) => JSON.stringify(s.Resource).includes('/index/gsi1'))?.Action).toBe('dynamodb:Query');
    expect(mentions(statements, uploads)).toEqual([]);
    expect(mentions(statements, invoices)).toEqual([]);
    expect(mentions(statements, reports)).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [arnOf(reports), `/${REPORT_PREFIXES.statistics}*`]] } }),
    ]);
    expect(Object.values(statisticsKeys('2026-10', '2026-11-02T02:00:00.000Z')).every((key) => key.startsWith(REPORT_PREFIXES.statistics))).toBe(true);
  });

  it('takes one request per message from its queue, which parks a request failing three times in a dead-letter queue that alarms', () => {
    // Prepare
    const { queue, deadLetterQueue, workerFunction } = stack.statistics;
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: liveAliasRef(workerFunction),
      EventSourceArn: arnOf(queue as unknown as ConstructWithResource),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterQueue as unknown as ConstructWithResource), maxReceiveCount: 3 },
    });
    const dlqAlarms = Object.values(resources).filter(
      (r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions ?? []).includes(logicalId(deadLetterQueue as unknown as ConstructWithResource)),
    );
    expect(dlqAlarms.length).toBeGreaterThan(0);
  });

  it('lets the API send only to the statistics queue and the dealer queue of a run started from the portal, and list only the workbooks made off the request path', () => {
    // Prepare
    const { apiFunction } = stack.api;
    const statements = statementsOf(template, apiFunction.role! as unknown as ConstructWithResource);
    // Assess
    expect(statements.filter((s) => asList(s.Action).some((a) => a.startsWith('sqs:')))).toEqual([
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: arnOf(stack.statistics.queue as unknown as ConstructWithResource) }),
      expect.objectContaining({ Action: 'sqs:SendMessage', Resource: arnOf(stack.reconciliation.dealerQueue as unknown as ConstructWithResource) }),
    ]);
    expect(statements.find((s) => s.Action === 's3:ListBucket' && JSON.stringify(s.Resource).includes(logicalId(stack.storage.reports as unknown as ConstructWithResource)))).toMatchObject({
      Resource: arnOf(stack.storage.reports as unknown as ConstructWithResource),
      Condition: { StringLike: { 's3:prefix': [`${REPORT_PREFIXES.statistics}*`, `${REPORT_PREFIXES.reconciliations}*`] } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ STATISTICS_QUEUE_URL: { Ref: logicalId(stack.statistics.queue as unknown as ConstructWithResource) } }) },
    });
  });
});
