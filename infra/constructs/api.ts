import { Annotations, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { AccessLogFormat, EndpointType, LambdaIntegration, LogGroupLogDestination as RestLogDestination, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer, HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolDomain,
  UserPoolEmail,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/domain/access.js';
import type { StackSettings } from '../config.js';
import type { RegionOffer } from '../regions.js';
import type { Firewall } from './firewall.js';
import { nagArn } from './nag.js';
import { liveAlias } from './rollout.js';
import { tableAccess } from './table-access.js';
import { BackOfficeFunction, functionEnvironment, stageLogGroup } from './node-function.js';
import { REPORT_PREFIXES } from '../../shared/app/report-keys.js';
import { LEDGER_UPLOAD_PREFIX, MASTER_PORTAL_PREFIX } from '../../shared/app/upload-keys.js';
import { REPORT_TYPES } from '../../shared/domain/fields.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { UNBOXING_PHOTO_PREFIX } from '../../shared/app/quality/unboxing.js';

/**
 * Invoice statuses and requests (under the dealer), the tickets of the upload forms it hands
 * out, complaints with their unit histories, the maker's verification calls (under the dealer);
 * return lines typed one at a time in the portal (a returns file is the ledger worker's).
 */
export const API_WRITES = [
  everyPartitionOf(PK_PREFIX.dealer),
  everyPartitionOf(PK_PREFIX.uploadTicket),
  everyPartitionOf(PK_PREFIX.complaint),
  everyPartitionOf(PK_PREFIX.unit),
  everyPartitionOf(PK_PREFIX.lookup),
  // Material requests: a charged line's sale form takes the period's next number, and shipping records ledger lines.
  PARTITION.invoiceCounter,
  everyPartitionOf(PK_PREFIX.shipment),
  // The return warehouse's single-entry form records return lines.
  everyPartitionOf(PK_PREFIX.return),
];
/**
 * What it writes, master data, upload outcomes (reports' and ledger files') and ledger lines,
 * and the reconciliation runs: a dealer's position and its reconciliation workbook find the run first.
 */
export const API_READS = [
  PARTITION.master,
  PARTITION.reconciliationRuns,
  everyPartitionOf(PK_PREFIX.submission),
  everyPartitionOf(PK_PREFIX.ledgerUpload),
  everyPartitionOf(PK_PREFIX.shipment),
  everyPartitionOf(PK_PREFIX.return),
  // The warranty check of a material request reads the end-user archive.
  everyPartitionOf(PK_PREFIX.product),
  ...API_WRITES,
];

/** Where the API signs upload forms in the uploads bucket: report types, ledger files, the portal's master-data form, photos of unboxing cases (no event reads those). */
export const API_UPLOAD_PREFIXES = [...REPORT_TYPES.map((type) => `${type}/`), `${LEDGER_UPLOAD_PREFIX}`, MASTER_PORTAL_PREFIX, UNBOXING_PHOTO_PREFIX];

/**
 * One JSON object per request, in fields CloudWatch Logs Insights reads by name. HTTP APIs
 * leave most of CDK's default (CLF) fields empty; these are the ones they fill. `sub` is the
 * signed-in user (the JWT authorizer's claims); `ip` is the address API Gateway saw, which is
 * CloudFront's: the viewer's address is in the CloudFront logs (docs/operations.md).
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integrationStatus',
  integrationLatency: '$context.integrationLatency',
  responseLatency: '$context.responseLatency',
  integrationErrorMessage: '$context.integrationErrorMessage',
  errorMessage: '$context.error.message',
  authorizerError: '$context.authorizer.error',
  sub: '$context.authorizer.claims.sub',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
} as const;

/** The REST API's access log (China): the same fields by the REST API's variables, and what the regional WAF decided. */
export const REST_ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  resourcePath: '$context.resourcePath',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  responseLatency: '$context.responseLatency',
  integrationErrorMessage: '$context.integration.error',
  errorMessage: '$context.error.message',
  wafResponseCode: '$context.wafResponseCode',
  webAclArn: '$context.webaclArn',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
} as const;

/** The REST API's stage (China): CloudFront's origin path. */
export const REST_STAGE_NAME = 'api';

/** The custom attribute that binds a dealer's users to their dealer code (`custom:dealer_code` in the token). */
export const DEALER_CODE_ATTRIBUTE = 'dealer_code';

export interface ApiProps {
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly reports: IBucket;
  readonly invoices: IBucket;
  readonly settings: StackSettings;
  /** The portal's origin (`https://…`), where sign-in returns to. */
  readonly portalOrigin: string;
  /** What the region offers: where CloudFront has no WAF (China), a REST API with a regional WAF instead of the HTTP API. */
  readonly offer: RegionOffer;
  readonly firewall: Firewall;
}

/** The metrics both kinds of API Gateway API publish under the same names: what the alarms read. */
export type ApiMetrics = Pick<HttpApi, 'metricServerError' | 'metricLatency' | 'metricCount' | 'metricClientError' | 'metricIntegrationLatency'>;

/** The stack's own Cognito user pool, its portal client and hosted sign-in domain. */
export interface CognitoIssuer {
  readonly userPool: UserPool;
  readonly portalClient: UserPoolClient;
  readonly signInDomain: UserPoolDomain;
}

/** Who signs people in, as the portal and the API's authorizer see it. */
export interface SignIn {
  /** The OpenID Connect issuer (`iss`), whose discovery document is under `/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** The portal's client id at the issuer, the tokens' audience. */
  readonly clientId: string;
  /** Set when the issuer is the stack's own user pool. */
  readonly cognito?: CognitoIssuer;
}

/**
 * The HTTP API the portal calls, and who may call it: a JWT authorizer in front of every
 * route that trusts one OpenID Connect issuer (the stack's own Cognito user pool, whose groups
 * are the back office's roles, or the customer's identity provider named by
 * `backoffice:oidcIssuer`), and one function that routes, checks and answers (functions/api.ts).
 * Where CloudFront has no WAF (China), a REST API behind a regional WebACL takes the HTTP API's
 * place, and the function checks the same issuer's tokens itself.
 */
export class Api extends Construct {
  readonly signIn: SignIn;
  /** The HTTP API, with its JWT authorizer: wherever CloudFront has a WAF. */
  readonly httpApi?: HttpApi;
  /**
   * The REST API where CloudFront has no WAF (China): an HTTP API cannot be associated with
   * AWS WAF, a REST API stage can. No authorizer: the function verifies the token itself.
   */
  readonly restApi?: RestApi;
  /** Where CloudFront sends `/api/*`: the API's host and the path its routes are under. */
  readonly origin: { readonly host: string; readonly path?: string };
  readonly metrics: ApiMetrics;
  readonly apiFunction: BackOfficeFunction;
  /** The value CloudFront sends in ORIGIN_VERIFY_HEADER (a CloudFormation dynamic reference, resolved at deploy). */
  readonly originVerifyValue: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { table, uploads, reports, invoices, settings, portalOrigin, offer } = props;
    const behindRegionalWaf = !offer.cloudFrontWaf;

    const portalUrl = `${portalOrigin}/`;
    if (settings.oidcIssuer !== undefined && settings.oidcAudience !== undefined) {
      this.signIn = { issuer: settings.oidcIssuer, clientId: settings.oidcAudience };
    } else {
      const cognito = cognitoIssuer(this, settings, portalUrl);
      this.signIn = {
        issuer: `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${cognito.userPool.userPoolId}`,
        clientId: cognito.portalClient.userPoolClientId,
        cognito,
      };
    }

    // Generated at deploy, never in the template; the distribution and the function get it by
    // dynamic reference. Disabling the execute-api endpoint instead would cut CloudFront off
    // too: its origin is that very endpoint (no custom domain for the API).
    const originVerify = new Secret(this, 'OriginVerify', {
      description: 'Shared by CloudFront and the API function: proves a request came through CloudFront',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(originVerify).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'CloudFront and the API function take the value by dynamic reference at deploy time, so a rotated value would reach neither until both are updated; it is a long-lived origin secret (docs/operations.md).',
    });
    this.originVerifyValue = originVerify.secretValue.unsafeUnwrap();

    const logGroup = stageLogGroup(this, 'ApiLogs', settings.stage);
    const role = new Role(this, 'ApiRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'API function: reads and writes the table, signs upload forms and download links',
    });
    logGroup.grantWrite(role);
    grantApiAccess(role, { table, uploads, reports, invoices });

    this.apiFunction = new BackOfficeFunction(this, 'Handler', {
      entry: 'functions/api.ts',
      description: 'The portal API: submissions, templates, invoices, statistics and ledger uploads',
      // Writing the month's statistics runs exceljs (ledger files are recorded by the ledger worker).
      memorySize: 1024,
      // API Gateway gives up on an integration after 30 seconds.
      timeout: Duration.seconds(29),
      role,
      logGroup,
      environment: {
        ...functionEnvironment(props, settings),
        ORIGIN_VERIFY_SECRET: this.originVerifyValue,
        ROLE_CLAIM: settings.roleClaim,
        DEALER_CODE_CLAIM: settings.dealerCodeClaim,
        // No authorizer in front of the REST API: the function checks the token against these.
        ...(behindRegionalWaf ? { OIDC_ISSUER: this.signIn.issuer, OIDC_AUDIENCE: this.signIn.clientId } : {}),
      },
    });
    const accessLogs = stageLogGroup(this, 'AccessLogs', settings.stage, 'access');
    if (behindRegionalWaf) {
      this.restApi = restApi(this, this.apiFunction, accessLogs, props.firewall);
      this.metrics = this.restApi;
      this.origin = { host: Fn.select(2, Fn.split('/', this.restApi.url)), path: `/${REST_STAGE_NAME}` };
    } else {
      this.httpApi = httpApi(this, this.signIn, this.apiFunction, accessLogs);
      this.metrics = this.httpApi;
      // apiEndpoint is https://<id>.execute-api.<region>.amazonaws.com; the origin wants the host alone.
      this.origin = { host: Fn.select(2, Fn.split('/', this.httpApi.apiEndpoint)) };
    }

    const policy = role.node.findChild('DefaultPolicy');
    Validations.of(policy).acknowledge(
      ...API_UPLOAD_PREFIXES.map((prefix) => ({
        id: `AwsSolutions-IAM5[Resource::${nagArn(uploads)}/${prefix}*]`,
        reason: 'Upload forms are signed for keys the function makes per upload under this prefix (the caller’s dealer, type and month for reports).',
      })),
      { id: `AwsSolutions-IAM5[Resource::${nagArn(invoices)}/invoices/*]`, reason: 'Download links for invoice workbooks, one key per invoice; who may read which invoice is decided before signing.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.errorReports}*]`, reason: 'Download links for the annotated error workbooks of rejected uploads, one key per version.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.ledgerErrors}*]`, reason: 'Annotated error workbooks of rejected shipments and returns files, one key per upload.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.statistics}*]`, reason: 'The month statistics workbook, one key per month.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.reconciliations}*]`, reason: 'The reconciliation workbook, one key per month and as-of date.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/${REPORT_PREFIXES.masterImports}*]`, reason: 'Outcomes and annotated workbooks of master-data uploads, one key per uploaded object.' },
      { id: `AwsSolutions-IAM5[Resource::${nagArn(reports)}/issue-slips/*]`, reason: 'Issue slips of material requests, one key per dealer and slip number; who may read which is decided before signing.' },
            { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords, added by active tracing, support no resource-level permissions.' },
    );
  }
}

/**
 * The stack's own issuer where Cognito user pools exist. Users are created by admins (dealers
 * are a known network), never by sign-up, and the dealer code is an admin-set attribute that
 * the portal client cannot write.
 */
function cognitoIssuer(scope: Construct, settings: StackSettings, portalUrl: string): CognitoIssuer {
  const userPool = new UserPool(scope, 'Users', {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    standardAttributes: { email: { required: true, mutable: true } },
    customAttributes: { [DEALER_CODE_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }) },
    passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
    // Finance marks invoices paid and admins upload the ledgers: a stolen password alone must not be enough.
    mfa: Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    deletionProtection: true,
    // Invitations and password resets through SES when the stage names a verified sender;
    // Cognito's own sender allows 50 mails a day per account (docs/operations.md).
    ...(settings.sesFromEmail === undefined
      ? {}
      : { email: UserPoolEmail.withSES({ fromEmail: settings.sesFromEmail, fromName: 'After-sales back office', sesRegion: Stack.of(scope).region }) }),
  });
  if (settings.sesFromEmail === undefined) {
    Annotations.of(userPool).addInfo(
      "No backoffice:sesFromEmail: Cognito sends invitations and resets from its own sender, 50 a day per account. Set a verified SES identity before inviting a network's users.",
    );
  }
  for (const role of ROLES) {
    new UserPoolGroup(scope, `Group-${role}`, { userPool, groupName: role, description: `Back-office role ${role}` });
  }
  const plusPlanReason =
    'Threat protection comes with the Plus feature plan, billed per active user; sign-up is closed, MFA is required and every API call is authorised by role and dealer. Switch the plan in the console when the network grows.';
  Validations.of(userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: plusPlanReason }, { id: 'AwsSolutions-COG8', reason: plusPlanReason });

  const portalClient = userPool.addClient('Portal', {
    generateSecret: false,
    authFlows: { userSrp: true },
    oAuth: {
      flows: { authorizationCodeGrant: true },
      scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
      callbackUrls: [portalUrl],
      logoutUrls: [portalUrl],
    },
    preventUserExistenceErrors: true,
    readAttributes: new ClientAttributes().withStandardAttributes({ email: true, emailVerified: true }).withCustomAttributes(DEALER_CODE_ATTRIBUTE),
    writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.days(30),
  });

  // The prefix must be unique in the region: the stage and the account id make it so without
  // hard-coding one, and let a dev and a prod stack share an account.
  const signInDomain = userPool.addDomain('SignIn', {
    cognitoDomain: { domainPrefix: `aftersales-${settings.stage.name}-${Stack.of(scope).account}` },
  });

  return { userPool, portalClient, signInDomain };
}

