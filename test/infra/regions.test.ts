import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BODY_SIZE_RULE, MANAGED_RULE_GROUPS } from '../../infra/constructs/firewall.js';
import { REGION_OFFERS, regionOffer } from '../../infra/regions.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { createTestApp, liveAliasRef, logicalId, nagFindings, PROD_CONTEXT } from '../helpers/cdk-app.js';

type Resource = { Type: string; Properties?: Record<string, unknown> };

const ACCOUNT = '123456789012';

/** What a China deployment must name: the customer's issuer, SMTP relay and ICP-registered domain. */
const chinaContext = (region: string) => ({
  'backoffice:oidcIssuer': 'https://sso.maker.example.cn/realms/aftersales',
  'backoffice:oidcAudience': 'backoffice-portal',
  'backoffice:roleClaim': 'roles',
  'backoffice:dealerCodeClaim': 'dealer_code',
  'backoffice:smtpSecretArn': `arn:aws-cn:secretsmanager:${region}:${ACCOUNT}:secret:backoffice-smtp-AbCdEf`,
  'backoffice:mailFrom': 'no-reply@maker.example.cn',
  'backoffice:domainName': 'portal.maker.example.cn',
  'backoffice:iamCertificateId': 'ASCACKCEVSQ6C2EXAMPLE',
});

/** The matrix: a global region and both China regions, each as `cdk synth -c region=… -c stage=…` builds it. */
const MATRIX = [
  { region: 'us-east-1', context: { stage: 'dev' } },
  { region: 'cn-north-1', context: { stage: 'dev', ...chinaContext('cn-north-1') } },
  { region: 'cn-northwest-1', context: { stage: 'prod', 'backoffice:prod:alarmEmail': 'ops@maker.example.cn', ...chinaContext('cn-northwest-1') } },
] as const;

interface Synthesized {
  readonly stack: BackOfficeStack;
  readonly template: Template;
  readonly resources: Record<string, Resource>;
  readonly findings: string[];
}

/** One synthesis per region, with cdk-nag and CloudFormation's rules. */
function synthesize(region: string, context: Record<string, unknown>): Synthesized {
  const { stack, template, findings } = nagFindings({ env: { account: ACCOUNT, region }, context });
  return { stack, template, resources: template.toJSON().Resources as Record<string, Resource>, findings };
}

