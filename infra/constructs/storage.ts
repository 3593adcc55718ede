import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, TableV2, type Attribute, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership, type BucketProps } from 'aws-cdk-lib/aws-s3';
import type { InvoiceLockMode } from '../config.js';
import { Construct } from 'constructs';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { KEY_ATTRIBUTE_TYPE, TABLE_INDEXES, TABLE_KEYS } from '../../shared/store/table.js';

/** Long enough for a dealer to fetch the annotated workbook and for support to look back. */
const ERROR_REPORT_DAYS = 180;
/**
 * Upload keys are unique per upload, so a noncurrent version only exists after an admin
 * overwrote or deleted an original; keep it long enough to undo that, then let it go.
 */
const UPLOAD_NONCURRENT_VERSION_DAYS = 90;
const ACCESS_LOG_DAYS = 365;
const INCOMPLETE_UPLOAD_DAYS = 7;
/**
 * Every invoice workbook version is locked this long (Object Lock): accounting records are kept
 * for years; a longer legal period is set in the console, per object or as default.
 */
export const INVOICE_RETENTION = Duration.days(10 * 365);

/**
 * Private, TLS 1.2+ only, encrypted at rest. S3-managed keys rather than KMS: server access
 * log delivery cannot write to SSE-KMS buckets, and the data buckets are reached only through
 * the functions' roles, so a customer key would add cost without narrowing who can read.
 */
const SECURE_BUCKET = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies BucketProps;

const KEY_TYPES: Record<typeof KEY_ATTRIBUTE_TYPE, AttributeType> = { S: AttributeType.STRING };
const keyAttribute = (name: string): Attribute => ({ name, type: KEY_TYPES[KEY_ATTRIBUTE_TYPE] });

/**
 * Everything the back office keeps: the single table and the three data buckets (dealer
 * uploads, generated reports, invoices), plus the bucket their access logs go to.
 * Data resources are retained when the stack is deleted: they are the business's records.
 */
/**
 * The uploads bucket's name, made from the stack's name, account and region rather than left
 * to CloudFormation: the portal's content security policy must name the bucket's endpoint,
 * and the bucket's CORS rule names the portal's distribution, so naming the bucket through a
 * reference would make each depend on the other.
 */
export const uploadsBucketName = (stack: Stack): string => `${stack.stackName.toLowerCase()}-uploads-${stack.account}-${stack.region}`;

/** The origin the portal posts uploads to: the uploads bucket's virtual-hosted endpoint, as a presigned POST names it. */
export const uploadsBucketOrigin = (stack: Stack): string => `https://${uploadsBucketName(stack)}.s3.${stack.region}.${stack.urlSuffix}`;

export interface StorageProps {
  /** Governance (an administrator may still remove a version) or compliance (nobody can, until the retention ends). */
  readonly invoiceLockMode: InvoiceLockMode;
  /**
   * The table restored from a backup or a point in time (`backoffice ops restore`), which the
   * functions use instead of the stack's own; the stack's own stays in the account (retained).
   */
  readonly restoredTableName?: string;
}

export class Storage extends Construct {
  /** The table the functions use: the stack's own, or the restored one. */
  readonly table: ITableV2;
  /** The stack's own table, absent while the stack runs on a restored one. */
  readonly ownTable?: TableV2;
  readonly uploads: Bucket;
  readonly reports: Bucket;
  readonly invoices: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    // Built from shared/store/table.ts, the definitions the local stack provisions from, so the
    // two cannot drift. TableV2 so that a replica can be added later without replacing the table.
    const own = () => new TableV2(this, 'Table', {
      partitionKey: keyAttribute(TABLE_KEYS.partitionKey),
      sortKey: keyAttribute(TABLE_KEYS.sortKey),
      globalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
        indexName: index.indexName,
        partitionKey: keyAttribute(index.partitionKey),
        sortKey: keyAttribute(index.sortKey),
      })),
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.restoredTableName === undefined) {
      this.ownTable = own();
      this.table = this.ownTable;
    } else {
      this.table = TableV2.fromTableAttributes(this, 'RestoredTable', {
        tableName: props.restoredTableName,
        grantIndexPermissions: true,
        globalIndexes: TABLE_INDEXES.map((index) => index.indexName),
      });
    }

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...SECURE_BUCKET,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server access log destination; logging it into itself would log every log delivery.',
    });

    const logged = (prefix: string): BucketProps => ({
      ...SECURE_BUCKET,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${prefix}/`,
    });

    // Versioned: the ingest keys an upload on its object version, and an overwritten original
    // can be restored while the noncurrent version lives.
    this.uploads = new Bucket(this, 'Uploads', {
      ...logged('uploads'),
      bucketName: uploadsBucketName(Stack.of(this)),
      versioned: true,
      lifecycleRules: [
        {
          noncurrentVersionExpiration: Duration.days(UPLOAD_NONCURRENT_VERSION_DAYS),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS),
        },
      ],
    });

    this.reports = new Bucket(this, 'Reports', {
      ...logged('reports'),
      lifecycleRules: [
        { prefix: REPORT_PREFIXES.errorReports, expiration: Duration.days(ERROR_REPORT_DAYS) },
        { prefix: REPORT_PREFIXES.ledgerErrors, expiration: Duration.days(ERROR_REPORT_DAYS) },
        { abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS) },
      ],
    });

    // Invoices are accounting records: versioned and never expired, and every version written
    // is locked (compliance mode in prod, governance in dev), so an issued invoice cannot be silently replaced or lost.
    // Not a bucket policy: "deny overwriting an existing key" has no condition key short of
    // requiring If-None-Match on every write, which would make the reconciliation's repeatable
    // re-write of a workbook fail. With the lock, a re-write adds a version and the first stays;
    // only a principal granted s3:BypassGovernanceRetention (no role of this stack) can remove one.
    this.invoices = new Bucket(this, 'Invoices', {
      ...logged('invoices'),
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention: props.invoiceLockMode === 'compliance' ? ObjectLockRetention.compliance(INVOICE_RETENTION) : ObjectLockRetention.governance(INVOICE_RETENTION),
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(INCOMPLETE_UPLOAD_DAYS) }],
    });
  }
}
