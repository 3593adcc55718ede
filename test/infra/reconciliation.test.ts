import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVOICES_PREFIX } from '../../infra/constructs/reconciliation.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { invoiceWorkbookKey } from '../../shared/app/reconcile.js';
import type { Invoice } from '../../shared/domain/invoice.js';
import { createTestApp } from '../helpers/cdk-app.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Construct = { node: { defaultChild?: unknown } };

const logicalId = (construct: Construct): string =>
  Stack.of(construct as never).getLogicalId(construct.node.defaultChild as CfnElement);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const arnOf = (construct: Construct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });

/** Every statement of the identity policies attached to a role. */
function statementsOf(template: Template, role: Construct): Statement[] {
  const roleId = logicalId(role);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => asList(s.Action)).sort();
const grantsOn = (statements: Statement[], construct: Construct): Statement[] =>
  statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(construct)));

describe('Reconciliation', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ stack } = createTestApp());
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources as Record<string, Resource>;
  });

  describe('schedules', () => {
    it('run the reminders on the 4th and the reconciliation on the configured day, in the business time zone', () => {
      // Prepare
      const { reconciliation } = stack;
      const schedule = (construct: Construct) => resources[logicalId(construct)]!.Properties;

      // Assess
      template.resourceCountIs('AWS::Scheduler::Schedule', 2);
      expect(schedule(reconciliation.remindersSchedule)).toMatchObject({
        ScheduleExpression: 'cron(0 9 4 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: { Arn: arnOf(reconciliation.remindersFunction), Input: '{}' },
      });
      expect(schedule(reconciliation.reconcileSchedule)).toMatchObject({
        ScheduleExpression: 'cron(0 2 5 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: { Arn: arnOf(reconciliation.reconcileFunction), Input: '{}' },
      });
    });

    it('take the day and the time zone from CDK context', () => {
      // Prepare
      const { stack: custom } = createTestApp({
        context: { 'backoffice:reconciliationDay': '12', 'backoffice:businessTimeZone': 'Europe/Berlin' },
      });

      // Act
      const schedule = Template.fromStack(custom).toJSON().Resources[logicalId(custom.reconciliation.reconcileSchedule)] as Resource;

      // Assess
      expect(schedule.Properties).toMatchObject({
        ScheduleExpression: 'cron(0 2 12 * ? *)',
        ScheduleExpressionTimezone: 'Europe/Berlin',
      });
    });

    it('retry delivery and park what could not be delivered in an encrypted, TLS-only dead-letter queue', () => {
      const { reconciliation } = stack;
      const dlqArn = arnOf(reconciliation.deadLetterQueue);

      for (const schedule of [reconciliation.remindersSchedule, reconciliation.reconcileSchedule]) {
        expect(resources[logicalId(schedule)]!.Properties.Target).toMatchObject({
          RoleArn: arnOf(reconciliation.schedulerRole),
          DeadLetterConfig: { Arn: dlqArn },
          RetryPolicy: { MaximumEventAgeInSeconds: 6 * 3600, MaximumRetryAttempts: 20 },
        });
      }
      expect(resources[logicalId(reconciliation.deadLetterQueue)]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: logicalId(reconciliation.deadLetterQueue) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('use a role that only these schedules may assume and that may invoke only the two functions', () => {
      // Prepare
      const { reconciliation } = stack;
      const role = resources[logicalId(reconciliation.schedulerRole)]!.Properties;
      const statements = statementsOf(template, reconciliation.schedulerRole);

      // Assess
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(role.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: {
              StringEquals: {
                'aws:SourceAccount': { Ref: 'AWS::AccountId' },
                'aws:SourceArn': arnOf(reconciliation.scheduleGroup),
              },
            },
          },
        ],
      });
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [arnOf(reconciliation.reconcileFunction), arnOf(reconciliation.remindersFunction)],
        }),
        expect.objectContaining({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(reconciliation.deadLetterQueue) }),
      ]);
      const group = resources[logicalId(reconciliation.scheduleGroup)]!.Properties.Name;
      for (const schedule of [reconciliation.remindersSchedule, reconciliation.reconcileSchedule]) {
        const resource = resources[logicalId(schedule)] as Resource & { DependsOn?: string[] };
        expect(resource.Properties.GroupName).toEqual(group);
        expect(resource.DependsOn).toContain(logicalId(reconciliation.scheduleGroup));
      }
    });
  });

  describe('functions', () => {
    it('run the reconciliation on Node.js 24 arm64, 1.5 GB, 15 minutes, one run at a time', () => {
      const fn = resources[logicalId(stack.reconciliation.reconcileFunction)]!.Properties;

      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 1536,
        Timeout: 900,
        ReservedConcurrentExecutions: 1,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    });

    it('run the reminders on Node.js 24 arm64, 512 MB, 5 minutes', () => {
      const fn = resources[logicalId(stack.reconciliation.remindersFunction)]!.Properties;

      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 300 });
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('give both the configuration shared/config.ts reads, as the ingest gets it', () => {
      const { table, uploads, reports, invoices } = stack.storage;
      const variables = (fn: Construct) => (resources[logicalId(fn)]!.Properties.Environment as { Variables: object }).Variables;
      const expected = {
        TABLE_NAME: { Ref: logicalId(table) },
        UPLOADS_BUCKET: { Ref: logicalId(uploads) },
        REPORTS_BUCKET: { Ref: logicalId(reports) },
        INVOICES_BUCKET: { Ref: logicalId(invoices) },
        BUSINESS_TIME_ZONE: 'Asia/Shanghai',
        RETURN_WINDOW_DAYS: '60',
        RECONCILIATION_DAY: '5',
        MAX_UPLOAD_BYTES: String(20 * 1024 * 1024),
        MAX_UPLOAD_ROWS: '200000',
        NODE_OPTIONS: '--enable-source-maps',
      };

      expect(variables(stack.reconciliation.reconcileFunction)).toEqual(expected);
      expect(variables(stack.reconciliation.remindersFunction)).toEqual(expected);
      expect(variables(stack.intake.ingestFunction)).toEqual(expected);
    });

    it('send a run that failed after Lambda’s retries to the same dead-letter queue', () => {
      const { reconcileFunction, remindersFunction, deadLetterQueue } = stack.reconciliation;
      const onFailure = { OnFailure: { Destination: arnOf(deadLetterQueue) } };

      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(reconcileFunction) },
        MaximumRetryAttempts: 1,
        DestinationConfig: onFailure,
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(remindersFunction) },
        DestinationConfig: onFailure,
      });
    });
  });

  describe('least privilege', () => {
    it('lets the reconciliation read and write only its own partitions, query gsi1 and put invoice workbooks', () => {
      // Prepare
      const { reconcileFunction, deadLetterQueue } = stack.reconciliation;
      const { table, uploads, reports, invoices } = stack.storage;
      const role = resources[logicalId(reconcileFunction.role!)]!.Properties;
      const statements = statementsOf(template, reconcileFunction.role!);
      const tableArn = arnOf(table);
      const leadingKeys = (s: Statement) =>
        (s.Condition as { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': string[] } })['ForAllValues:StringLike'][
          'dynamodb:LeadingKeys'
        ];

      // Assess: no managed policy, no wildcard action, nothing on uploads or reports.
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      expect(actionsOf(statements).filter((action) => action.endsWith('*'))).toEqual([]);
      expect(grantsOn(statements, uploads)).toEqual([]);
      expect(grantsOn(statements, reports)).toEqual([]);

      // S3: PutObject under invoices/ only, the prefix the use case writes under.
      expect(grantsOn(statements, invoices)).toEqual([
        expect.objectContaining({
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [arnOf(invoices), `/${INVOICES_PREFIX}*`]] },
        }),
      ]);
      const invoice = { period: '2026-10', dealer: { code: 'D001' }, invoice_no: 'FY-2026-10-0001' } as Invoice;
      expect(invoiceWorkbookKey(invoice).startsWith(INVOICES_PREFIX)).toBe(true);

      // DynamoDB: the item actions the stores call, nothing that deletes or writes in bulk.
      const dynamo = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(actionsOf(dynamo)).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      const writes = dynamo.find((s) => asList(s.Action).includes('dynamodb:PutItem'))!;
      expect(writes.Resource).toEqual(tableArn);
      expect(leadingKeys(writes).sort()).toEqual(['COUNTER', 'DEALER#*', 'RUN#RECON']);
      const reads = dynamo.find((s) => asList(s.Action).includes('dynamodb:GetItem'))!;
      expect(reads.Resource).toEqual(tableArn);
      expect(leadingKeys(reads).sort()).toEqual(['COUNTER', 'DEALER#*', 'MASTER']);
      const indexQuery = dynamo.find((s) => JSON.stringify(s.Resource).includes('/index/'))!;
      expect(indexQuery).toMatchObject({ Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [tableArn, '/index/gsi1']] } });

      // SQS: only its own failed invocations, into the dead-letter queue.
      const sqs = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('sqs:')));
      expect(sqs).toEqual([expect.objectContaining({ Resource: arnOf(deadLetterQueue) })]);
      expect(actionsOf(statements).filter((a) => !/^(dynamodb|s3|sqs):/.test(a))).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('lets the reminders read master data and dealers’ reports, and write nothing', () => {
      // Prepare
      const { remindersFunction, deadLetterQueue } = stack.reconciliation;
      const { table, uploads, reports, invoices } = stack.storage;
      const role = resources[logicalId(remindersFunction.role!)]!.Properties;
      const statements = statementsOf(template, remindersFunction.role!);

      // Assess
      expect(role.ManagedPolicyArns).toBeUndefined();
      for (const bucket of [uploads, reports, invoices]) expect(grantsOn(statements, bucket)).toEqual([]);
      expect(actionsOf(statements).filter((a) => a.startsWith('s3:'))).toEqual([]);
      expect(grantsOn(statements, table)).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: arnOf(table),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MASTER', 'DEALER#*'] } },
        }),
      ]);
      // The only things it may send anywhere: its logs, its traces, and its own failed invocation.
      expect(actionsOf(statements)).toEqual([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      expect(grantsOn(statements, deadLetterQueue)).toHaveLength(1);
    });
  });

  describe('monitoring', () => {
    it('alarms on both functions’ errors, on dealers that failed, and on runs in the dead-letter queue', () => {
      // Prepare
      const { reconcileFunction, remindersFunction, deadLetterQueue } = stack.reconciliation;
      const topic = { Ref: logicalId(stack.monitoring.alarmTopic) };
      const functionAlarm = (metric: string, fn: Construct) =>
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
          AlarmActions: [topic],
        });

      // Assess
      for (const fn of [reconcileFunction, remindersFunction]) {
        functionAlarm('Errors', fn);
        functionAlarm('Throttles', fn);
      }
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'QueueName'] } }],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [topic],
      });
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: logicalId(reconcileFunction.logGroup as unknown as Construct) },
        FilterPattern: '{ $.level = "ERROR" }',
        MetricTransformations: [Match.objectLike({ MetricName: 'ReconcileLoggedErrors', MetricValue: '1' })],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [Match.objectLike({ MetricStat: Match.objectLike({ Metric: { MetricName: 'ReconcileLoggedErrors', Namespace: 'BackOffice' } }) })],
        AlarmActions: [topic],
      });
    });

    it('shows the new alarms and metrics on the dashboard', () => {
      const { reconcileFunction, remindersFunction, deadLetterQueue } = stack.reconciliation;
      const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);

      for (const construct of [reconcileFunction, remindersFunction]) expect(body).toContain(logicalId(construct));
      expect(body).toContain(logicalId(deadLetterQueue));
      const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
      for (const id of alarmIds) expect(body, id).toContain(id);
    });
  });
});
