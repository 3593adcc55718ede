import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { PARTITION } from '../../shared/store/keys.js';
import { asList, logicalId, synthesizedStack, type TemplateResource, liveAliasRef } from '../helpers/cdk-app.js';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

describe('master data without the CLI', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, TemplateResource>;

  beforeAll(() => {
    ({ stack, template, resources } = synthesizedStack());
  });

  /** Every statement of the policies attached to a role whose logical id begins with `prefix`. */
  const statementsOf = (prefix: string): Statement[] =>
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as Array<{ Ref: string }>)[0]?.Ref.startsWith(prefix))
      .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  const bySid = (statements: Statement[], sid: string): Statement => {
    const found = statements.find((s) => s.Sid === sid);
    expect(found, sid).toBeDefined();
    return found!;
  };
  const objectsUnder = (bucketId: string, prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });

  it('imports a workbook put under master/portal/ through its own queue, retried 3 times, then dead-lettered', () => {
    const { queue, deadLetterQueue, importFunction } = stack.masterData;
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] }, maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] },
      FunctionName: liveAliasRef(importFunction),
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Only S3 of this account may announce objects on it.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(queue) }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 's3.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }) })]) },
    });
  });

  it('alarms on a dead-lettered workbook and says when the queue is empty again', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.masterData.deadLetterQueue), 'QueueName'] } }],
      AlarmActions: [{ Ref: logicalId(stack.monitoring.alarmTopic) }],
      OKActions: [{ Ref: logicalId(stack.monitoring.alarmTopic) }],
    });
  });

  it('lets the import read the portal form’s master/portal/ uploads only (each under a ticket), and write only its outcomes and the master data', () => {
    const statements = statementsOf('MasterDataImportMasterRole');
    const uploads = logicalId(stack.storage.uploads);
    const reports = logicalId(stack.storage.reports);
    expect(bySid(statements, 'ReadMasterUploads').Resource).toEqual(objectsUnder(uploads, 'master/portal/'));
    expect(bySid(statements, 'WriteMasterOutcomes').Resource).toEqual(objectsUnder(reports, 'master-imports/'));
    expect(bySid(statements, 'ListMasterOutcomes').Condition).toEqual({ StringLike: { 's3:prefix': ['master-imports/*'] } });
    const keys = (sid: string) => asList(bySid(statements, sid).Condition!['ForAllValues:StringLike']!['dynamodb:LeadingKeys'] as string | string[]);
    expect(keys('WriteTable')).toEqual([PARTITION.master]);
    expect(keys('ReadTable').sort()).toEqual([PARTITION.master, 'TICKET#master/portal/*'].sort());
    // Nothing of the invoices bucket, no index, no other prefix.
    const s3Resources = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:'))).flatMap((s) => asList(s.Resource));
    expect(JSON.stringify(s3Resources)).not.toContain(logicalId(stack.storage.invoices));
    expect(JSON.stringify(statements)).not.toContain('/index/');
  });

  it('gives no other function a write of the master data', () => {
    const writers = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) =>
        (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement.some(
          (s) => s.Sid === 'WriteTable' && asList(s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string | string[]).includes(PARTITION.master),
        ),
      )
      .map((r) => (r.Properties.Roles as Array<{ Ref: string }>)[0]!.Ref);
    expect(writers).toHaveLength(1);
    expect(writers[0]).toMatch(/^MasterDataImportMasterRole/);
  });

  it('lets the API list and read the outcomes of master-data uploads, nothing more of that prefix', () => {
    const statements = statementsOf('ApiApiRole');
    expect(bySid(statements, 'ReadMasterOutcomes')).toMatchObject({ Action: 's3:GetObject', Resource: objectsUnder(logicalId(stack.storage.reports), 'master-imports/') });
    expect(bySid(statements, 'ListMasterOutcomes').Condition).toEqual({ StringLike: { 's3:prefix': ['master-imports/*'] } });
  });
});