/** Exactly what the routes use: the table and its index, and one action per bucket prefix. */
function grantApiAccess(role: Role, resources: { table: ITableV2; uploads: IBucket; reports: IBucket; invoices: IBucket }): void {
  const { table, uploads, reports, invoices } = resources;
  const allow = (sid: string, actions: string[], arns: string[]) => role.addToPolicy(new PolicyStatement({ sid, effect: Effect.ALLOW, actions, resources: arns }));
  // The routes change invoice statuses (under the dealer) and keep upload tickets; they read
  // those, master data, upload outcomes and the ledger. Nothing of the counters, the runs or the archive.
  for (const statement of tableAccess(table, { reads: API_READS, writes: API_WRITES })) role.addToPolicy(statement);
  // Invoices of a period, the dealers' reconciliations of a run and a dealer's ledger are
  // listed through gsi1, the table's one index. No key condition: LeadingKeys on an index
  // query would name the index's keys (PERIOD#, RECON#, LEDGER#), which no store writes as a pk.
  allow('QueryIndex', ['dynamodb:Query'], [`${table.tableArn}/index/gsi1`]);
  // Signing an upload form needs PutObject; an upload's identity (where it stands) GetObject:
  // under the prefixes of the keys it makes only, never the rest of the bucket.
  allow('SignAndReadUploads', ['s3:PutObject', 's3:GetObject'], API_UPLOAD_PREFIXES.map((prefix) => uploads.arnForObjects(`${prefix}*`)));
  // The status routes ask S3 whether an upload has arrived (HeadObject). Without ListBucket on
  // the bucket S3 answers 403 for a key not there yet, not 404, and "waiting" would be an error;
  // HeadObject carries no prefix to narrow the grant by.
  allow('SeeWhetherUploadsArrived', ['s3:ListBucket'], [uploads.bucketArn]);
  allow('ReadErrorReports', ['s3:GetObject'], [reports.arnForObjects(`${REPORT_PREFIXES.errorReports}*`)]);
  allow('WriteLedgerErrorsAndStatistics', ['s3:GetObject', 's3:PutObject'], [
    reports.arnForObjects(`${REPORT_PREFIXES.ledgerErrors}*`),
    reports.arnForObjects(`${REPORT_PREFIXES.statistics}*`),
    reports.arnForObjects(`${REPORT_PREFIXES.reconciliations}*`),
  ]);
  allow('ReadInvoices', ['s3:GetObject'], [invoices.arnForObjects('invoices/*')]);
  // Material requests: the sale form of an approved charged line, and the issue slip of a shipment.
  allow('WriteSaleFormsAndIssueSlips', ['s3:PutObject'], [invoices.arnForObjects('invoices/*'), reports.arnForObjects('issue-slips/*')]);
  allow('ReadIssueSlips', ['s3:GetObject'], [reports.arnForObjects('issue-slips/*')]);
  // Whether the workbooks made off the request path are there yet: listing under their two
  // prefixes only (without it a missing key reads as 403, not as not-yet-made).
  role.addToPolicy(
    new PolicyStatement({
      sid: 'ListMadeWorkbooks',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [reports.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${REPORT_PREFIXES.statistics}*`, `${REPORT_PREFIXES.reconciliations}*`] } },
    }),
  );
  // Where an admin's master-data upload stands: its outcome (listed, read) and annotated workbook.
  allow('ReadMasterOutcomes', ['s3:GetObject'], [reports.arnForObjects(`${REPORT_PREFIXES.masterImports}*`)]);
  role.addToPolicy(
    new PolicyStatement({
      sid: 'ListMasterOutcomes',
      effect: Effect.ALLOW,
      actions: ['s3:ListBucket'],
      resources: [reports.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${REPORT_PREFIXES.masterImports}*`] } },
    }),
  );
}

