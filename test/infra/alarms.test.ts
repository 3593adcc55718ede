import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECONCILIATION_DUE_METRIC } from '../../infra/constructs/reconciliation.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { createTestApp, logicalId, type ConstructWithResource } from '../helpers/cdk-app.js';

type Construct = ConstructWithResource;
type Resource = { Type: string; Properties: Record<string, unknown> };

describe('alarms that fire', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let topic: { Ref: string };

  beforeAll(() => {
    ({ stack } = createTestApp({ context: { 'backoffice:alarmEmail': 'ops@example.com' } }));
    template = Template.fromStack(stack);
    topic = { Ref: logicalId(stack.monitoring.alarmTopic) };
  });

  it('alarms on answers the API gave as 5xx, which the function’s Errors never see', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId(stack.api.httpApi!) } }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
  });

  it('alarms on a slow p95 latency of the API', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p95',
      Threshold: 5000,
      EvaluationPeriods: 3,
      AlarmActions: [topic],
    });
  });

  it('counts the API handler’s logged errors by a metric filter on level ERROR, and alarms on them', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: logicalId(stack.api.apiFunction.logGroup as unknown as Construct) },
      FilterPattern: '{ $.level = "ERROR" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'HandlerLoggedErrors', MetricValue: '1', MetricNamespace: 'BackOffice' })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('answered 500'),
      Metrics: [Match.objectLike({ MetricStat: Match.objectLike({ Metric: { MetricName: 'HandlerLoggedErrors', Namespace: 'BackOffice' } }) })],
      AlarmActions: [topic],
    });
  });

  it('notices a month whose reconciliation did not run: a check on its day, and no run in the day before it', () => {
    // Prepare
    const resources = template.toJSON().Resources as Record<string, Resource>;
    const check = resources[logicalId(stack.reconciliation.checkSchedule)]!.Properties;
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const byMetric = (name: string) => Object.entries(alarms).find(([, a]) => a.Properties.MetricName === name)!;

    // Assess: the check publishes ReconciliationDue on the reconciliation day, late, in business time.
    expect(check).toMatchObject({
      ScheduleExpression: 'cron(0 23 5 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: {
        Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':scheduler:::aws-sdk:cloudwatch:putMetricData']] },
        Input: JSON.stringify({ Namespace: 'BackOffice', MetricData: [{ MetricName: RECONCILIATION_DUE_METRIC, Value: 1, Unit: 'Count' }] }),
      },
    });
    // No run for 24 hourly periods, missing data breaching: the planner's metric never came.
    const [noRunId, noRun] = byMetric('DealersPlanned');
    expect(noRun.Properties).toMatchObject({
      Namespace: 'BackOffice',
      Dimensions: [{ Name: 'service', Value: 'reconcile' }],
      Statistic: 'SampleCount',
      Period: 3600,
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    expect(noRun.Properties.AlarmActions).toBeUndefined();
    const [dueId, due] = byMetric(RECONCILIATION_DUE_METRIC);
    expect(due.Properties).toMatchObject({ Namespace: 'BackOffice', TreatMissingData: 'notBreaching' });
    // Both at once notify, and say so again when it is over.
    template.hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
      AlarmRule: {
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('ALARM\\("'), { 'Fn::GetAtt': [dueId, 'Arn'] }, { 'Fn::GetAtt': [noRunId, 'Arn'] }])],
      },
      AlarmActions: [topic],
      OKActions: [topic],
    });
    // The check may publish into the stack's own namespace, nothing else.
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'BackOffice' } } }),
        ]),
      },
    });
  });

  it('tells the topic when a dead-letter queue is empty again', () => {
    const { intake, reconciliation } = stack;
    for (const queue of [intake.deadLetterQueue, reconciliation.dealerDeadLetterQueue, reconciliation.deadLetterQueue]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
        AlarmActions: [topic],
        OKActions: [topic],
      });
    }
  });

  it('sends every alarm to the one topic, with the e-mail subscription of the settings', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: topic, Protocol: 'email', Endpoint: 'ops@example.com' });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    // The parts of the composite alarm notify through it.
    const notifying = alarms.filter((a) => !String(a.Properties.AlarmDescription).includes('No notification of its own'));
    expect(notifying.length).toBeGreaterThan(15);
    for (const alarm of notifying) expect(alarm.Properties.AlarmActions, String(alarm.Properties.AlarmDescription)).toEqual([topic]);
  });

  it('shows the API’s requests, 5xx and latency, and the table’s capacity and throttles on the dashboard', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);

    for (const metric of ['\\"Count\\"', '\\"5xx\\"', '\\"Latency\\"', 'ConsumedReadCapacityUnits', 'ConsumedWriteCapacityUnits', 'ReadThrottleEvents', 'WriteThrottleEvents']) {
      expect(body).toContain(metric);
    }
    expect(body).toContain(logicalId(stack.api.httpApi!));
    expect(body).toContain(logicalId(stack.storage.table));
  });
});