describe('the region matrix', () => {
  const synthesized = new Map<string, Synthesized>();

  beforeAll(() => {
    for (const { region, context } of MATRIX) synthesized.set(region, synthesize(region, context));
  }, 240_000);

  const at = (region: string) => synthesized.get(region)!;

  it.each(MATRIX.map((m) => m.region))('synthesizes %s without a cdk-nag finding', (region) => {
    expect(at(region).findings).toEqual([]);
  });

  it('passes cdk-nag in both stages, region-agnostic as `cdk synth` builds them without a region', () => {
    expect(nagFindings().findings).toEqual([]);
    expect(nagFindings({ context: PROD_CONTEXT }).findings).toEqual([]);
  });

  it.each(MATRIX.map((m) => m.region))('uses in %s only resource types the region table lists for it', (region) => {
    const offered = new Set(regionOffer(region).resourceTypes);
    const used = new Set(Object.values(at(region).resources).map((r) => r.Type));
    expect([...used].filter((type) => !offered.has(type))).toEqual([]);
  });

  it.each(['cn-north-1', 'cn-northwest-1'])('has no Cognito user pool, no CloudFront-scoped WAF and no SES in %s, and lives in the aws-cn partition', (region) => {
    const { resources, template } = at(region);
    const types = Object.values(resources).map((r) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::Cognito::') || t.startsWith('AWS::SES::'))).toEqual([]);
    expect(Object.values(resources).filter((r) => r.Type === 'AWS::WAFv2::WebACL' && r.Properties?.Scope === 'CLOUDFRONT')).toEqual([]);
    // No grant of an SES action either: the functions mail through the SMTP relay.
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).not.toMatch(/"ses:/);
    expect(JSON.stringify(resources)).toContain(`arn:aws-cn:secretsmanager:${region}`);
    expect(JSON.stringify(resources)).not.toMatch(/arn:aws:/);
  });

  it.each(['cn-north-1', 'cn-northwest-1'])("trusts the customer's issuer in %s, with its claims, and serves the portal on the ICP-registered domain", (region) => {
    const { template } = at(region);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { ROLE_CLAIM: 'roles', DEALER_CODE_CLAIM: 'dealer_code', OIDC_ISSUER: 'https://sso.maker.example.cn/realms/aftersales', OIDC_AUDIENCE: 'backoffice-portal' } },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { Aliases: ['portal.maker.example.cn'], ViewerCertificate: { IamCertificateId: 'ASCACKCEVSQ6C2EXAMPLE', SslSupportMethod: 'sni-only' } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { SMTP_SECRET_ARN: `arn:aws-cn:secretsmanager:${region}:${ACCOUNT}:secret:backoffice-smtp-AbCdEf` } } });
  });

  it.each(['cn-north-1', 'cn-northwest-1'])(
    "puts the API in %s behind a regional WAF: a REST API whose stage a REGIONAL WebACL with the global rules guards, its routes reaching the API function's live alias",
    (region) => {
      const { stack, template, resources } = at(region);
      const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
      // No HTTP API (it cannot be associated with a WebACL): a REST API in its place.
      template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
      template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
      const acls = ofType('AWS::WAFv2::WebACL');
      expect(acls.map(([, r]) => r.Properties?.Scope)).toEqual(['REGIONAL']);
      const [aclId, acl] = acls[0]!;
      const rules = acl.Properties!.Rules as { Name: string; Statement: Record<string, any> }[];
      expect(rules.map((r) => r.Name)).toEqual(['RateLimitPerIp', ...MANAGED_RULE_GROUPS, BODY_SIZE_RULE]);
      // Behind CloudFront the viewer's address is the one CloudFront forwards.
      expect(rules[0]!.Statement.RateBasedStatement).toMatchObject({ AggregateKeyType: 'FORWARDED_IP', ForwardedIPConfig: { HeaderName: 'X-Forwarded-For' } });
      expect(rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet')!.Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
      // The workbook route's exception, with the stage's name in front as the stage's WAF sees the path.
      expect(JSON.stringify(rules.at(-1)!.Statement)).toContain('^/api/api/dealers/');

      const stages = ofType('AWS::ApiGateway::Stage');
      expect(stages).toHaveLength(1);
      const associations = ofType('AWS::WAFv2::WebACLAssociation').map(([, r]) => r.Properties!);
      expect(associations).toHaveLength(1);
      expect(associations[0]!.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      expect(JSON.stringify(associations[0]!.ResourceArn)).toContain(`"/stages/",{"Ref":"${stages[0]![0]}"}`);

      const methods = ofType('AWS::ApiGateway::Method').map(([, r]) => r.Properties!);
      expect(methods.map((m) => m.HttpMethod).sort()).toEqual(['GET', 'POST']);
      for (const method of methods) {
        expect((method.Integration as { Type: string }).Type).toBe('AWS_PROXY');
        expect(JSON.stringify((method.Integration as { Uri: unknown }).Uri)).toContain(JSON.stringify(liveAliasRef(stack.api.apiFunction)));
      }
      // The function checks the token itself, against the configured issuer and audience.
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ OIDC_ISSUER: 'https://sso.maker.example.cn/realms/aftersales', OIDC_AUDIENCE: 'backoffice-portal' }) },
      });
      // CloudFront still serves /api/* on the portal's domain, from the REST API's stage.
      const origins = (Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig as { Origins: { DomainName: unknown; OriginPath?: string }[] }).Origins;
      const apiOrigin = origins.find((o) => JSON.stringify(o.DomainName).includes(logicalId(stack.api.restApi!)))!;
      expect(apiOrigin.OriginPath).toBe('/api');
    },
  );

  it("keeps today's Cognito user pool as the global region's issuer, with the CloudFront WAF", () => {
    const { template } = at('us-east-1');
    template.resourceCountIs('AWS::Cognito::UserPool', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'CLOUDFRONT' });
    // The HTTP API and its JWT authorizer as before: no REST API, no regional WebACL, no token check in the function.
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    expect(Object.values(at('us-east-1').resources).filter((r) => r.Type.startsWith('AWS::ApiGateway::'))).toEqual([]);
    expect(JSON.stringify(template.findResources('AWS::Lambda::Function'))).not.toContain('OIDC_ISSUER');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Issuer: { 'Fn::Join': ['', ['https://cognito-idp.us-east-1.amazonaws.com/', { Ref: Match.stringLikeRegexp('^ApiUsers') }]] } } });
  });

  it('locks prod invoices in compliance mode and keeps prod monthly backups ten years, in a vault that becomes compliance-locked', () => {
    const { template } = at('cn-northwest-1');
    template.hasResourceProperties('AWS::S3::Bucket', { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 3650 } } } });
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 30, ChangeableForDays: 3 } });
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: Match.objectLike({ BackupPlanRule: Match.arrayWith([Match.objectLike({ RuleName: 'Monthly', Lifecycle: { DeleteAfterDays: 3650 } })]) }),
    });
  });

  it('names a source for every row of the table, lists no China row with Cognito or SES, and a REST API with a regional WAF where CloudFront has no WAF', () => {
    for (const [region, offer] of Object.entries(REGION_OFFERS)) {
      expect(offer.sources.length, region).toBeGreaterThan(0);
      for (const source of offer.sources) expect(source.url, region).toMatch(/^https:\/\//);
      if (offer.partition === 'aws-cn') expect(offer.resourceTypes.filter((t) => /Cognito|SES/.test(t)), region).toEqual([]);
      // Where CloudFront has no WAF, the API needs a regional WebACL on a REST API stage.
      if (!offer.cloudFrontWaf) {
        expect(offer.regionalWaf, region).toBe(true);
        expect(offer.resourceTypes, region).toEqual(expect.arrayContaining(['AWS::ApiGateway::RestApi', 'AWS::ApiGateway::Stage', 'AWS::WAFv2::WebACL', 'AWS::WAFv2::WebACLAssociation']));
      }
    }
  });
});