/** The HTTP API: a JWT authorizer trusting the issuer in front of one route to the function's live alias. */
function httpApi(scope: Construct, signIn: SignIn, fn: BackOfficeFunction, accessLogs: ILogGroup): HttpApi {
  const api = new HttpApi(scope, 'HttpApi', {
    description: 'Back-office API for the portal',
    createDefaultStage: false,
    defaultAuthorizer:
      signIn.cognito === undefined
        ? new HttpJwtAuthorizer('Oidc', signIn.issuer, { jwtAudience: [signIn.clientId] })
        : new HttpUserPoolAuthorizer('Cognito', signIn.cognito.userPool, { userPoolClients: [signIn.cognito.portalClient] }),
    // No CORS: the portal reaches the API on its own origin (CloudFront routes /api/* here),
    // so a browser on any other origin is refused by the same-origin policy.
  });
  // One route to one function: functions/api.ts routes, and answers unknown paths in both languages.
  api.addRoutes({
    path: '/api/{proxy+}',
    methods: [HttpMethod.GET, HttpMethod.POST],
    // The live alias, which CodeDeploy shifts from version to version (constructs/rollout.ts).
    integration: new HttpLambdaIntegration('Router', liveAlias(fn)),
  });
  new HttpStage(scope, 'Stage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    // A few hundred dealers upload a few files a month; this bounds a runaway script, not real use.
    throttle: { rateLimit: 50, burstLimit: 100 },
    accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)) },
  });
  return api;
}

