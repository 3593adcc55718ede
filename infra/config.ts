import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import { loadConfig } from '../shared/config.js';

/** The deployments of the back office: each its own stack, in its own or a shared account. */
export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];
/** `cdk synth -c stage=prod`; without it, `dev`. */
export const STAGE_CONTEXT = 'stage';

/** What differs between the stages, by design rather than by setting. */
export interface Stage {
  readonly name: StageName;
  /**
   * The stack id (and stack name). `dev` keeps `BackOffice`, the one stack deployed before
   * there were stages, so that a plain `cdk deploy` updates it instead of creating a second.
   */
  readonly stackId: string;
  /** The functions' log groups. */
  readonly logRetention: RetentionDays;
  /** API access logs and CloudFront logs: who called what, kept longer than the functions' logs. */
  readonly accessLogRetention: RetentionDays;
  /**
   * Log groups and log buckets when the stack is deleted. Business records (table, uploads,
   * reports, invoices) are retained in every stage: even a dev stack's records may be the only
   * copy of a file a dealer sent, and deleting them must be a deliberate act.
   */
  readonly logRemovalPolicy: RemovalPolicy;
  /** Years the monthly backups of the table and the invoices are kept (AWS Backup). */
  readonly monthlyBackupYears: number;
  /** Object Lock mode of the invoice bucket unless `backoffice:invoiceLockMode` says otherwise. */
  readonly invoiceLockMode: InvoiceLockMode;
  /** The stage refuses to synthesize without an alarm address and a mail sender. */
  readonly requiresAlarmsAndMail: boolean;
}

/**
 * Governance: an administrator granted s3:BypassGovernanceRetention can still remove a locked
 * version. Compliance: nobody can, the root user included, until the retention ends; and the
 * retention cannot be shortened. Compliance is for prod; a dev bucket in compliance mode
 * could never be emptied.
 */
export const INVOICE_LOCK_MODES = ['governance', 'compliance'] as const;
export type InvoiceLockMode = (typeof INVOICE_LOCK_MODES)[number];

const STAGE_DEFINITIONS: Record<StageName, Stage> = {
  dev: {
    name: 'dev',
    stackId: 'BackOffice',
    logRetention: RetentionDays.SIX_MONTHS,
    accessLogRetention: RetentionDays.ONE_YEAR,
    logRemovalPolicy: RemovalPolicy.DESTROY,
    monthlyBackupYears: 1,
    invoiceLockMode: 'governance',
    requiresAlarmsAndMail: false,
  },
  prod: {
    name: 'prod',
    stackId: 'BackOffice-prod',
    logRetention: RetentionDays.ONE_YEAR,
    accessLogRetention: RetentionDays.TWO_YEARS,
    logRemovalPolicy: RemovalPolicy.RETAIN,
    // Accounting records are kept ten years (domain.md: invoices, payments and the ledger).
    monthlyBackupYears: 10,
    invoiceLockMode: 'compliance',
    requiresAlarmsAndMail: true,
  },
};

/**
 * The business settings a deployment chooses, read from CDK context so that an admin can
 * change them without editing code: `npx cdk deploy -c backoffice:returnWindowDays=90`.
 */
