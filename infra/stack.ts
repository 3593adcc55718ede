import { CfnOutput, Duration, Stack, Tags, Token, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { backlogAlarmAge, type StackSettings } from './config.js';
import { REPORT_TYPES } from '../shared/domain/fields.js';
import { Api } from './constructs/api.js';
import { ORIGIN_VERIFY_HEADER } from '../shared/config.js';
import { Firewall } from './constructs/firewall.js';
import { Intake } from './constructs/intake.js';
import { MasterData } from './constructs/master-data.js';
import { LedgerIntake } from './constructs/ledger-intake.js';
import { Monitoring } from './constructs/monitoring.js';
import type { BackOfficeFunction } from './constructs/node-function.js';
import { Portal } from './constructs/portal.js';
import { portalPages } from './constructs/portal-pages.js';
import { DEALERS_PER_BATCH, Reconciliation } from './constructs/reconciliation.js';
import { Statistics } from './constructs/statistics.js';
import { Projections } from './constructs/projections.js';
import { Storage } from './constructs/storage.js';
import { Notices } from './constructs/notices.js';
import { Recovery } from './constructs/recovery.js';
import { API_DEPLOYMENT, Rollout, WORKER_DEPLOYMENT } from './constructs/rollout.js';
import { regionOffer, type RegionOffer } from './regions.js';

export interface BackOfficeStackProps extends StackProps {
  readonly settings: StackSettings;
}

/** Tag values every resource carries, for cost allocation and for telling the stages apart. */
export const PROJECT_TAG = 'aftersales-backoffice';

/** The back office on AWS: one stack per stage, one construct per capability. */
export class BackOfficeStack extends Stack {
  readonly storage: Storage;
  readonly intake: Intake;
  readonly masterData: MasterData;
  readonly ledgerIntake: LedgerIntake;
  readonly reconciliation: Reconciliation;
  readonly portal: Portal;
  readonly api: Api;
  readonly firewall: Firewall;
  readonly monitoring: Monitoring;
  readonly statistics: Statistics;
  readonly projections: Projections;
  readonly notices: Notices;
  readonly recovery: Recovery;
  readonly rollout: Rollout;
  /** What the stack's region offers (infra/regions.ts); the global partition when the region is not known at synthesis. */
  readonly offer: RegionOffer;

  constructor(scope: Construct, id: string, props: BackOfficeStackProps) {
    super(scope, id, {
      description: 'After-sales back office: dealer report intake, parts ledger, reconciliation and invoices',
      // The stack holds the business's records; deleting it must be a deliberate act.
      terminationProtection: true,
      ...props,
    });
    const { settings } = props;
    this.offer = regionOffer(Token.isUnresolved(this.region) ? undefined : this.region);
    refuseWhatTheRegionLacks(this.offer, settings, this.region);
    Tags.of(this).add('project', PROJECT_TAG);
    Tags.of(this).add('stage', settings.stage.name);

    this.storage = new Storage(this, 'Storage', {
      invoiceLockMode: settings.invoiceLockMode,
      ...(settings.restoredTableName === undefined ? {} : { restoredTableName: settings.restoredTableName }),
    });
    this.recovery = new Recovery(this, 'Recovery', { table: this.storage.table, invoices: this.storage.invoices, settings });
    this.intake = new Intake(this, 'Intake', { ...this.storage, settings });
    this.masterData = new MasterData(this, 'MasterData', { ...this.storage, settings });
    this.ledgerIntake = new LedgerIntake(this, 'LedgerIntake', { ...this.storage, settings });
    this.reconciliation = new Reconciliation(this, 'Reconciliation', { ...this.storage, settings });
    this.firewall = new Firewall(this, 'Firewall', { settings, offer: this.offer });
    this.portal = new Portal(this, 'Portal', {
      ...this.storage,
      settings,
      offer: this.offer,
      // The browser talks to the issuer itself (discovery, token, refresh): the Cognito domains, or the configured issuer's origin.
      signInOrigins: settings.oidcIssuer === undefined ? [`https://*.amazoncognito.com`] : [new URL(settings.oidcIssuer).origin],
      ...(this.firewall.webAclArn === undefined ? {} : { webAclArn: this.firewall.webAclArn }),
    });
    this.api = new Api(this, 'Api', { ...this.storage, settings, portalOrigin: this.portal.origin, offer: this.offer, firewall: this.firewall });
    this.statistics = new Statistics(this, 'Statistics', { ...this.storage, settings });
    this.statistics.grantRequests(this.api.apiFunction);
    this.reconciliation.grantStartRuns(this.api.apiFunction);
    this.projections = new Projections(this, 'Projections', { ...this.storage, settings });
    this.projections.grantRequests(this.intake.ingestFunction);
    this.portal.routeApi(this.api.origin, { header: ORIGIN_VERIFY_HEADER, value: this.api.originVerifyValue });
    const { cognito } = this.api.signIn;
    this.portal.publish(
      portalPages(),
      cognito === undefined
        ? { auth: 'oidc', issuer: this.api.signIn.issuer, clientId: this.api.signIn.clientId }
        : { auth: 'cognito', region: this.region, userPoolId: cognito.userPool.userPoolId, clientId: cognito.portalClient.userPoolClientId, signInUrl: cognito.signInDomain.baseUrl() },
    );
    // What an admin needs after a deploy, on the stack's Outputs tab.
    new CfnOutput(this, 'PortalUrl', { value: `${this.portal.origin}/`, description: 'The portal: dealers, the return warehouse, finance and admins sign in here' });
    if (cognito !== undefined) new CfnOutput(this, 'UserPoolId', { value: cognito.userPool.userPoolId, description: 'Cognito user pool of the portal users (groups dealer, warehouse, admin, finance)' });
    new CfnOutput(this, 'Issuer', { value: this.api.signIn.issuer, description: 'The OpenID Connect issuer the portal signs in with and the API trusts' });
    this.notices = new Notices(this, 'Notices', {
      ...this.storage,
      settings,
      scheduleGroup: this.reconciliation.scheduleGroup,
      schedulerRole: this.reconciliation.schedulerRole,
      portalUrl: `${this.portal.origin}/`,
    });
    // Each function that makes something someone must act on: uploads checked, reminders, forms and
    // credit notes (the dealer reconciliation), statuses, payments and request decisions (the API),
    // unboxing problems reported (the projection worker).
    const telling = [
      this.intake.ingestFunction,
      this.projections.workerFunction,
      this.ledgerIntake.workerFunction,
      this.masterData.importFunction,
      this.reconciliation.remindersFunction,
      this.reconciliation.reconcileDealerFunction,
      this.api.apiFunction,
    ];
    for (const fn of telling) {
      this.notices.allowTelling(fn);
    }
    this.monitoring = new Monitoring(this, 'Monitoring', {
      // The API function answers its own errors with a 500, so its Errors metric sees only
      // timeouts: the API's 5xx and the function's logged errors are what notice them.
      api: { metrics: this.api.metrics, slowLatency: Duration.seconds(5) },
      table: this.storage.table,
      runs: [
        {
          name: 'Reconciliation',
          runMetric: this.reconciliation.runMetric,
          dueMetric: this.reconciliation.dueMetric,
          lookBack: Duration.hours(24),
          meaning:
            "the month's reconciliation was due today and no run was planned (schedule disabled or deleted, the planner failing before it counted, or every retry used up). Look at the month-end dead-letter queue and the Reconcile log group, then run it from the Lambda console (docs/operations.md).",
        },
      ],
      functions: [
        {
          fn: this.intake.ingestFunction,
          // Failures are reported per message and retried, so Errors stays at zero: the logged errors are the first sign.
          alarmOnErrorsLoggedIn: this.intake.ingestFunction.logGroup,
          loggedErrorsMeaning: 'uploads failed to be ingested and will be retried (then dead-lettered)',
        },
        { fn: this.masterData.importFunction },
        {
          fn: this.ledgerIntake.workerFunction,
          alarmOnErrorsLoggedIn: this.ledgerIntake.workerFunction.logGroup,
          loggedErrorsMeaning: 'shipments or returns files failed to be recorded and will be retried (then dead-lettered)',
        },
        {
          fn: this.api.apiFunction,
          throttleCause: "the account's Lambda concurrency is exhausted: portal users get errors",
          alarmOnErrorsLoggedIn: this.api.apiFunction.logGroup,
          loggedErrorsMeaning: 'requests failed inside the handler and were answered 500',
        },
        {
          fn: this.reconciliation.reconcileFunction,
          throttleCause: "a run was already being planned (one at a time), or the account's Lambda concurrency is exhausted",
        },
        {
          fn: this.reconciliation.reconcileDealerFunction,
          // A dealer that fails is recorded and logged, and its message succeeds.
          alarmOnErrorsLoggedIn: this.reconciliation.reconcileDealerFunction.logGroup,
          loggedErrorsMeaning: 'dealers failed while the run carried on',
        },
        {
          fn: this.reconciliation.remindersFunction,
          // A dealer that fails is recorded and logged, and the others are still told.
          alarmOnErrorsLoggedIn: this.reconciliation.remindersFunction.logGroup,
          loggedErrorsMeaning: 'dealers failed while the reminders went on to the others',
        },
        {
          fn: this.notices.deadlinesFunction,
          throttleCause: "the account's Lambda concurrency is exhausted: today's deadline notices wait for the retry",
          alarmOnErrorsLoggedIn: this.notices.deadlinesFunction.logGroup,
          loggedErrorsMeaning: 'dealers failed while the daily deadline job went on to the others',
        },
        { fn: this.statistics.workerFunction },
        { fn: this.projections.workerFunction },
      ],
      queues: [
        {
          name: 'Intake',
          queue: this.intake.queue,
          deadLetterQueue: this.intake.deadLetterQueue,
          // The busiest hour before the deadline brings about a tenth of the month's uploads
          // (one per dealer and report type); a typical report takes half a minute.
          maxMessageAge: backlogAlarmAge(Math.ceil((settings.dealerCount * REPORT_TYPES.length) / 10), 1, settings.ingestConcurrency, Duration.seconds(30)),
        },
        {
          name: 'LedgerIntake',
          queue: this.ledgerIntake.queue,
          deadLetterQueue: this.ledgerIntake.deadLetterQueue,
          // A handful of files a day, each up to a few minutes: an hour's wait means the worker is stuck.
          maxMessageAge: Duration.hours(1),
        },
        {
          name: 'ReconcileDealers',
          queue: this.reconciliation.dealerQueue,
          deadLetterQueue: this.reconciliation.dealerDeadLetterQueue,
          // Every dealer of the network at once, ten to a batch taking about a minute.
          maxMessageAge: backlogAlarmAge(settings.dealerCount, DEALERS_PER_BATCH, settings.reconcileConcurrency, Duration.minutes(1)),
        },
        {
          name: 'Statistics',
          queue: this.statistics.queue,
          deadLetterQueue: this.statistics.deadLetterQueue,
          // A request waits behind at most a few months being made, each within the worker's 15 minutes.
          maxMessageAge: Duration.hours(1),
        },
        {
          name: 'Projections',
          queue: this.projections.queue,
          deadLetterQueue: this.projections.deadLetterQueue,
          // One job per accepted report, each well under a minute; the unit histories lag by this much at worst.
          maxMessageAge: Duration.minutes(30),
        },
      ],
      deadLetterQueues: [
        {
          name: 'MasterData',
          queue: this.masterData.deadLetterQueue,
          meaning:
            'a master-data workbook put under master/ of the uploads bucket failed to import 3 times (not a rejected file: that has its outcome under master-imports/). Read the ImportMaster log group, fix the cause, redrive (docs/operations.md).',
        },
        {
          name: 'DeadlineNotices',
          queue: this.notices.deadLetterQueue,
          meaning:
            "the daily deadline notices did not run (not delivered, or failed after retries): dealers were not told of lots due or overdue today. Read the message and the Deadlines log group, fix the cause, run it from the Lambda console (docs/operations.md).",
        },
        {
          name: 'MonthEndJobs',
          queue: this.reconciliation.deadLetterQueue,
          meaning:
            'a scheduled reminders or reconciliation run did not happen (not delivered, or failed after retries). Read the message, fix the cause, run it from the Lambda console (docs/operations.md).',
        },
      ],
      ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
      ...(this.notices.configurationSet === undefined ? {} : { mail: { configurationSetName: this.notices.configurationSet.configurationSetName } }),
      monthlyBudget: settings.monthlyBudget,
    });
    const alarmsOf = (fn: BackOfficeFunction) => this.monitoring.functionAlarms.get(fn) ?? [];
    const worker = (fn: BackOfficeFunction) => ({ fn, alarms: alarmsOf(fn), config: WORKER_DEPLOYMENT });
    this.rollout = new Rollout(this, 'Rollout', {
      functions: [
        this.api.apiFunction,
        this.intake.ingestFunction,
        this.ledgerIntake.workerFunction,
        this.masterData.importFunction,
        this.reconciliation.reconcileFunction,
        this.reconciliation.reconcileDealerFunction,
        this.reconciliation.remindersFunction,
        this.statistics.workerFunction,
        this.notices.deadlinesFunction,
        this.projections.workerFunction,
      ],
      gradual: [
        { fn: this.api.apiFunction, alarms: [...alarmsOf(this.api.apiFunction), ...(this.monitoring.apiServerErrors === undefined ? [] : [this.monitoring.apiServerErrors])], config: API_DEPLOYMENT },
        worker(this.intake.ingestFunction),
        worker(this.ledgerIntake.workerFunction),
        worker(this.masterData.importFunction),
        worker(this.reconciliation.reconcileDealerFunction),
        worker(this.statistics.workerFunction),
        worker(this.projections.workerFunction),
      ],
    });
    this.addResourceOutputs();
  }

  /** Every table, bucket, queue and dead-letter queue and the dashboard, by the name the console lists them under. */
  private addResourceOutputs(): void {
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('TableName', this.storage.table.tableName, 'DynamoDB table: reports, ledger, master data, runs, invoices');
    output('BackupVaultName', this.recovery.vault.backupVaultName, 'AWS Backup vault of the table and the invoice bucket (docs/operations.md, restore drill)');
    const buckets = {
      UploadsBucket: [this.storage.uploads, 'Dealer and ledger uploads'],
      ReportsBucket: [this.storage.reports, 'Error reports, statistics and reconciliation workbooks'],
      InvoicesBucket: [this.storage.invoices, 'Invoice workbooks'],
      AccessLogsBucket: [this.storage.accessLogs, 'S3 server access logs of the other buckets'],
      PortalBucket: [this.portal.bucket, "The portal's pages"],
      EdgeLogsBucket: [this.portal.logBucket, 'CloudFront standard logs of the portal and the API'],
    } as const;
    for (const [id, [bucket, description]] of Object.entries(buckets)) output(id, bucket.bucketName, description);
    const queues = {
      IntakeQueue: [this.intake.queue, 'Uploads waiting to be ingested'],
      IntakeDeadLetterQueue: [this.intake.deadLetterQueue, 'Uploads that failed 5 times: redrive after fixing the cause'],
      LedgerIntakeQueue: [this.ledgerIntake.queue, 'Shipments and returns files waiting to be recorded'],
      LedgerIntakeDeadLetterQueue: [this.ledgerIntake.deadLetterQueue, 'Ledger files that failed 5 times: redrive after fixing the cause'],
      DealerQueue: [this.reconciliation.dealerQueue, 'Dealers waiting to be reconciled'],
      DealerDeadLetterQueue: [this.reconciliation.dealerDeadLetterQueue, 'Dealer messages that failed 3 times: redrive after fixing the cause'],
      MonthEndDeadLetterQueue: [this.reconciliation.deadLetterQueue, 'Scheduled runs that did not happen'],
      DeadlineNoticesDeadLetterQueue: [this.notices.deadLetterQueue, 'Daily deadline notices that did not run'],
      StatisticsQueue: [this.statistics.queue, 'Month statistics asked for in the portal, waiting for the worker'],
      StatisticsDeadLetterQueue: [this.statistics.deadLetterQueue, 'Statistics requests that failed 3 times: redrive after fixing the cause'],
      MasterDataQueue: [this.masterData.queue, 'Master-data workbooks waiting to be imported'],
      MasterDataDeadLetterQueue: [this.masterData.deadLetterQueue, 'Master-data workbooks that failed 3 times: redrive after fixing the cause'],
    } as const;
    for (const [id, [queue, description]] of Object.entries(queues)) output(`${id}Url`, queue.queueUrl, description);
    output('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard of the alarms and their metrics');
    output('AlarmTopicArn', this.monitoring.alarmTopic.topicArn, 'SNS topic every alarm publishes to: subscribe people here');
  }
}

/**
 * A China region has no Cognito user pool and no SES (infra/regions.ts): the stack needs the
 * customer's issuer and an SMTP relay there, and says so at synthesis rather than at deploy.
 */
function refuseWhatTheRegionLacks(offer: RegionOffer, settings: StackSettings, region: string): void {
  const problems: string[] = [];
  if (!offer.cognitoUserPools && settings.oidcIssuer === undefined) {
    problems.push('it has no Cognito user pools: name the OpenID Connect issuer with -c backoffice:oidcIssuer=https://… -c backoffice:oidcAudience=<client id>');
  }
  if (!offer.ses && settings.sesFromEmail !== undefined) {
    problems.push('it has no Amazon SES: mail by SMTP with -c backoffice:smtpSecretArn=… -c backoffice:mailFrom=… instead of backoffice:sesFromEmail');
  }
  if (offer.cloudFrontNeedsIcpDomain && (settings.domainName === undefined || settings.iamCertificateId === undefined)) {
    problems.push("CloudFront there serves only an ICP-registered domain: -c backoffice:domainName=<the customer's domain> -c backoffice:iamCertificateId=<its IAM server certificate id>");
  }
  if (problems.length > 0) throw new Error(`Cannot synthesize for ${region}: ${problems.join('; ')} (docs/operations.md, China regions)`);
}
