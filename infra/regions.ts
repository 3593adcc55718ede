/**
 * What each region the back office is deployed to offers, as the stack and its matrix test
 * (test/infra/regions.test.ts) read it: the CloudFormation resource types the stack may use
 * there, and the features that decide its shape. Kept by hand from the documentation pages
 * named in `sources`; the matrix test fails when a synthesized template uses a type a region's
 * row does not list, so a new resource type means reading the page and adding it here first.
 *
 * CDK's own region rules (`@aws-cdk/core:validateAgainstDefaultRules`, finding F3006: a
 * resource type the region does not offer) check the same at every synthesis, from the
 * CloudFormation registry's data; this table is the part a human reads, with its sources.
 *
 * Checked by synthesis only (no AWS account where this is built): before a first deploy in a
 * region, read the pages again; they change.
 */

/** `cdk synth -c region=cn-north-1`: the region the stack is synthesized for; CDK_DEFAULT_REGION without it. */
export const REGION_CONTEXT = 'region';

export type Partition = 'aws' | 'aws-cn';

export interface RegionOffer {
  readonly partition: Partition;
  /** Amazon Cognito user pools: the portal's default issuer where they exist. */
  readonly cognitoUserPools: boolean;
  /** Amazon SES (sending API, configuration sets, identities). */
  readonly ses: boolean;
  /** A WAF WebACL of scope CLOUDFRONT (made in us-east-1 in the global partition). */
  readonly cloudFrontWaf: boolean;
  /**
   * A WAF WebACL of scope REGIONAL, which can guard an API Gateway REST API stage (never an
   * HTTP API): where CloudFront has no WAF, the API is a REST API behind one (constructs/api.ts).
   */
  readonly regionalWaf: boolean;
  /** CloudFront origin access control (else the older origin access identity reaches the private bucket). */
  readonly cloudFrontOriginAccessControl: boolean;
  /** CloudFront serves only an ICP-registered alternate domain name with an IAM server certificate (no *.cloudfront.net, no ACM). */
  readonly cloudFrontNeedsIcpDomain: boolean;
  /** CloudFormation resource types the stack may use in the region. */
  readonly resourceTypes: readonly string[];
  /** Documentation pages this row was taken from: title and address. */
  readonly sources: readonly { readonly title: string; readonly url: string }[];
}

/** The types both partitions offer and the stack uses. */
const COMMON_TYPES = [
  // The REST API is made only where CloudFront has no WAF (China); both partitions offer it.
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Backup::BackupPlan',
  'AWS::Backup::BackupSelection',
  'AWS::Backup::BackupVault',
  'AWS::Budgets::Budget',
  'AWS::CloudFront::CachePolicy',
  'AWS::CloudFront::Distribution',
  'AWS::CloudFront::OriginAccessControl',
  'AWS::CloudFront::ResponseHeadersPolicy',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::CloudWatch::Dashboard',
  'AWS::CodeDeploy::Application',
  'AWS::CodeDeploy::DeploymentConfig',
  'AWS::CodeDeploy::DeploymentGroup',
  'AWS::DynamoDB::GlobalTable',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::Alias',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::LayerVersion',
  'AWS::Lambda::Permission',
  'AWS::Lambda::Version',
  'AWS::Logs::LogGroup',
  'AWS::Logs::MetricFilter',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::Scheduler::Schedule',
  'AWS::Scheduler::ScheduleGroup',
  'AWS::SecretsManager::Secret',
  'AWS::SNS::Subscription',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'Custom::CDKBucketDeployment',
  'Custom::S3AutoDeleteObjects',
  'Custom::S3BucketNotifications',
];

