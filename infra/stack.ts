import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackSettings } from './config.js';
import { Api } from './constructs/api.js';
import { Intake } from './constructs/intake.js';
import { Monitoring } from './constructs/monitoring.js';
import { Portal } from './constructs/portal.js';
import { portalPages } from './constructs/portal-pages.js';
import { Reconciliation } from './constructs/reconciliation.js';
import { Storage } from './constructs/storage.js';

export interface BackOfficeStackProps extends StackProps {
  readonly settings: StackSettings;
}

/** The back office on AWS: one stack, one construct per capability. */
export class BackOfficeStack extends Stack {
  readonly storage: Storage;
  readonly intake: Intake;
  readonly reconciliation: Reconciliation;
  readonly portal: Portal;
  readonly api: Api;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: BackOfficeStackProps) {
    super(scope, id, {
      description: 'After-sales back office: dealer report intake, parts ledger, reconciliation and invoices',
      // The stack holds the business's records; deleting it must be a deliberate act.
      terminationProtection: true,
      ...props,
    });
    const { settings } = props;

    this.storage = new Storage(this, 'Storage');
    this.intake = new Intake(this, 'Intake', { ...this.storage, settings });
    this.reconciliation = new Reconciliation(this, 'Reconciliation', { ...this.storage, settings });
    this.portal = new Portal(this, 'Portal', this.storage);
    this.api = new Api(this, 'Api', { ...this.storage, settings, portalOrigin: this.portal.origin });
    this.portal.routeApi(this.api.httpApi);
    this.portal.publish(portalPages(), {
      auth: 'cognito',
      region: this.region,
      userPoolId: this.api.userPool.userPoolId,
      clientId: this.api.portalClient.userPoolClientId,
      signInUrl: this.api.signInDomain.baseUrl(),
    });
    // What an admin needs after a deploy, on the stack's Outputs tab.
    new CfnOutput(this, 'PortalUrl', { value: `${this.portal.origin}/`, description: 'The portal: dealers, the return warehouse, finance and admins sign in here' });
    new CfnOutput(this, 'UserPoolId', { value: this.api.userPool.userPoolId, description: 'Cognito user pool of the portal users (groups dealer, warehouse, admin, finance)' });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: [
        { fn: this.intake.ingestFunction },
        { fn: this.api.apiFunction, throttleCause: "the account's Lambda concurrency is exhausted: portal users get errors" },
        {
          fn: this.reconciliation.reconcileFunction,
          throttleCause: "a run was already being planned (one at a time), or the account's Lambda concurrency is exhausted",
        },
        {
          fn: this.reconciliation.reconcileDealerFunction,
          // A dealer that fails is recorded and logged, and its message succeeds.
          alarmOnErrorsLoggedIn: this.reconciliation.reconcileDealerFunction.logGroup,
        },
        { fn: this.reconciliation.remindersFunction },
      ],
      queues: [
        {
          name: 'Intake',
          queue: this.intake.queue,
          deadLetterQueue: this.intake.deadLetterQueue,
          // Five attempts at most five minutes each, plus waiting for a free ingest slot.
          maxMessageAge: Duration.hours(1),
        },
        {
          name: 'ReconcileDealers',
          queue: this.reconciliation.dealerQueue,
          deadLetterQueue: this.reconciliation.dealerDeadLetterQueue,
          // A thousand dealers take minutes at five batches at once; an hour means it is stuck.
          maxMessageAge: Duration.hours(1),
        },
      ],
      deadLetterQueues: [
        {
          name: 'MonthEndJobs',
          queue: this.reconciliation.deadLetterQueue,
          meaning:
            'a scheduled reminders or reconciliation run did not happen (not delivered, or failed after retries). Read the message, fix the cause, run it from the Lambda console (docs/operations.md).',
        },
      ],
      ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
    });
  }
}
