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
}

const STAGE_DEFINITIONS: Record<StageName, Stage> = {
  dev: {
    name: 'dev',
    stackId: 'BackOffice',
    logRetention: RetentionDays.SIX_MONTHS,
    accessLogRetention: RetentionDays.ONE_YEAR,
    logRemovalPolicy: RemovalPolicy.DESTROY,
  },
  prod: {
    name: 'prod',
    stackId: 'BackOffice-prod',
    logRetention: RetentionDays.ONE_YEAR,
    accessLogRetention: RetentionDays.TWO_YEARS,
    logRemovalPolicy: RemovalPolicy.RETAIN,
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
  const optional = (name: 'alarmEmail' | 'sesFromEmail' | 'webAclArn') => {
    const value = context(SETTINGS_CONTEXT[name]);
    return value === undefined ? {} : { [name]: value };
  };
  const addresses = (name: 'noticeFinanceEmails' | 'noticeAdminEmails') => {
    const value = context(SETTINGS_CONTEXT[name]);
    return value === undefined ? {} : { [name]: value.split(',').map((a) => a.trim()).filter((a) => a !== '') };
  };
  const sizing = (name: 'dealerCount' | 'ingestConcurrency' | 'reconcileConcurrency', fallback: number) =>
    positiveInteger(SETTINGS_CONTEXT[name], context(SETTINGS_CONTEXT[name]), fallback);
  return {
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
  };
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