const GLOBAL: RegionOffer = {
  partition: 'aws',
  cognitoUserPools: true,
  ses: true,
  cloudFrontWaf: true,
  regionalWaf: true,
  cloudFrontOriginAccessControl: true,
  cloudFrontNeedsIcpDomain: false,
  resourceTypes: [
    ...COMMON_TYPES,
    'AWS::Cognito::UserPool',
    'AWS::Cognito::UserPoolClient',
    'AWS::Cognito::UserPoolDomain',
    'AWS::Cognito::UserPoolGroup',
    'AWS::SES::ConfigurationSet',
    'AWS::SES::ConfigurationSetEventDestination',
  ],
  sources: [
    { title: 'AWS Regional Services List', url: 'https://aws.amazon.com/about-aws/global-infrastructure/regional-product-services/' },
    { title: 'Amazon Cognito endpoints and quotas', url: 'https://docs.aws.amazon.com/general/latest/gr/cognito_identity.html' },
    { title: 'Amazon SES endpoints and quotas', url: 'https://docs.aws.amazon.com/general/latest/gr/ses.html' },
    { title: 'AWS WAF: resources that you can protect (REST APIs, not HTTP APIs)', url: 'https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html' },
  ],
};

const CHINA_SOURCES = [
  { title: 'Amazon Web Services in China: Services and Regions (Amazon Web Services China Region Product/Service List)', url: 'https://www.amazonaws.cn/en/about-aws/regional-product-services/' },
  { title: 'Getting Started with Amazon Web Services in China: Amazon Cognito ("Amazon Cognito User Pools are not currently available")', url: 'https://docs.amazonaws.cn/en_us/aws/latest/userguide/cognito.html' },
  { title: 'Getting Started with Amazon Web Services in China: Amazon CloudFront (ICP-registered domain, IAM server certificates)', url: 'https://docs.amazonaws.cn/en_us/aws/latest/userguide/cloudfront.html' },
  { title: 'Getting Started with Amazon Web Services in China: AWS WAF (regional web ACLs only: API Gateway REST API stages, Application Load Balancers)', url: 'https://docs.amazonaws.cn/en_us/aws/latest/userguide/waf.html' },
  { title: 'Getting Started with Amazon Web Services in China: Amazon SQS (console redrive not supported)', url: 'https://docs.amazonaws.cn/en_us/aws/latest/userguide/sqs.html' },
  { title: 'Getting Started with Amazon Web Services in China: AWS Backup', url: 'https://docs.amazonaws.cn/en_us/aws/latest/userguide/backup.html' },
  {
    title:
      'Getting Started with Amazon Web Services in China: Amazon API Gateway (custom domain names need an ICP recordal; an API without an authorizer or with a Lambda authorizer is served only when the account holds an ICP licence, per region; no Cognito authorizers)',
    url: 'https://docs.amazonaws.cn/en_us/aws/latest/userguide/api-gateway.html',
  },
];

const CHINA: RegionOffer = {
  partition: 'aws-cn',
  cognitoUserPools: false,
  ses: false,
  cloudFrontWaf: false,
  regionalWaf: true,
  cloudFrontOriginAccessControl: false,
  cloudFrontNeedsIcpDomain: true,
  // No Cognito user pool, no SES, no origin access control; the WAF only as a regional WebACL (on the REST API's stage).
  resourceTypes: [...COMMON_TYPES.filter((type) => type !== 'AWS::CloudFront::OriginAccessControl'), 'AWS::CloudFront::CloudFrontOriginAccessIdentity'],
  sources: CHINA_SOURCES,
};

/** The regions the matrix covers by name; any other region of a partition is read as that partition's row. */
export const REGION_OFFERS: Readonly<Record<string, RegionOffer>> = {
  'us-east-1': GLOBAL,
  'eu-central-1': GLOBAL,
  'ap-southeast-1': GLOBAL,
  'cn-north-1': CHINA,
  'cn-northwest-1': CHINA,
};

/** The partition of a region's name: `cn-…` is aws-cn. */
export const partitionOf = (region: string): Partition => (region.startsWith('cn-') ? 'aws-cn' : 'aws');

/**
 * What a region offers. An unknown region (a region-agnostic synthesis) is read as the global
 * partition, today's stack; a China region not in the table as the China row.
 */
export function regionOffer(region: string | undefined): RegionOffer {
  if (region === undefined) return GLOBAL;
  return REGION_OFFERS[region] ?? (partitionOf(region) === 'aws-cn' ? CHINA : GLOBAL);
}
