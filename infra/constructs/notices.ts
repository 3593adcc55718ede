import { Annotations, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal, type IRole } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, TimeWindow, type ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { CloudWatchDimensionSource, ConfigurationSet, EmailIdentity, EmailSendingEvent, EventDestination, SuppressionReasons, type IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { complaintKeys, everyPartitionOf, messageKeys, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { BackOfficeFunction, functionEnvironment, stageLogGroup } from './node-function.js';
import { InvokeFunction } from './reconciliation.js';
import { liveAlias } from './rollout.js';

/** Every day at 08:00 business time: the lots due within 7 days and those overdue. */
export const DEADLINES_CRON = 'cron(0 8 * * ? *)';

export interface NoticesProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
  /** The month-end jobs' schedule group and scheduler role: the daily job joins them. */
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: IRole;
  /** The portal's address, for the links in mail. */
  readonly portalUrl: string;
}

/** What the deadline job reads: master data, each dealer's invoices and charge state, the open complaints (for the overdue ones); it keeps messages. */
const DEADLINE_READS = [PARTITION.master, everyPartitionOf(PK_PREFIX.dealer), complaintKeys.openPk, everyPartitionOf(messageKeys.inboxPrefix)];

/**
 * Telling people: mail through Amazon SES from the verified sender identity of
 * `backoffice:sesFromEmail` (the one Cognito sends from too), through a configuration set that keeps bounced and complained-of addresses on the suppression
 * list (SES then refuses them and the message is recorded failed), with bounce, complaint and
 * reject counts in CloudWatch; the daily deadline job on the month-end jobs' scheduler; and
 * `allowTelling`, which lets a function keep messages (its `INBOX#` partitions only) and send
 * mail from that identity through that configuration set only. Admin alarms go to the
 * monitoring's SNS topic, mailed to `backoffice:alarmEmail`.
 */
export class Notices extends Construct {
  /** The verified sender identity, verified in the SES console (docs/operations.md) and named by the stack's context. */
  readonly identity?: IEmailIdentity;
  readonly configurationSet?: ConfigurationSet;
  readonly deadlinesFunction: BackOfficeFunction;
  readonly deadlinesSchedule: Schedule;
  /**
   * The daily job's own dead-letter queue (undelivered schedules and failed invocations), so
   * its alarm says what failed rather than sharing the month-end jobs' one.
   */
  readonly deadLetterQueue: Queue;
  private readonly environment: Record<string, string>;
  private readonly table: ITableV2;
  private readonly from?: string;
  private readonly smtpSecret?: ISecret;

  constructor(scope: Construct, id: string, props: NoticesProps) {
    super(scope, id);
    const { settings, table } = props;
    this.table = table;
    const from = settings.sesFromEmail;
    if (from !== undefined) this.from = from;
    const staff = { NOTICE_FINANCE_EMAILS: (settings.noticeFinanceEmails ?? []).join(','), NOTICE_ADMIN_EMAILS: (settings.noticeAdminEmails ?? []).join(','), NOTICE_MANAGER_EMAILS: (settings.noticeManagerEmails ?? []).join(','), NOTICE_WAREHOUSE_EMAILS: (settings.noticeWarehouseEmails ?? []).join(','), PORTAL_URL: props.portalUrl };
    if (settings.smtpSecretArn !== undefined && settings.mailFrom !== undefined) {
      // Where SES is not offered (the China regions) or not wanted: the customer's relay, its
      // credentials read from Secrets Manager at run time, never in the template or environment.
      this.smtpSecret = Secret.fromSecretCompleteArn(this, 'SmtpCredentials', settings.smtpSecretArn);
      this.environment = { ...staff, MAIL_FROM: settings.mailFrom, SMTP_SECRET_ARN: settings.smtpSecretArn };
    } else if (from === undefined) {
      Annotations.of(this).addInfo(
        'No backoffice:sesFromEmail: messages are kept in the portal lists but mail is not sent (written to the function\'s /tmp and lost). Set a verified SES identity.',
      );
      this.environment = { ...staff, OUTBOX_DIR: '/tmp/outbox' };
    } else {
      this.configurationSet = new ConfigurationSet(this, 'MailConfiguration', {
        suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
        reputationMetrics: true,
      });
      this.configurationSet.addEventDestination('BouncesAndComplaints', {
        events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT, EmailSendingEvent.REJECT, EmailSendingEvent.DELIVERY],
        destination: EventDestination.cloudWatchDimensions([{ source: CloudWatchDimensionSource.MESSAGE_TAG, name: 'ses:configuration-set', defaultValue: 'backoffice' }]),
      });
      this.identity = EmailIdentity.fromEmailIdentityName(this, 'Sender', from);
      this.environment = { ...staff, MAIL_FROM: from, MAIL_CONFIGURATION_SET: this.configurationSet.configurationSetName };
    }

    this.deadLetterQueue = new Queue(this, 'DeadlinesDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({ id: 'AwsSolutions-SQS3', reason: 'This is a dead-letter queue itself: of the daily deadline job.' });

    const logs = stageLogGroup(this, 'DeadlinesLogs', settings.stage);
    const role = new Role(this, 'DeadlinesRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Deadline notices: reads dealers, their ledger and invoices; keeps and mails their messages',
    });
    logs.grantWrite(role);
    role.addToPolicy(
      new PolicyStatement({
        sid: 'ReadMasterDealersAndMessages',
        effect: Effect.ALLOW,
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': DEADLINE_READS } },
      }),
    );
    // A dealer's ledger in date order is listed through gsi1 (`LEDGER#…`), as the reconciliation lists it.
    role.addToPolicy(new PolicyStatement({ sid: 'ListLedger', effect: Effect.ALLOW, actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/gsi1`] }));

    this.deadlinesFunction = new BackOfficeFunction(this, 'Deadlines', {
      entry: 'functions/deadlines.ts',
      description: 'Tells each dealer of its lots due within 7 days and of those overdue, at today\'s cost',
      memorySize: 512,
      timeout: Duration.minutes(10),
      // A retry keeps nothing twice and mails only what is still pending.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetterQueue),
      role,
      logGroup: logs,
      environment: functionEnvironment(props, settings),
    });
    this.allowTelling(this.deadlinesFunction);

    // Its live alias only, like the month-end jobs (constructs/reconciliation.ts).
    const deadlinesLive = liveAlias(this.deadlinesFunction);
    props.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'InvokeDeadlineNotices', effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [deadlinesLive.functionArn] }),
    );
    props.schedulerRole.addToPrincipalPolicy(
      new PolicyStatement({ sid: 'DeadLetterDeadlineNotices', effect: Effect.ALLOW, actions: ['sqs:SendMessage'], resources: [this.deadLetterQueue.queueArn] }),
    );
    this.deadlinesSchedule = new Schedule(this, 'DeadlinesSchedule', {
      description: 'Daily, 08:00 business time: lots due within 7 days and overdue, told to each dealer',
      scheduleGroup: props.scheduleGroup,
      schedule: ScheduleExpression.expression(DEADLINES_CRON, TimeZone.of(settings.businessTimeZone)),
      target: new InvokeFunction(deadlinesLive, props.schedulerRole, this.deadLetterQueue),
      timeWindow: TimeWindow.off(),
    });
    this.deadlinesSchedule.node.addDependency(props.scheduleGroup);
    Validations.of(role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.',
    });
  }

  /**
   * Lets a function tell people: the mail settings in its environment, its messages kept in
   * the `INBOX#` partitions only, and `ses:SendEmail` from the sender identity through the
   * configuration set only.
   */
  allowTelling(fn: BackOfficeFunction): void {
    for (const [name, value] of Object.entries(this.environment)) fn.addEnvironment(name, value);
    const inboxes = [everyPartitionOf(messageKeys.inboxPrefix)];
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'KeepMessages',
        effect: Effect.ALLOW,
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': inboxes } },
      }),
    );
    this.smtpSecret?.grantRead(fn);
    if (this.identity !== undefined && this.configurationSet !== undefined && this.from !== undefined) {
      const stack = Stack.of(this);
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'SendMailFromTheIdentity',
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            this.identity.emailIdentityArn,
            stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
          ],
          conditions: { StringEquals: { 'ses:FromAddress': this.from } },
        }),
      );
    }
  }
}