export interface StackSettings {
  readonly stage: Stage;
  /** IANA zone in which periods, deadlines and schedules are counted. */
  readonly businessTimeZone: string;
  readonly returnWindowDays: number;
  /** Day of the month (1–28) on which the previous month is reconciled. */
  readonly reconciliationDay: number;
  readonly maxUploadBytes: number;
  readonly maxUploadRows: number;
  /** Days a superseded report version's rows are kept before the table's TTL removes them. */
  readonly supersededVersionTtlDays: number;
  /** Subscribed to the alarm topic when given; otherwise subscribe people in the SNS console. */
  readonly alarmEmail?: string;
  /** A verified SES identity Cognito sends invitations and resets from; Cognito's own sender (50 a day) without it. */
  readonly sesFromEmail?: string;
  /** An existing CLOUDFRONT-scope WAF WebACL (made in us-east-1) for a stack outside us-east-1. */
  readonly webAclArn?: string;
  /** Dealers in the network: sizes how long the month's dealer queue may take to drain. */
  readonly dealerCount: number;
  /** Uploads ingested at once. */
  readonly ingestConcurrency: number;
  /** Batches of ten dealers reconciled at once. */
  readonly reconcileConcurrency: number;
  /** Group addresses finance's notices are mailed to (comma-separated in context): the finance Cognito group's mailing list. */
  readonly noticeFinanceEmails?: readonly string[];
  /** Group addresses the after-sales department's and admins' notices are mailed to. */
  readonly noticeAdminEmails?: readonly string[];
  /** Addresses the manager's (上级领导) notices are mailed to: disputes to decide. */
  readonly noticeManagerEmails?: readonly string[];
  /** Addresses the return warehouse's notices are mailed to: how its uploads of returned parts were checked. */
  readonly noticeWarehouseEmails?: readonly string[];
  /**
   * The OpenID Connect issuer whose tokens the API accepts and the portal signs in with
   * (Keycloak, Authing, Entra ID, an enterprise SSO). Without it, the stack's own Cognito user
   * pool, which exists only outside the China regions.
   */
  readonly oidcIssuer?: string;
  /** The audience (`aud`) of the issuer's tokens: the portal's client id at that issuer. Required with oidcIssuer. */
  readonly oidcAudience?: string;
  /** The claim that lists the caller's roles; `cognito:groups` by default. */
  readonly roleClaim: string;
  /** The claim that carries a dealer user's dealer code; `custom:dealer_code` by default. */
  readonly dealerCodeClaim: string;
  /** Mail sender address when mail goes by SMTP (`smtpSecretArn`); with SES, `sesFromEmail` is the sender. */
  readonly mailFrom?: string;
  /** A Secrets Manager secret `{ host, port, username, password }` of the SMTP relay that sends the notices. */
  readonly smtpSecretArn?: string;
  /** The portal's own domain name (in China: the customer's ICP-registered domain). */
  readonly domainName?: string;
  /** An ACM certificate in us-east-1 for domainName (global partition, CloudFront). */
  readonly certificateArn?: string;
  /** An IAM server certificate id for domainName (China: CloudFront there takes no ACM certificate). */
  readonly iamCertificateId?: string;
  /** Monthly cost, in the account's billing currency, past which the budget alarm tells the alarm topic. */
  readonly monthlyBudget: number;
  /** A backup vault ARN in a second region or account that every recovery point is copied to. */
  readonly backupCopyVaultArn?: string;
  /** The table's name after a restore (`backoffice ops restore`): the stack uses that table instead of its own. */
  readonly restoredTableName?: string;
  readonly invoiceLockMode: InvoiceLockMode;
}

/** CDK context keys, each the `backoffice:` namespaced name of a setting. */
export const SETTINGS_CONTEXT = {
  businessTimeZone: 'backoffice:businessTimeZone',
  returnWindowDays: 'backoffice:returnWindowDays',
  reconciliationDay: 'backoffice:reconciliationDay',
  maxUploadBytes: 'backoffice:maxUploadBytes',
  maxUploadRows: 'backoffice:maxUploadRows',
  supersededVersionTtlDays: 'backoffice:supersededVersionTtlDays',
  alarmEmail: 'backoffice:alarmEmail',
  sesFromEmail: 'backoffice:sesFromEmail',
  webAclArn: 'backoffice:webAclArn',
  dealerCount: 'backoffice:dealerCount',
  ingestConcurrency: 'backoffice:ingestConcurrency',
  reconcileConcurrency: 'backoffice:reconcileConcurrency',
  noticeFinanceEmails: 'backoffice:noticeFinanceEmails',
  noticeAdminEmails: 'backoffice:noticeAdminEmails',
  noticeManagerEmails: 'backoffice:noticeManagerEmails',
  noticeWarehouseEmails: 'backoffice:noticeWarehouseEmails',
  oidcIssuer: 'backoffice:oidcIssuer',
  oidcAudience: 'backoffice:oidcAudience',
  roleClaim: 'backoffice:roleClaim',
  dealerCodeClaim: 'backoffice:dealerCodeClaim',
  mailFrom: 'backoffice:mailFrom',
  smtpSecretArn: 'backoffice:smtpSecretArn',
  domainName: 'backoffice:domainName',
  certificateArn: 'backoffice:certificateArn',
  iamCertificateId: 'backoffice:iamCertificateId',
  monthlyBudget: 'backoffice:monthlyBudget',
  backupCopyVaultArn: 'backoffice:backupCopyVaultArn',
  restoredTableName: 'backoffice:restoredTableName',
  invoiceLockMode: 'backoffice:invoiceLockMode',
} as const satisfies Record<Exclude<keyof StackSettings, 'stage'>, string>;

