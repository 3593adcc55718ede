import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault, type BackupPlanCopyActionProps } from 'aws-cdk-lib/aws-backup';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { managedPolicyFindings } from './nag.js';

/** Daily recovery points are kept this long: past the table's 35 days of point-in-time recovery. */
export const DAILY_BACKUP_DAYS = 35;
/** No recovery point in the vault may be deleted before this, by anyone (the vault lock's minimum). */
export const VAULT_LOCK_MIN_DAYS = 30;

export interface RecoveryProps {
  readonly table: ITableV2;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
}

/**
 * Backups of the records that must outlive a mistake or a compromised account: the table
 * (reports, ledger, invoices, payments) and the invoice workbooks, daily (kept 35 days) and
 * monthly (kept for the stage's years), in a vault whose lock keeps anyone, administrators
 * included, from deleting a recovery point early (in prod, after three days to change one's
 * mind, for good: compliance mode). With `backoffice:backupCopyVaultArn`, every recovery point
 * is copied to that vault too: another region, or another account's, for the day this
 * account is lost. The restore is `backoffice ops restore` and docs/operations.md.
 */
export class Recovery extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;

  constructor(scope: Construct, id: string, { table, invoices, settings }: RecoveryProps) {
    super(scope, id);
    const stage = settings.stage;
    this.vault = new BackupVault(this, 'Vault', {
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: {
        minRetention: Duration.days(VAULT_LOCK_MIN_DAYS),
        // Compliance mode in prod: after the grace period nobody can remove the lock or shorten it.
        ...(stage.invoiceLockMode === 'compliance' ? { changeableFor: Duration.days(3) } : {}),
      },
    });
    const monthlyDays = stage.monthlyBackupYears * 365;
    const copy = (days: number): BackupPlanCopyActionProps[] =>
      settings.backupCopyVaultArn === undefined ? [] : [{ destinationBackupVault: BackupVault.fromBackupVaultArn(this, `CopyVault${days}`, settings.backupCopyVaultArn), deleteAfter: Duration.days(days) }];
    this.plan = new BackupPlan(this, 'Plan', {
      backupVault: this.vault,
      backupPlanRules: [
        // 02:00 in Beijing (UTC+8): after the day's uploads, before the morning's deadline notices.
        new BackupPlanRule({ ruleName: 'Daily', scheduleExpression: Schedule.cron({ minute: '0', hour: '18' }), deleteAfter: Duration.days(DAILY_BACKUP_DAYS), copyActions: copy(DAILY_BACKUP_DAYS) }),
        new BackupPlanRule({ ruleName: 'Monthly', scheduleExpression: Schedule.cron({ minute: '0', hour: '19', day: '1' }), deleteAfter: Duration.days(monthlyDays), copyActions: copy(monthlyDays) }),
      ],
    });
    const selection = this.plan.addSelection('Records', {
      resources: [BackupResource.fromArn(table.tableArn), BackupResource.fromArn(invoices.bucketArn)],
      allowRestores: true,
    });
    // S3 backups need their own service policies beside the generic ones addSelection attaches.
    const role = selection.grantPrincipal as unknown as { addManagedPolicy(policy: unknown): void };
    role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Backup'));
    role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('AWSBackupServiceRolePolicyForS3Restore'));
    const reason = "AWS Backup's own service policies: the role is assumed by AWS Backup alone, for this plan's selection of the table and the invoice bucket.";
    Validations.of(selection).acknowledge(
      ...[
        'service-role/AWSBackupServiceRolePolicyForBackup',
        'service-role/AWSBackupServiceRolePolicyForRestores',
        'AWSBackupServiceRolePolicyForS3Backup',
        'AWSBackupServiceRolePolicyForS3Restore',
      ].flatMap(managedPolicyFindings).map((id) => ({ id, reason })),
    );
  }
}