/**
 * The REST API of a region whose CloudFront has no WAF: the same route to the same live alias
 * (a Lambda proxy, payload 1.0, which functions/api.ts reads too), the same throttle, its
 * stage guarded by the regional WebACL. No authorizer: a JWT authorizer exists only for HTTP
 * APIs and Cognito's only where user pools do; the function verifies the token as the JWT
 * authorizer would (shared/auth/token-verifier.ts) before any route runs.
 */
function restApi(scope: Construct, fn: BackOfficeFunction, accessLogs: ILogGroup, firewall: Firewall): RestApi {
  const api = new RestApi(scope, 'RestApi', {
    description: 'Back-office API for the portal (behind a regional WAF)',
    endpointTypes: [EndpointType.REGIONAL],
    // Workbooks come back base64 from the function: API Gateway turns them into bytes only for a binary media type.
    binaryMediaTypes: ['*/*'],
    cloudWatchRole: false,
    deployOptions: {
      stageName: REST_STAGE_NAME,
      throttlingRateLimit: 50,
      throttlingBurstLimit: 100,
      accessLogDestination: new RestLogDestination(accessLogs),
      accessLogFormat: AccessLogFormat.custom(JSON.stringify(REST_ACCESS_LOG_FIELDS)),
    },
  });
  const integration = new LambdaIntegration(liveAlias(fn), { proxy: true });
  const routes = api.root.addResource('api').addResource('{proxy+}');
  for (const method of ['GET', 'POST']) routes.addMethod(method, integration);
  firewall.guardApiStage(api.deploymentStage, REST_STAGE_NAME);
  const inHandler = 'Every route verifies the OpenID Connect token in the function before it runs (shared/auth/token-verifier.ts: issuer, audience, signature, expiry), as the JWT authorizer does elsewhere; REST APIs have no JWT authorizer and the region no Cognito user pools.';
  Validations.of(api).acknowledge(
    { id: 'AwsSolutions-APIG4', reason: inHandler },
    { id: 'AwsSolutions-COG4', reason: inHandler },
    { id: 'AwsSolutions-APIG2', reason: 'One proxy route: the function checks every parameter and body against its route\'s schema (zod) and answers 400 in English and Chinese.' },
  );
  Validations.of(api.deploymentStage).acknowledge({
    id: 'AwsSolutions-APIG6',
    reason: "Execution logging needs the account-wide API Gateway CloudWatch role, which this stack does not own; the access log records every request with the WAF's decision, and the function logs its own errors.",
  });
  return api;
}
