import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { INVOICES_PREFIX } from '../../infra/constructs/reconciliation.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { invoiceWorkbookKey } from '../../shared/app/reconcile.js';
import { reconciliationKeys } from '../../shared/app/reconciliation-downloads.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import type { Invoice } from '../../shared/domain/invoice.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { createTestApp, synthesizedStack, type TemplateResource } from '../helpers/cdk-app.js';

const { master: MASTER, invoiceCounter: COUNTER, reconciliationRuns: RUNS } = PARTITION;
/** Every partition of a dealer: its own items and its report versions' partitions. */
const DEALERS = everyPartitionOf(PK_PREFIX.dealer);

type Resource = TemplateResource;
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
type Construct = { node: { defaultChild?: unknown } };

const logicalId = (construct: Construct): string =>
  Stack.of(construct as never).getLogicalId(construct.node.defaultChild as CfnElement);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);
const arnOf = (construct: Construct) => ({ 'Fn::GetAtt': [logicalId(construct), 'Arn'] });
/** A function's `live` alias, which schedules, event sources and the API invoke (infra/constructs/rollout.ts). */
const liveOf = (fn: { node: { findChild(id: string): unknown } }) => ({ Ref: logicalId(fn.node.findChild('Live') as Construct) });

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
    ({ stack, template, resources } = synthesizedStack());
  });

  describe('schedules', () => {
    it('run the reminders on the 4th and the reconciliation on the configured day, in the business time zone', () => {
      // Prepare
      const { reconciliation } = stack;
      const schedule = (construct: Construct) => resources[logicalId(construct)]!.Properties;

      // Assess
      // The third is the check that the run happened (test/infra/alarms.test.ts), the fourth the
      // daily deadline notices (test/infra/notices.test.ts).
      template.resourceCountIs('AWS::Scheduler::Schedule', 4);
      expect(schedule(reconciliation.remindersSchedule)).toMatchObject({
        ScheduleExpression: 'cron(0 9 4 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: { Arn: liveOf(reconciliation.remindersFunction), Input: '{}' },
      });
      expect(schedule(reconciliation.reconcileSchedule)).toMatchObject({
        ScheduleExpression: 'cron(30 4 5 * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: { Arn: liveOf(reconciliation.reconcileFunction), Input: '{}' },
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
        ScheduleExpression: 'cron(30 4 12 * ? *)',
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

    it("use a role that only these schedules may assume and that may invoke only the functions' live aliases", () => {
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
      // The schedules invoke the functions' live aliases (infra/constructs/rollout.ts): the role may invoke those alone.
      expect(statements).toEqual([
        expect.objectContaining({
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: [liveOf(reconciliation.reconcileFunction), liveOf(reconciliation.remindersFunction)],
        }),
        expect.objectContaining({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(reconciliation.deadLetterQueue) }),
        // The daily deadline notices run on the same schedule group and role (infra/constructs/notices.ts).
        expect.objectContaining({ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: liveOf(stack.notices.deadlinesFunction) }),
        // …with a dead-letter queue of its own, so its alarm names what failed.
        expect.objectContaining({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arnOf(stack.notices.deadLetterQueue) }),
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
    it('plan the reconciliation on Node.js 24 arm64, 512 MB, 5 minutes, one plan at a time, traced', () => {
      const fn = resources[logicalId(stack.reconciliation.reconcileFunction)]!.Properties;

      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 300,
        ReservedConcurrentExecutions: 1,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    });

    it('reconcile each dealer on Node.js 24 arm64, 1 GB, 5 minutes, traced, without a concurrency reservation', () => {
      const fn = resources[logicalId(stack.reconciliation.reconcileDealerFunction)]!.Properties;

      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 1024,
        Timeout: 300,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('run the reminders on Node.js 24 arm64, 512 MB, 5 minutes', () => {
      const fn = resources[logicalId(stack.reconciliation.remindersFunction)]!.Properties;

      expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 512, Timeout: 300 });
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    });

    it('give every function the configuration shared/config.ts reads, and the planner the dealer queue', () => {
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
        SUPERSEDED_VERSION_TTL_DAYS: '30',
        METRICS_NAMESPACE: 'BackOffice',
        NODE_OPTIONS: '--enable-source-maps',
      };
      // A function that tells people: no SES sender in the test stage, so no MAIL_FROM; links in mail go to the portal.
      const telling = {
        ...expected,
        NOTICE_ADMIN_EMAILS: '',
        NOTICE_FINANCE_EMAILS: '',
        NOTICE_MANAGER_EMAILS: '',
        NOTICE_WAREHOUSE_EMAILS: '',
        OUTBOX_DIR: '/tmp/outbox',
        PORTAL_URL: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.portal.distribution), 'DomainName'] }, '/']] },
      };

      expect(variables(stack.reconciliation.reconcileFunction)).toEqual({
        ...expected,
        RECONCILE_QUEUE_URL: { Ref: logicalId(stack.reconciliation.dealerQueue) },
      });
      expect(variables(stack.reconciliation.reconcileDealerFunction)).toEqual(telling);
      expect(variables(stack.reconciliation.remindersFunction)).toEqual(telling);
      // The ingest hands each accepted version's projections on to their worker.
      expect(variables(stack.intake.ingestFunction)).toEqual({ ...telling, PROJECTION_QUEUE_URL: { Ref: logicalId(stack.projections.queue) } });
    });

    it('send a run that failed after Lambda’s retries to the same dead-letter queue', () => {
      const { reconcileFunction, remindersFunction, deadLetterQueue } = stack.reconciliation;
      const onFailure = { OnFailure: { Destination: arnOf(deadLetterQueue) } };

      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(reconcileFunction) },
        Qualifier: 'live',
        MaximumRetryAttempts: 1,
        DestinationConfig: onFailure,
      });
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(remindersFunction) },
        DestinationConfig: onFailure,
      });
    });
  });

  describe('dealer queue', () => {
    it('is encrypted, TLS-only, hides a message longer than the function may work on it, and parks it after 3 receives', () => {
      const { dealerQueue, dealerDeadLetterQueue, reconcileDealerFunction } = stack.reconciliation;
      const queue = resources[logicalId(dealerQueue)]!.Properties;
      const timeout = resources[logicalId(reconcileDealerFunction)]!.Properties.Timeout as number;

      expect(queue).toMatchObject({
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: arnOf(dealerDeadLetterQueue), maxReceiveCount: 3 },
      });
      expect(queue.VisibilityTimeout).toBe(6 * timeout);
      expect(resources[logicalId(dealerDeadLetterQueue)]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expect(resources[logicalId(dealerDeadLetterQueue)]!.Properties.MessageRetentionPeriod as number).toBeGreaterThan(
        queue.MessageRetentionPeriod as number,
      );
      for (const q of [dealerQueue, dealerDeadLetterQueue]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(q) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('feeds the dealer function in batches of ten that report their failed messages, five batches at once', () => {
      const { dealerQueue, reconcileDealerFunction } = stack.reconciliation;

      template.resourcePropertiesCountIs('AWS::Lambda::EventSourceMapping', { EventSourceArn: arnOf(dealerQueue) }, 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(dealerQueue),
        FunctionName: liveOf(reconcileDealerFunction),
        BatchSize: 10,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      });
    });
  });

  describe('least privilege', () => {
    it('lets the dealer reconciliation read and write only its own partitions, query gsi1, put invoice and reconciliation workbooks and consume its queue', () => {
      // Prepare
      const { reconcileDealerFunction, dealerQueue } = stack.reconciliation;
      const { table, uploads, reports, invoices } = stack.storage;
      const role = resources[logicalId(reconcileDealerFunction.role!)]!.Properties;
      const statements = statementsOf(template, reconcileDealerFunction.role!);
      const tableArn = arnOf(table);
      const leadingKeys = (s: Statement) =>
        (s.Condition as { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': string[] } })['ForAllValues:StringLike'][
          'dynamodb:LeadingKeys'
        ];

      // Assess: no managed policy, no wildcard action, nothing on uploads; of reports, only
      // PutObject of the 用户借料盘点表 the run's last dealer writes.
      expect(role.ManagedPolicyArns).toBeUndefined();
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      expect(actionsOf(statements).filter((action) => action.endsWith('*'))).toEqual([]);
      expect(grantsOn(statements, uploads)).toEqual([]);
      expect(grantsOn(statements, reports)).toEqual([
        expect.objectContaining({ Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [arnOf(reports), `/${REPORT_PREFIXES.reconciliations}*`]] } }),
      ]);
      expect(reconciliationKeys('2026-10', '2026-11-05').workbook.startsWith(REPORT_PREFIXES.reconciliations)).toBe(true);

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
        // A dealer failing again on a re-run checks its marker in the same transaction.
        'dynamodb:ConditionCheckItem',
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        'dynamodb:UpdateItem',
      ]);
      // The credit notes it makes are told: messages in the inbox partitions only.
      const messages = dynamo.find((s) => s.Sid === 'KeepMessages')!;
      expect(leadingKeys(messages)).toEqual(['INBOX#*']);
      const writes = dynamo.find((s) => s.Sid !== 'KeepMessages' && asList(s.Action).includes('dynamodb:PutItem'))!;
      expect(writes.Resource).toEqual(tableArn);
      expect(leadingKeys(writes).sort()).toEqual([COUNTER, DEALERS, RUNS].sort());
      const reads = dynamo.find((s) => s.Sid !== 'KeepMessages' && asList(s.Action).includes('dynamodb:GetItem'))!;
      expect(reads.Resource).toEqual(tableArn);
      expect(leadingKeys(reads).sort()).toEqual([COUNTER, DEALERS, MASTER, RUNS].sort());
      const indexQuery = dynamo.find((s) => JSON.stringify(s.Resource).includes('/index/'))!;
      expect(indexQuery).toMatchObject({ Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [tableArn, '/index/gsi1']] } });

      // SQS: consuming its own queue, which the event source mapping needs; no sending anywhere.
      const sqs = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('sqs:')));
      expect(sqs).toEqual([expect.objectContaining({ Resource: arnOf(dealerQueue) })]);
      expect(actionsOf(sqs)).toEqual([
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ]);
      expect(actionsOf(statements).filter((a) => !/^(dynamodb|s3|sqs):/.test(a))).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('lets the planner read dealers, record the run, send to the dealer queue and park its own failures, nothing else', () => {
      // Prepare
      const { reconcileFunction, dealerQueue, deadLetterQueue } = stack.reconciliation;
      const { table, uploads, reports, invoices } = stack.storage;
      const role = resources[logicalId(reconcileFunction.role!)]!.Properties;
      const statements = statementsOf(template, reconcileFunction.role!);

      // Assess
      expect(role.ManagedPolicyArns).toBeUndefined();
      for (const bucket of [uploads, reports, invoices]) expect(grantsOn(statements, bucket)).toEqual([]);
      expect(grantsOn(statements, table)).toEqual([
        expect.objectContaining({
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: arnOf(table),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [MASTER, RUNS] } },
        }),
        expect.objectContaining({
          Action: 'dynamodb:PutItem',
          Resource: arnOf(table),
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [RUNS] } },
        }),
      ]);
      expect(grantsOn(statements, dealerQueue)).toEqual([expect.objectContaining({ Action: 'sqs:SendMessage', Resource: arnOf(dealerQueue) })]);
      expect(grantsOn(statements, deadLetterQueue)).toHaveLength(1);
      expect(actionsOf(statements).filter((a) => !/^(dynamodb|sqs):/.test(a))).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it('lets the reminders read master data and dealers’ reports, and write only the messages they leave', () => {
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
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [MASTER, DEALERS] } },
        }),
        expect.objectContaining({
          Sid: 'KeepMessages',
          Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
          Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INBOX#*'] } },
        }),
      ]);
      // The only things it may send anywhere: its logs, its traces, its messages, and its own failed invocation.
      expect(actionsOf(statements)).toEqual([
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
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
    it('alarms on the functions’ errors, on dealers that failed, on runs and dealer messages in dead-letter queues', () => {
      // Prepare
      const { reconcileFunction, reconcileDealerFunction, remindersFunction, deadLetterQueue, dealerQueue, dealerDeadLetterQueue } =
        stack.reconciliation;
      const topic = { Ref: logicalId(stack.monitoring.alarmTopic) };
      const functionAlarm = (metric: string, fn: Construct) =>
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: logicalId(fn) } }],
          AlarmActions: [topic],
        });
      const queueAlarm = (metric: string, queue: Construct) =>
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(queue), 'QueueName'] } }],
          ComparisonOperator: 'GreaterThanThreshold',
          AlarmActions: [topic],
        });

      // Assess
      for (const fn of [reconcileFunction, reconcileDealerFunction, remindersFunction]) {
        functionAlarm('Errors', fn);
        functionAlarm('Throttles', fn);
      }
      for (const queue of [deadLetterQueue, dealerDeadLetterQueue]) queueAlarm('ApproximateNumberOfMessagesVisible', queue);
      queueAlarm('ApproximateAgeOfOldestMessage', dealerQueue);
      // Dealers that fail are logged by the dealer function, whose invocation still succeeds.
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: logicalId(reconcileDealerFunction.logGroup as unknown as Construct) },
        FilterPattern: '{ $.level = "ERROR" }',
        MetricTransformations: [Match.objectLike({ MetricName: 'ReconcileDealerLoggedErrors', MetricValue: '1' })],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [
          Match.objectLike({ MetricStat: Match.objectLike({ Metric: { MetricName: 'ReconcileDealerLoggedErrors', Namespace: 'BackOffice' } }) }),
        ],
        AlarmActions: [topic],
      });
      // So do the reminders and the daily deadline job: a failed dealer is an ERROR line, and the job goes on.
      for (const [fn, metric] of [[remindersFunction, 'RemindersLoggedErrors'], [stack.notices.deadlinesFunction, 'DeadlinesLoggedErrors']] as const) {
        template.hasResourceProperties('AWS::Logs::MetricFilter', {
          LogGroupName: { Ref: logicalId(fn.logGroup as unknown as Construct) },
          FilterPattern: '{ $.level = "ERROR" }',
          MetricTransformations: [Match.objectLike({ MetricName: metric, MetricValue: '1' })],
        });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Metrics: [Match.objectLike({ MetricStat: Match.objectLike({ Metric: { MetricName: metric, Namespace: 'BackOffice' } }) })],
          AlarmActions: [topic],
        });
      }
    });

    it('shows the new alarms and metrics on the dashboard', () => {
      const { reconcileFunction, reconcileDealerFunction, remindersFunction, deadLetterQueue, dealerQueue, dealerDeadLetterQueue } =
        stack.reconciliation;
      const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);

      for (const construct of [reconcileFunction, reconcileDealerFunction, remindersFunction]) expect(body).toContain(logicalId(construct));
      for (const queue of [deadLetterQueue, dealerQueue, dealerDeadLetterQueue]) expect(body).toContain(logicalId(queue));
      const alarmIds = Object.keys(template.findResources('AWS::CloudWatch::Alarm'));
      for (const id of alarmIds) expect(body, id).toContain(id);
    });
  });
});
