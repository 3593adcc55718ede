import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { BODY_SIZE_RULE } from '../../infra/constructs/firewall.js';
import { createTestApp, logicalId, synthesizedStack, type TemplateResource } from '../helpers/cdk-app.js';

type Resource = TemplateResource;

describe('observability at the edge', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ stack, template, resources } = synthesizedStack());
  });

  it('writes the API access log as one JSON object per request, with route, status, latencies, integration error, caller and address', () => {
    // Prepare
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as Resource;
    const settings = stage.Properties.AccessLogSettings as { Format: string; DestinationArn: unknown };

    // Act
    const fields = JSON.parse(settings.Format) as Record<string, string>;

    // Assess
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      integrationLatency: '$context.integrationLatency',
      responseLatency: '$context.responseLatency',
      integrationErrorMessage: '$context.integrationErrorMessage',
      // HTTP APIs' JWT authorizers put the token's claims here (not $context.authorizer.principalId).
      sub: '$context.authorizer.claims.sub',
      ip: '$context.identity.sourceIp',
    });
    expect(JSON.stringify(settings.DestinationArn)).toContain('ApiAccessLogs');
  });

  it('logs every CloudFront request to a private, encrypted log bucket', () => {
    const logBucket = logicalId(stack.portal.logBucket);

    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: { Bucket: { 'Fn::GetAtt': [logBucket, 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      }),
    });
    expect(resources[logBucket]!.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
    });
  });

  it('no longer acknowledges cdk-nag’s CloudFront logging rule', () => {
    const metadata = JSON.stringify(template.toJSON());
    expect(metadata).not.toContain('AwsSolutions-CFR3');
  });

  it('traces every function of the back office in X-Ray', () => {
    const ours = Object.entries(resources).filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('Custom') && !id.startsWith('BucketNotificationsHandler'));

    expect(ours.length).toBe(10);
    for (const [id, fn] of ours) expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
  });
});

describe('the edge', () => {
  let stack: BackOfficeStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizedStack());
  });

  it('puts a CloudFront WebACL with a per-address rate limit and AWS managed rules in front of the distribution', () => {
    // Prepare
    const webAcl = Object.entries(template.findResources('AWS::WAFv2::WebACL'));

    // Assess
    expect(webAcl).toHaveLength(1);
    const [id, acl] = webAcl[0]!;
    expect(acl.Properties).toMatchObject({
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
    const rules = acl.Properties.Rules as { Name: string; Statement: object }[];
    expect(rules.map((r) => r.Name)).toEqual(['RateLimitPerIp', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet', BODY_SIZE_RULE]);
    expect(rules[0]).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } });
    for (const rule of rules.slice(1, -1)) {
      expect(rule).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: rule.Name } } });
    }
    // A CLOUDFRONT WebACL exists only in us-east-1: made when the stack is deployed there.
    expect(acl.Condition).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::If': [acl.Condition, { 'Fn::GetAtt': [id, 'Arn'] }, { Ref: 'AWS::NoValue' }] } }),
    });
  });

  it('blocks bodies over 8 KB everywhere but the material-request workbook route (base64 up to 256 KiB): the common rule set only labels them', () => {
    // Prepare
    const [, acl] = Object.entries(template.findResources('AWS::WAFv2::WebACL'))[0]!;
    const rules = acl.Properties.Rules as { Name: string; Priority: number; Action?: object; Statement: any }[];
    const common = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')!;
    const bodySize = rules.find((r) => r.Name === BODY_SIZE_RULE)!;

    // Act
    const [label, except] = bodySize.Statement.AndStatement.Statements;
    const exempt = new RegExp(except.NotStatement.Statement.RegexMatchStatement.RegexString);

    // Assess
    expect(common.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    expect(bodySize.Action).toEqual({ Block: {} });
    expect(bodySize.Priority).toBeGreaterThan(common.Priority);
    expect(label).toEqual({ LabelMatchStatement: { Scope: 'LABEL', Key: 'awswaf:managed:aws:core-rule-set:SizeRestrictions_Body' } });
    expect(except.NotStatement.Statement.RegexMatchStatement.FieldToMatch).toEqual({ UriPath: {} });
    expect(exempt.test('/api/dealers/D001/requests/workbook')).toBe(true);
    for (const path of ['/api/dealers/D001/requests', '/api/dealers/D001/requests/workbook/x', '/api/complaints', '/x/api/dealers/D001/requests/workbook']) expect(exempt.test(path), path).toBe(false);
  });

  it('makes the WebACL unconditionally in us-east-1, and takes an existing one elsewhere', () => {
    const inUsEast1 = Template.fromStack(createTestApp({ env: { account: '111111111111', region: 'us-east-1' } }).stack);
    const elsewhere = Template.fromStack(
      createTestApp({ env: { account: '111111111111', region: 'eu-central-1' }, context: { 'backoffice:webAclArn': 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/backoffice/abc' } }).stack,
    );

    const [[id, acl]] = Object.entries(inUsEast1.findResources('AWS::WAFv2::WebACL')) as [[string, { Condition?: string }]];
    expect(acl.Condition).toBeUndefined();
    inUsEast1.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [id, 'Arn'] } }) });
    elsewhere.resourceCountIs('AWS::WAFv2::WebACL', 0);
    elsewhere.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/backoffice/abc' }),
    });
  });

  it('sends a secret header with every API request CloudFront forwards, which only the API function also knows', () => {
    // Prepare
    const distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0] as Resource;
    const origins = (distribution.Properties.DistributionConfig as { Origins: { CustomOriginConfig?: object; OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[] }[] }).Origins;
    const apiOrigin = origins.find((o) => o.CustomOriginConfig !== undefined)!;
    const fn = (template.toJSON().Resources as Record<string, Resource>)[logicalId(stack.api.apiFunction)]!.Properties;

    // Act
    const header = apiOrigin.OriginCustomHeaders?.find((h) => h.HeaderName === 'x-origin-verify');
    const known = (fn.Environment as { Variables: Record<string, unknown> }).Variables.ORIGIN_VERIFY_SECRET;

    // Assess: the same value, resolved from Secrets Manager at deploy, never written in the template.
    expect(header).toBeDefined();
    expect(known).toEqual(header!.HeaderValue);
    expect(JSON.stringify(known)).toContain('{{resolve:secretsmanager:');
    template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 48 }) });
  });

  it('admits S3 notifications to the intake queue from this account’s uploads bucket only', () => {
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: logicalId(stack.intake.queue) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 's3.amazonaws.com' },
            Condition: {
              ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(stack.storage.uploads), 'Arn'] } },
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            },
          }),
        ]),
      },
    });
  });

  it('lets CloudWatch use the alarm topic’s key for this account’s alarms only', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });
});
