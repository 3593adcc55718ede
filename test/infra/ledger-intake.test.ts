import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { logicalId, synthesizedStack } from '../helpers/cdk-app.js';

describe('ledger files recorded off the request path', () => {
  let stack: BackOfficeStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizedStack());
  });

  it('queues every ledger upload for the worker, with a dead-letter queue after five attempts', () => {
    const { queue, deadLetterQueue } = stack.ledgerIntake;
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      // Six times the worker's timeout, so a file is not handed to a second worker while the first reads it.
      VisibilityTimeout: 5400,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 's3.amazonaws.com' }, Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }) }),
        ]),
      },
    });
  });

  it('gives the worker the longest timeout Lambda allows (a 200,000-row file took 412 s locally) and the ingest’s memory, one file per invocation', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('shipments or returns'),
      Timeout: 900,
      MemorySize: 1024,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.ledgerIntake.queue), 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('alarms on a dead-lettered ledger file, and says when it is cleared', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.ledgerIntake.deadLetterQueue), 'QueueName'] } }] },
    });
    const alarm = Object.values(alarms).map((a) => a.Properties as { AlarmActions?: unknown[]; OKActions?: unknown[] })[0];
    expect(alarm?.AlarmActions).toHaveLength(1);
    expect(alarm?.OKActions).toHaveLength(1);
  });

  it('lists the queue and its dead-letter queue among the outputs', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.LedgerIntakeQueueUrl?.Value).toEqual({ Ref: logicalId(stack.ledgerIntake.queue) });
    expect(outputs.LedgerIntakeDeadLetterQueueUrl?.Value).toEqual({ Ref: logicalId(stack.ledgerIntake.deadLetterQueue) });
  });
});
