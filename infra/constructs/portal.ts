import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CfnDistribution,
  SecurityPolicyProtocol,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  OriginRequestPolicy,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import { nagArn } from './nag.js';
import { partitionOf, type RegionOffer } from '../regions.js';
import { uploadsBucketOrigin } from './storage.js';

/** What the portal's pages need to know at run time, served as `/config.json` next to them. */
export type PortalRuntimeConfig =
  | {
      readonly auth: 'cognito';
      readonly region: string;
      readonly userPoolId: string;
      readonly clientId: string;
      /** The Cognito sign-in domain, `https://<prefix>.auth.<region>.amazoncognito.com`. */
      readonly signInUrl: string;
    }
  | {
      /** Any OpenID Connect issuer: the portal finds its endpoints in the issuer's discovery document. */
      readonly auth: 'oidc';
      readonly issuer: string;
      readonly clientId: string;
    };

export interface PortalProps {
  /** The S3 server access log bucket of the data buckets. */
  readonly accessLogs: IBucket;
  /** The bucket the browser posts upload forms to directly. */
  readonly uploads: Bucket;
  readonly settings: StackSettings;
  /** The WAF WebACL in front of the distribution, when there is one (constructs/firewall.ts). */
  readonly webAclArn?: string;
  /** Where the browser signs in: the issuer's origin(s), allowed by the content security policy. */
  readonly signInOrigins: readonly string[];
  /** What the region's CloudFront offers (infra/regions.ts). */
  readonly offer: RegionOffer;
}

/**
 * The portal's static pages: a private bucket behind CloudFront (origin access control,
 * HTTPS only, security headers). `/api/*` on the same origin goes to the HTTP API, so the
 * API needs no CORS; uploads are posted straight to the uploads bucket, which admits this
 * origin only.
 */
export class Portal extends Construct {
  readonly bucket: Bucket;
  /** CloudFront's standard logs: every viewer request, with the viewer's address. */
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  private readonly domainName: string | undefined;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const { settings } = props;
    this.domainName = settings.domainName !== undefined && (settings.certificateArn !== undefined || settings.iamCertificateId !== undefined) ? settings.domainName : undefined;