describe('what a region or a stage refuses at synthesis', () => {
  const china = { account: ACCOUNT, region: 'cn-north-1' };

  it('refuses a China region without an OpenID Connect issuer, with SES, or without its ICP domain', () => {
    const { 'backoffice:oidcIssuer': _issuer, ...withoutIssuer } = chinaContext('cn-north-1');
    expect(() => createTestApp({ env: china, context: withoutIssuer })).toThrow(/no Cognito user pools: name the OpenID Connect issuer/);
    expect(() => createTestApp({ env: china, context: { ...chinaContext('cn-north-1'), 'backoffice:smtpSecretArn': undefined, 'backoffice:sesFromEmail': 'a@maker.example.cn' } })).toThrow(/no Amazon SES/);
    const { 'backoffice:domainName': _domain, ...withoutDomain } = chinaContext('cn-north-1');
    expect(() => createTestApp({ env: china, context: withoutDomain })).toThrow(/ICP-registered domain/);
  });

  it('refuses prod without an alarm address or a mail sender, naming the context key of each', () => {
    expect(() => createTestApp({ context: { stage: 'prod' } })).toThrow(/backoffice:prod:alarmEmail=.*backoffice:prod:sesFromEmail=/s);
    expect(() => createTestApp({ context: { stage: 'prod', 'backoffice:prod:alarmEmail': 'ops@example.com' } })).toThrow(/needs a mail sender/);
    expect(() => createTestApp({ context: { stage: 'prod', 'backoffice:prod:sesFromEmail': 'a@example.com' } })).toThrow(/needs an alarm address/);
    expect(() => createTestApp({ context: { 'backoffice:oidcIssuer': 'https://sso.example.com' } })).toThrow(/needs backoffice:oidcAudience/);
  });
});
