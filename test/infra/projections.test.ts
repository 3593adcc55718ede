import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECTION_READS, PROJECTION_WRITES } from '../../infra/constructs/projections.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { everyPartitionOf, messageKeys, PK_PREFIX } from '../../shared/store/keys.js';
import { asList, logicalId, synthesizedStack, type ConstructWithResource, type TemplateResource, liveAliasRef } from '../helpers/cdk-app.js';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

function statementsOf(template: Template, role: ConstructWithResource): Statement[] {
  const roleId = logicalId(role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const asResource = (construct: unknown) => construct as ConstructWithResource;
const arnOf = (construct: unknown) => ({ 'Fn::GetAtt': [logicalId(asResource(construct)), 'Arn'] });

describe("an accepted report's projections built off the verdict's path", () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, TemplateResource>;

  beforeAll(() => {
    ({ stack, template, resources } = synthesizedStack());
  });

  it('lets the worker read report versions and write only the outcomes, the archive, the histories and the messages it tells, on no bucket', () => {
    const { workerFunction } = stack.projections;
    const statements = statementsOf(template, asResource(workerFunction.role));
    expect(PROJECTION_WRITES).toEqual([everyPartitionOf(PK_PREFIX.submission), everyPartitionOf(PK_PREFIX.product), everyPartitionOf(PK_PREFIX.unit), everyPartitionOf(PK_PREFIX.lookup)]);
    expect(PROJECTION_READS).toEqual([everyPartitionOf(PK_PREFIX.dealer), ...PROJECTION_WRITES]);
    const conditions = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:'))).map((s) => s.Condition);
    expect(conditions).toEqual([
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': PROJECTION_READS } },
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': PROJECTION_WRITES } },
      // The unboxing problems of an installation report, told to the department.
      { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [everyPartitionOf(messageKeys.inboxPrefix)] } },
    ]);
    expect(statements.flatMap((s) => asList(s.Action)).filter((a) => a === 'dynamodb:DeleteItem' || a.startsWith('s3:'))).toEqual([]);
  });

  it('takes one version per message from its queue, which parks a job failing five times in a dead-letter queue that alarms', () => {
    const { queue, deadLetterQueue, workerFunction } = stack.projections;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: liveAliasRef(workerFunction),
      EventSourceArn: arnOf(queue),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterQueue), maxReceiveCount: 5 } });
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions ?? []).includes(logicalId(asResource(deadLetterQueue))));
    expect(alarms.length).toBeGreaterThan(0);
  });

  it('lets the ingest send to the projection queue alone, and tells it where the queue is', () => {
    const statements = statementsOf(template, asResource(stack.intake.ingestFunction.role));
    expect(statements.filter((s) => asList(s.Action).some((a) => a === 'sqs:SendMessage'))).toEqual([expect.objectContaining({ Action: 'sqs:SendMessage', Resource: arnOf(stack.projections.queue) })]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PROJECTION_QUEUE_URL: { Ref: logicalId(asResource(stack.projections.queue)) } }) },
    });
  });
});