    this.bucket = new Bucket(this, 'Pages', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'portal/',
      // Built from the repository on every deploy: nothing here is a record to keep.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });

    // CloudFront's standard logs (legacy delivery): the v2 delivery (CloudWatch Logs delivery
    // source) must be made in us-east-1 and aws-cdk-lib has no Distribution support for it,
    // while a log bucket works from this stack in any region. Legacy delivery writes with an
    // ACL, so this bucket alone has ACLs enabled; it is private and SSE-S3 like the rest.
    this.logBucket = new Bucket(this, 'EdgeLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'edge-logs/',
      lifecycleRules: [{ expiration: Duration.days(settings.stage.accessLogRetention) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const securityHeadersBehavior = {
      contentSecurityPolicy: {
        override: true,
        // Uploads go straight to the uploads bucket (presigned POST), sign-in to Cognito; nothing
        // else is reached. The bucket's endpoint comes from its fixed name (storage.ts).
        contentSecurityPolicy: [
          "default-src 'self'",
          `connect-src 'self' ${uploadsBucketOrigin(Stack.of(this))} ${props.signInOrigins.join(' ')}`,
          "img-src 'self' data:",
          // No inline style or script: Ant Design's styles are a stylesheet of the build, and what
          // it adds at run time goes through adopted style sheets (portal/src/adopted-css.ts).
          "style-src 'self'",
          "script-src 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          `form-action 'self' ${props.signInOrigins.join(' ')}`,
        ].join('; '),
      },
      strictTransportSecurity: { override: true, accessControlMaxAge: Duration.days(730), includeSubdomains: true },
      contentTypeOptions: { override: true },
      frameOptions: { override: true, frameOption: HeadersFrameOption.DENY },
      referrerPolicy: { override: true, referrerPolicy: HeadersReferrerPolicy.NO_REFERRER },
    };
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', { comment: 'Back-office portal: strict security headers', securityHeadersBehavior });
    // The portal's scripts and styles carry their content's hash in their name (portal-pages.ts):
    // a browser may keep them for a year, and a new deploy is new names.
    const immutableHeaders = new ResponseHeadersPolicy(this, 'ImmutableAssetHeaders', {
      comment: 'Back-office portal: hashed assets, cached for a year',
      securityHeadersBehavior,
      customHeadersBehavior: { customHeaders: [{ header: 'Cache-Control', value: 'public, max-age=31536000, immutable', override: true }] },
    });
    // CloudFront in China has no origin access control (CDK's region rules, F3006): an origin access identity there.
    const pagesOrigin = props.offer.cloudFrontOriginAccessControl ? S3BucketOrigin.withOriginAccessControl(this.bucket) : S3BucketOrigin.withOriginAccessIdentity(this.bucket);

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Back-office portal',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: pagesOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        compress: true,
      },
      additionalBehaviors: {
        'assets/*': { origin: pagesOrigin, viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS, responseHeadersPolicy: immutableHeaders, cachePolicy: CachePolicy.CACHING_OPTIMIZED, compress: true },
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.webAclArn === undefined ? {} : { webAclId: props.webAclArn }),
      ...(settings.domainName !== undefined && settings.certificateArn !== undefined
        ? { domainNames: [settings.domainName], certificate: Certificate.fromCertificateArn(this, 'Certificate', settings.certificateArn), minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });
    if (settings.domainName !== undefined && settings.iamCertificateId !== undefined) {
      // CloudFront in China takes no ACM certificate: the ICP-registered domain's certificate is an IAM server certificate.
      const cfn = this.distribution.node.defaultChild as CfnDistribution;
      cfn.addPropertyOverride('DistributionConfig.Aliases', [settings.domainName]);
      cfn.addPropertyOverride('DistributionConfig.ViewerCertificate', { IamCertificateId: settings.iamCertificateId, SslSupportMethod: 'sni-only', MinimumProtocolVersion: 'TLSv1.2_2021' });
    }
    if (!props.offer.cloudFrontOriginAccessControl) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR7',
        reason: "The region's CloudFront has no origin access control (infra/regions.ts): an origin access identity keeps the pages bucket private instead.",
      });
    }
    if (!props.offer.cloudFrontWaf) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR2',
        reason: "The region's CloudFront has no WAF integration (infra/regions.ts); the API behind it is a REST API whose stage a regional WebACL guards (constructs/api.ts, docs/operations.md: The API in China), and the pages are static.",
      });
    }
    Validations.of(this.distribution).acknowledge(
      { id: 'AwsSolutions-CFR1', reason: 'Dealers are where the maker sells; no country is to be blocked by the portal.' },
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate allows TLSv1 at the edge; a custom domain with its own certificate and a TLS 1.2 minimum is the deployment’s choice (docs/operations.md).',
      },
    );

    // The browser posts report files straight to the uploads bucket, from this origin only.
    props.uploads.addCorsRule({
      allowedMethods: [HttpMethods.POST],
      allowedOrigins: [this.origin],
      allowedHeaders: ['*'],
      maxAge: 3600,
    });
  }

  /** Where the portal is served: its own domain when it has one, else `https://<id>.cloudfront.net`. */
  get origin(): string {
    return `https://${this.domainName ?? this.distribution.distributionDomainName}`;
  }

  /**
   * Routes `/api/*` to the HTTP API, uncached: the Authorization header must be in the cache
   * key to be forwarded at all, and the API answers `Cache-Control: no-store`.
   */
  routeApi(api: { readonly host: string; readonly path?: string }, originVerify: { header: string; value: string }): void {
    const passThrough = new CachePolicy(this, 'ApiPassThrough', {
      comment: 'API calls: forward the token and the query, cache nothing',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
    });
    const origin = new HttpOrigin(api.host, { customHeaders: { [originVerify.header]: originVerify.value }, ...(api.path === undefined ? {} : { originPath: api.path }) });
    this.distribution.addBehavior('/api/*', origin, {
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: passThrough,
      // Not the Host header: API Gateway answers 403 to a host that is not its own.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      compress: true,
    });
  }

  /** Copies the built pages and their run-time configuration to the bucket on every deploy. */
  publish(pages: ISource, config: PortalRuntimeConfig): BucketDeployment {
    const deployment = new BucketDeployment(this, 'Publish', {
      sources: [pages, Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 512,
    });
    acknowledgeDeploymentHandler(this);
    return deployment;
  }
}

/**
 * BucketDeployment copies files with a CDK-provided singleton function at deploy time; its
 * role, policy and runtime are CDK's, scoped by CDK to the asset bucket and this bucket.
 */
function acknowledgeDeploymentHandler(scope: Portal): void {
  const handler = Stack.of(scope).node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (handler === undefined) return;
  const reason = "CDK's BucketDeployment handler: runs only during deployment, copying the built pages from the CDK asset bucket into the portal bucket.";
  Validations.of(handler).acknowledge(
    { id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason },
    ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({ id: `AwsSolutions-IAM5[Action::${action}]`, reason })),
    { id: `AwsSolutions-IAM5[Resource::${assetBucketObjects(Stack.of(scope))}]`, reason },
    { id: `AwsSolutions-IAM5[Resource::${nagArn(scope.bucket)}/*]`, reason },
    { id: 'AwsSolutions-IAM5[Resource::*]', reason },
    { id: 'AwsSolutions-L1', reason: "The runtime of CDK's own deployment handler is chosen by the CDK release." },
  );
}

/** The CDK asset bucket's objects as cdk-nag prints them: partition, account and region resolved when the stack's environment is known. */
function assetBucketObjects(stack: Stack): string {
  const known = !Token.isUnresolved(stack.region);
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return `arn:${known ? partitionOf(stack.region) : '<AWS::Partition>'}:s3:::cdk-hnb659fds-assets-${account}-${known ? stack.region : '<AWS::Region>'}/*`;
}
