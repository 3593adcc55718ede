import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StackSettings } from './config.js';
import { Intake } from './constructs/intake.js';
import { Monitoring } from './constructs/monitoring.js';
import { Storage } from './constructs/storage.js';

export interface BackOfficeStackProps extends StackProps {
  readonly settings: StackSettings;
}

/** The back office on AWS: one stack, one construct per capability. */
export class BackOfficeStack extends Stack {
  readonly storage: Storage;
  readonly intake: Intake;
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
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: [this.intake.ingestFunction],
      queues: [
        {
          name: 'Intake',
          queue: this.intake.queue,
          deadLetterQueue: this.intake.deadLetterQueue,
          // Five attempts at most five minutes each, plus waiting for a free ingest slot.
          maxMessageAge: Duration.hours(1),
        },
      ],
      ...(settings.alarmEmail === undefined ? {} : { alarmEmail: settings.alarmEmail }),
    });
  }
}
