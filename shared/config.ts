import * as z from 'zod';

/** Days a superseded report version's rows are kept unless SUPERSEDED_VERSION_TTL_DAYS says otherwise. */
export const DEFAULT_SUPERSEDED_VERSION_TTL_DAYS = 30;

/**
 * The one typed place for configuration. Lambda functions get it from environment variables
 * that the CDK stack sets; the local stack sets the same variables for its own servers.
 */
const ConfigSchema = z.object({
  TABLE_NAME: z.string().min(1).default('backoffice'),
  UPLOADS_BUCKET: z.string().min(1).default('backoffice-uploads'),
  REPORTS_BUCKET: z.string().min(1).default('backoffice-reports'),
  INVOICES_BUCKET: z.string().min(1).default('backoffice-invoices'),
  BUSINESS_TIME_ZONE: z
    .string()
    .default('Asia/Shanghai')
    .refine(isKnownTimeZone, { message: 'not an IANA time zone' }),
  RETURN_WINDOW_DAYS: z.coerce.number().int().positive().default(60),
  RECONCILIATION_DAY: z.coerce.number().int().min(1).max(28).default(5),
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  MAX_UPLOAD_ROWS: z.coerce.number().int().positive().default(200_000),
  SUPERSEDED_VERSION_TTL_DAYS: z.coerce.number().int().positive().default(DEFAULT_SUPERSEDED_VERSION_TTL_DAYS),
  /** Where the reconcile planner sends one message per dealer; only the planner on AWS has one. */
  RECONCILE_QUEUE_URL: z.url().optional(),
  STATISTICS_QUEUE_URL: z.url().optional(),
  PROJECTION_QUEUE_URL: z.url().optional(),
  METRICS_NAMESPACE: z.string().min(1).max(255).default('BackOffice'),
  AWS_REGION: z.string().min(1).default('cn-north-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  ORIGIN_VERIFY_SECRET: z.string().min(16).optional(),
  /** Days a complaint may stay unresolved before it is overdue (domain.md: the department's limit). */
  COMPLAINT_OPEN_LIMIT_DAYS: z.coerce.number().int().positive().default(7),
  VERIFICATION_SHARE_PERCENT: z.coerce.number().int().min(1).max(100).default(10),
  VERIFICATION_MINIMUM: z.coerce.number().int().min(0).max(1000).default(3),
  /** Percentage points a dealer's verified figure may fall short of its report before the scorecard flags it. */
  VERIFICATION_MARGIN_PERCENT: z.coerce.number().int().min(0).max(100).default(10),
  /** Days the manager has to decide a dealer's dispute before it is overdue. */
  DISPUTE_DEADLINE_DAYS: z.coerce.number().int().min(1).max(365).default(10),
  /** Days after the installation the written plan of an unboxing problem is due. */
  UNBOXING_PLAN_DAYS: z.coerce.number().int().min(0).max(60).default(2),
  /** The SES sender identity; without it mail goes to the local outbox. */
  MAIL_FROM: z.email().optional(),
  MAIL_CONFIGURATION_SET: z.string().min(1).optional(),
  /** A Secrets Manager secret of the SMTP relay: with it, mail from MAIL_FROM goes by SMTP instead of SES. */
  SMTP_SECRET_ARN: z.string().min(1).optional(),
  /** Where the local outbox writes one .eml per message (the data directory's `outbox/`). */
  OUTBOX_DIR: z.string().min(1).default('.data/outbox'),
  /** Group addresses of the staff recipients, comma-separated (on AWS the Cognito groups' mailing lists). */
  NOTICE_FINANCE_EMAILS: z.string().default(''),
  NOTICE_ADMIN_EMAILS: z.string().default(''),
  NOTICE_MANAGER_EMAILS: z.string().default(''),
  NOTICE_WAREHOUSE_EMAILS: z.string().default(''),
  /** The portal's address, for the links in mail. */
  PORTAL_URL: z.url().optional(),
  /** The token claims that carry the caller's roles and dealer code (the issuer's names; Cognito's by default). */
  ROLE_CLAIM: z.string().min(1).default('cognito:groups'),
  DEALER_CODE_CLAIM: z.string().min(1).default('custom:dealer_code'),
  /** Set for an API with no authorizer in front (the REST API in the China regions): the function verifies the token itself. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
});

/** The claims of a signed-in caller's token that name its roles and its dealer code. */
export interface ClaimNames {
  readonly role: string;
  readonly dealerCode: string;
}

/**
 * The header CloudFront adds to every request it forwards to the API, carrying a secret that
 * only CloudFront and the API function know, so that the API refuses requests that reached
 * its execute-api address directly (around the WAF).
 */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

export interface BackOfficeConfig {
  readonly tableName: string;
  readonly buckets: { readonly uploads: string; readonly reports: string; readonly invoices: string };
  readonly businessTimeZone: string;
  readonly returnWindowDays: number;
  readonly reconciliationDay: number;
  readonly maxUploadBytes: number;
  readonly maxUploadRows: number;
  /** Days a superseded report version's rows are kept before DynamoDB's TTL removes them; its summary stays. */
  readonly supersededVersionTtlDays: number;
  /** The per-dealer reconciliation queue (AWS); locally the month runs in process instead. */
  readonly reconcileQueueUrl?: string;
  /** The statistics queue (AWS); without it the month's statistics are made in the asking process, not awaited. */
  readonly statisticsQueueUrl?: string;
  /** The report projection queue (AWS); without it an accepted report's archive and histories are built by the ingesting process after its verdict. */
  readonly projectionQueueUrl?: string;
  /** CloudWatch namespace of the functions' EMF metrics. */
  readonly metricsNamespace: string;
  readonly region: string;
  /** Set only for the embedded local stack; on AWS the SDK finds the service endpoints itself. */
  readonly endpoints: { readonly dynamodb?: string; readonly s3?: string };
  /** On AWS, the value CloudFront sends in ORIGIN_VERIFY_HEADER; unset locally, where no CloudFront stands in front. */
  readonly originVerifySecret?: string;
  /** Days a complaint may stay unresolved before it is listed overdue; 7 when unset. */
  readonly complaintOpenLimitDays?: number;
  /** The maker's return-call sample of each dealer's month: a share of its repairs (percent), at least a number; 10 % and 3 when unset. */
  readonly verificationSample?: { readonly sharePercent: number; readonly minimum: number };
  /** Percentage points a verified figure may fall short of the dealer's report of the same repairs before it is flagged; 10 when unset. */
  readonly verificationMarginPercent?: number;
  /** Days the manager has to decide a dispute; 10 when unset. */
  readonly disputeDeadlineDays?: number;
  /** Days after the installation an unboxing case's written plan is due; 2 when unset. */
  readonly unboxingPlanDays?: number;
  /** SES sender and configuration set; without a sender, mail goes to the outbox directory. */
  readonly mail: { readonly from?: string; readonly configurationSet?: string; readonly smtpSecretArn?: string; readonly outboxDir: string };
  /** The group addresses staff recipients are mailed at. */
  readonly staffEmails: { readonly finance: readonly string[]; readonly admin: readonly string[]; readonly manager: readonly string[]; readonly warehouse: readonly string[] };
  readonly portalUrl?: string;
  readonly claims: ClaimNames;
  /** The issuer and audience the API function checks a bearer token against, when no authorizer in front did (shared/auth/token-verifier.ts). */
  readonly tokenCheck?: { readonly issuer: string; readonly audience: string };
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Reads the configuration from the environment, failing with every bad variable named. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): BackOfficeConfig {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Bad configuration: ${problems.join('; ')}`);
  }
  const c = parsed.data;
  return {
    tableName: c.TABLE_NAME,
    buckets: { uploads: c.UPLOADS_BUCKET, reports: c.REPORTS_BUCKET, invoices: c.INVOICES_BUCKET },
    businessTimeZone: c.BUSINESS_TIME_ZONE,
    returnWindowDays: c.RETURN_WINDOW_DAYS,
    reconciliationDay: c.RECONCILIATION_DAY,
    maxUploadBytes: c.MAX_UPLOAD_BYTES,
    maxUploadRows: c.MAX_UPLOAD_ROWS,
    supersededVersionTtlDays: c.SUPERSEDED_VERSION_TTL_DAYS,
    ...(c.RECONCILE_QUEUE_URL === undefined ? {} : { reconcileQueueUrl: c.RECONCILE_QUEUE_URL }),
    ...(c.STATISTICS_QUEUE_URL === undefined ? {} : { statisticsQueueUrl: c.STATISTICS_QUEUE_URL }),
    ...(c.PROJECTION_QUEUE_URL === undefined ? {} : { projectionQueueUrl: c.PROJECTION_QUEUE_URL }),
    metricsNamespace: c.METRICS_NAMESPACE,
    region: c.AWS_REGION,
    endpoints: { dynamodb: c.DYNAMODB_ENDPOINT, s3: c.S3_ENDPOINT },
    ...(c.ORIGIN_VERIFY_SECRET === undefined ? {} : { originVerifySecret: c.ORIGIN_VERIFY_SECRET }),
    complaintOpenLimitDays: c.COMPLAINT_OPEN_LIMIT_DAYS,
    verificationSample: { sharePercent: c.VERIFICATION_SHARE_PERCENT, minimum: c.VERIFICATION_MINIMUM },
    verificationMarginPercent: c.VERIFICATION_MARGIN_PERCENT,
    disputeDeadlineDays: c.DISPUTE_DEADLINE_DAYS,
    unboxingPlanDays: c.UNBOXING_PLAN_DAYS,
    mail: {
      ...(c.MAIL_FROM === undefined ? {} : { from: c.MAIL_FROM }),
      ...(c.MAIL_CONFIGURATION_SET === undefined ? {} : { configurationSet: c.MAIL_CONFIGURATION_SET }),
      ...(c.SMTP_SECRET_ARN === undefined ? {} : { smtpSecretArn: c.SMTP_SECRET_ARN }),
      outboxDir: c.OUTBOX_DIR,
    },
    staffEmails: { finance: addressList(c.NOTICE_FINANCE_EMAILS), admin: addressList(c.NOTICE_ADMIN_EMAILS), manager: addressList(c.NOTICE_MANAGER_EMAILS), warehouse: addressList(c.NOTICE_WAREHOUSE_EMAILS) },
    ...(c.PORTAL_URL === undefined ? {} : { portalUrl: c.PORTAL_URL }),
    claims: { role: c.ROLE_CLAIM, dealerCode: c.DEALER_CODE_CLAIM },
    ...(c.OIDC_ISSUER === undefined || c.OIDC_AUDIENCE === undefined ? {} : { tokenCheck: { issuer: c.OIDC_ISSUER, audience: c.OIDC_AUDIENCE } }),
  };
}

const addressList = (text: string): string[] => text.split(',').map((a) => a.trim()).filter((a) => a !== '');

/**
 * The environment `loadConfig` reads back into this same configuration: for a process
 * started on the same table, buckets and endpoints (the benchmarks' measured half).
 */
export function configEnvironment(config: BackOfficeConfig): Record<string, string> {
  return {
    TABLE_NAME: config.tableName,
    UPLOADS_BUCKET: config.buckets.uploads,
    REPORTS_BUCKET: config.buckets.reports,
    INVOICES_BUCKET: config.buckets.invoices,
    BUSINESS_TIME_ZONE: config.businessTimeZone,
    RETURN_WINDOW_DAYS: String(config.returnWindowDays),
    RECONCILIATION_DAY: String(config.reconciliationDay),
    MAX_UPLOAD_BYTES: String(config.maxUploadBytes),
    MAX_UPLOAD_ROWS: String(config.maxUploadRows),
    SUPERSEDED_VERSION_TTL_DAYS: String(config.supersededVersionTtlDays),
    ...(config.reconcileQueueUrl === undefined ? {} : { RECONCILE_QUEUE_URL: config.reconcileQueueUrl }),
    ...(config.statisticsQueueUrl === undefined ? {} : { STATISTICS_QUEUE_URL: config.statisticsQueueUrl }),
    ...(config.projectionQueueUrl === undefined ? {} : { PROJECTION_QUEUE_URL: config.projectionQueueUrl }),
    METRICS_NAMESPACE: config.metricsNamespace,
    AWS_REGION: config.region,
    ...(config.endpoints.dynamodb === undefined ? {} : { DYNAMODB_ENDPOINT: config.endpoints.dynamodb }),
    ...(config.endpoints.s3 === undefined ? {} : { S3_ENDPOINT: config.endpoints.s3 }),
    ...(config.originVerifySecret === undefined ? {} : { ORIGIN_VERIFY_SECRET: config.originVerifySecret }),
    ...(config.complaintOpenLimitDays === undefined ? {} : { COMPLAINT_OPEN_LIMIT_DAYS: String(config.complaintOpenLimitDays) }),
    ...(config.verificationSample === undefined ? {} : { VERIFICATION_SHARE_PERCENT: String(config.verificationSample.sharePercent), VERIFICATION_MINIMUM: String(config.verificationSample.minimum) }),
    ...(config.verificationMarginPercent === undefined ? {} : { VERIFICATION_MARGIN_PERCENT: String(config.verificationMarginPercent) }),
    ...(config.disputeDeadlineDays === undefined ? {} : { DISPUTE_DEADLINE_DAYS: String(config.disputeDeadlineDays) }),
    ...(config.unboxingPlanDays === undefined ? {} : { UNBOXING_PLAN_DAYS: String(config.unboxingPlanDays) }),
    ...(config.mail.from === undefined ? {} : { MAIL_FROM: config.mail.from }),
    ...(config.mail.configurationSet === undefined ? {} : { MAIL_CONFIGURATION_SET: config.mail.configurationSet }),
    ...(config.mail.smtpSecretArn === undefined ? {} : { SMTP_SECRET_ARN: config.mail.smtpSecretArn }),
    OUTBOX_DIR: config.mail.outboxDir,
    NOTICE_FINANCE_EMAILS: config.staffEmails.finance.join(','),
    NOTICE_ADMIN_EMAILS: config.staffEmails.admin.join(','),
    NOTICE_MANAGER_EMAILS: config.staffEmails.manager.join(','),
    NOTICE_WAREHOUSE_EMAILS: config.staffEmails.warehouse.join(','),
    ...(config.portalUrl === undefined ? {} : { PORTAL_URL: config.portalUrl }),
    ROLE_CLAIM: config.claims.role,
    DEALER_CODE_CLAIM: config.claims.dealerCode,
    ...(config.tokenCheck === undefined ? {} : { OIDC_ISSUER: config.tokenCheck.issuer, OIDC_AUDIENCE: config.tokenCheck.audience }),
  };
}