/** The stage named by `-c stage=…`, `dev` when none is. */
export function readStage(scope: IConstruct): Stage {
  const value: unknown = scope.node.tryGetContext(STAGE_CONTEXT) ?? 'dev';
  if (!(STAGES as readonly unknown[]).includes(value)) throw new Error(`Unknown stage "${String(value)}": use one of ${STAGES.join(', ')} (-c ${STAGE_CONTEXT}=prod)`);
  return STAGE_DEFINITIONS[value as StageName];
}

function positiveInteger(key: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${key} must be a whole number of at least 1, not "${value}"`);
  return parsed;
}

/**
 * Reads the stage and the settings from context. A setting given as `backoffice:<stage>:<name>`
 * (`backoffice:prod:alarmEmail`) applies to that stage only and wins over `backoffice:<name>`,
 * so cdk.json can hold both stages' values. Values go through the functions' own configuration
 * schema (shared/config.ts), so the defaults and the validation are the ones the Lambda
 * functions apply: a bad time zone fails `cdk synth`, not the first upload.
 */
export function readStackSettings(scope: IConstruct): StackSettings {
  const stage = readStage(scope);
  const context = (key: string): string | undefined => {
    const staged = key.replace(/^backoffice:/, `backoffice:${stage.name}:`);
    const value: unknown = scope.node.tryGetContext(staged) ?? scope.node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value);
  };
  const config = loadConfig({
    BUSINESS_TIME_ZONE: context(SETTINGS_CONTEXT.businessTimeZone),
    RETURN_WINDOW_DAYS: context(SETTINGS_CONTEXT.returnWindowDays),
    RECONCILIATION_DAY: context(SETTINGS_CONTEXT.reconciliationDay),
    MAX_UPLOAD_BYTES: context(SETTINGS_CONTEXT.maxUploadBytes),
    MAX_UPLOAD_ROWS: context(SETTINGS_CONTEXT.maxUploadRows),
    SUPERSEDED_VERSION_TTL_DAYS: context(SETTINGS_CONTEXT.supersededVersionTtlDays),
  });
  type Optional = 'alarmEmail' | 'sesFromEmail' | 'webAclArn' | 'oidcIssuer' | 'oidcAudience' | 'mailFrom' | 'smtpSecretArn' | 'domainName' | 'certificateArn' | 'iamCertificateId' | 'backupCopyVaultArn' | 'restoredTableName';
  const optional = (name: Optional) => {
    const value = context(SETTINGS_CONTEXT[name]);
    return value === undefined ? {} : { [name]: value };
  };
  const addresses = (name: 'noticeFinanceEmails' | 'noticeAdminEmails' | 'noticeManagerEmails' | 'noticeWarehouseEmails') => {
    const value = context(SETTINGS_CONTEXT[name]);
    return value === undefined ? {} : { [name]: value.split(',').map((a) => a.trim()).filter((a) => a !== '') };
  };
  const sizing = (name: 'dealerCount' | 'ingestConcurrency' | 'reconcileConcurrency' | 'monthlyBudget', fallback: number) =>
    positiveInteger(SETTINGS_CONTEXT[name], context(SETTINGS_CONTEXT[name]), fallback);
  const settings: StackSettings = {
    stage,
    businessTimeZone: config.businessTimeZone,
    returnWindowDays: config.returnWindowDays,
    reconciliationDay: config.reconciliationDay,
    maxUploadBytes: config.maxUploadBytes,
    maxUploadRows: config.maxUploadRows,
    supersededVersionTtlDays: config.supersededVersionTtlDays,
    ...optional('alarmEmail'),
    ...optional('sesFromEmail'),
    ...optional('webAclArn'),
    dealerCount: sizing('dealerCount', 1000),
    ingestConcurrency: sizing('ingestConcurrency', 5),
    reconcileConcurrency: sizing('reconcileConcurrency', 5),
    ...addresses('noticeFinanceEmails'),
    ...addresses('noticeAdminEmails'),
    ...addresses('noticeManagerEmails'),
    ...addresses('noticeWarehouseEmails'),
    ...optional('oidcIssuer'),
    ...optional('oidcAudience'),
    roleClaim: context(SETTINGS_CONTEXT.roleClaim) ?? 'cognito:groups',
    dealerCodeClaim: context(SETTINGS_CONTEXT.dealerCodeClaim) ?? 'custom:dealer_code',
    ...optional('mailFrom'),
    ...optional('smtpSecretArn'),
    ...optional('domainName'),
    ...optional('certificateArn'),
    ...optional('iamCertificateId'),
    monthlyBudget: sizing('monthlyBudget', 100),
    ...optional('backupCopyVaultArn'),
    ...optional('restoredTableName'),
    invoiceLockMode: lockMode(context(SETTINGS_CONTEXT.invoiceLockMode) ?? stage.invoiceLockMode),
  };
  checkSettings(settings);
  return settings;
}

function lockMode(value: string): InvoiceLockMode {
  if (!(INVOICE_LOCK_MODES as readonly string[]).includes(value)) {
    throw new Error(`${SETTINGS_CONTEXT.invoiceLockMode} must be one of ${INVOICE_LOCK_MODES.join(', ')}, not "${value}"`);
  }
  return value as InvoiceLockMode;
}

/**
 * Combinations that would deploy a stack nobody hears from or that cannot sign anyone in:
 * refused at synthesis, with the context key that fixes each.
 */
function checkSettings(settings: StackSettings): void {
  const problems: string[] = [];
  if (settings.oidcIssuer !== undefined && settings.oidcAudience === undefined) {
    problems.push(`${SETTINGS_CONTEXT.oidcIssuer} needs ${SETTINGS_CONTEXT.oidcAudience} (the portal's client id at the issuer)`);
  }
  if (settings.oidcIssuer !== undefined && !settings.oidcIssuer.startsWith('https://')) {
    problems.push(`${SETTINGS_CONTEXT.oidcIssuer} must be an https:// address, not "${settings.oidcIssuer}"`);
  }
  if (settings.smtpSecretArn !== undefined && settings.mailFrom === undefined) {
    problems.push(`${SETTINGS_CONTEXT.smtpSecretArn} needs ${SETTINGS_CONTEXT.mailFrom} (the sender address the relay accepts)`);
  }
  if (settings.smtpSecretArn !== undefined && settings.sesFromEmail !== undefined) {
    problems.push(`choose one mail transport: ${SETTINGS_CONTEXT.sesFromEmail} (SES) or ${SETTINGS_CONTEXT.smtpSecretArn} (SMTP), not both`);
  }
  if (settings.stage.requiresAlarmsAndMail) {
    const stage = settings.stage.name;
    if (settings.alarmEmail === undefined) problems.push(`the ${stage} stage needs an alarm address: -c backoffice:${stage}:alarmEmail=…, or its alarms go to nobody`);
    if (settings.sesFromEmail === undefined && settings.smtpSecretArn === undefined) {
      problems.push(`the ${stage} stage needs a mail sender: -c backoffice:${stage}:sesFromEmail=… (a verified SES identity) or backoffice:${stage}:smtpSecretArn=… with backoffice:${stage}:mailFrom=…, or notices are never mailed`);
    }
  }
  if (problems.length > 0) throw new Error(`Cannot synthesize the ${settings.stage.name} stage: ${problems.join('; ')}`);
}

/**
 * How old the oldest message of a queue may get before the work counts as stuck: the time
 * its items take to drain at the configured concurrency, twice over, and never under an hour
 * (retries of one item alone can take that long).
 */
export function backlogAlarmAge(items: number, itemsPerInvocation: number, concurrency: number, perInvocation: Duration): Duration {
  const rounds = Math.ceil(items / (itemsPerInvocation * concurrency));
  return Duration.minutes(Math.max(60, Math.ceil(2 * rounds * perInvocation.toMinutes({ integral: false }))));
}

/** The environment variables shared/config.ts reads for these settings. */
export function settingsEnvironment(settings: StackSettings): Record<string, string> {
  return {
    BUSINESS_TIME_ZONE: settings.businessTimeZone,
    RETURN_WINDOW_DAYS: String(settings.returnWindowDays),
    RECONCILIATION_DAY: String(settings.reconciliationDay),
    MAX_UPLOAD_BYTES: String(settings.maxUploadBytes),
    MAX_UPLOAD_ROWS: String(settings.maxUploadRows),
    SUPERSEDED_VERSION_TTL_DAYS: String(settings.supersededVersionTtlDays),
  };
}
