import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { ROLES } from '../../shared/domain/access.js';
import { createTestApp } from '../helpers/cdk-app.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
type Construct = { node: { defaultChild?: unknown } };

const logicalId = (construct: Construct): string => Stack.of(construct as never).getLogicalId(construct.node.defaultChild as CfnElement);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('Api and Portal', () => {
  let stack: BackOfficeStack;
  let template: Template;

  beforeAll(() => {
    ({ stack } = createTestApp());
    template = Template.fromStack(stack);
  });

  describe('who may sign in', () => {
    it('admits only users an admin created, with a strong password and a second factor', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireSymbols: true }) },
        Schema: Match.arrayWith([Match.objectLike({ Name: 'dealer_code', AttributeDataType: 'String' })]),
      });
    });

    it("has one group per role, and a portal client that can read the dealer code but not write it", () => {
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName).sort();
      expect(groups).toEqual([...ROLES].sort());
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        ReadAttributes: Match.arrayWith(['custom:dealer_code']),
        WriteAttributes: ['email'],
      });
    });
  });

  describe('the HTTP API', () => {
    it('puts the Cognito JWT authorizer in front of its one route to the API function', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Audience: [{ Ref: logicalId(stack.api.signIn.cognito!.portalClient) }], Issuer: Match.anyValue() },
      });
      const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
      expect(routes.map((r) => r.RouteKey).sort()).toEqual(['GET /api/{proxy+}', 'POST /api/{proxy+}']);
      for (const route of routes) expect(route).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: expect.anything() });
    });

    it('answers no cross-origin call: the portal reaches it on its own origin', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    });

    it('logs every request and throttles a runaway client', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('grants the API function its table, and only the bucket prefixes its routes use', () => {
      const roleId = logicalId(stack.api.apiFunction.role as unknown as Construct);
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const byResource = (construct: Construct) =>
        statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(construct))).map((s) => ({ actions: asList(s.Action).sort(), resource: JSON.stringify(s.Resource) }));

      // Reads every form; writes the sale form of an approved charged request line.
      expect(byResource(stack.storage.invoices)).toEqual([
        { actions: ['s3:GetObject'], resource: expect.stringContaining('/invoices/*') },
        { actions: ['s3:PutObject'], resource: expect.stringContaining('/invoices/*') },
      ]);
      // Objects: sign forms and read them back; the bucket: only whether an upload has arrived (a 404 rather than a 403).
      expect(byResource(stack.storage.uploads)).toEqual([
        { actions: ['s3:GetObject', 's3:PutObject'], resource: expect.stringContaining('/*') },
        { actions: ['s3:ListBucket'], resource: expect.not.stringContaining('/*') },
      ]);
      const reports = byResource(stack.storage.reports);
      expect(reports.flatMap((r) => r.actions)).not.toContain('s3:DeleteObject');
      expect(reports.map((r) => r.resource).join()).not.toMatch(/Arn"\]\},"\/\*"/);
      expect(statements.flatMap((s) => asList(s.Action))).not.toContain('dynamodb:Scan');
    });
  });

  describe('the portal', () => {
    it('serves the pages from a private bucket through CloudFront, HTTPS only, with strict security headers', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
          Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue() })]),
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: Match.objectLike({
            ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            StrictTransportSecurity: Match.objectLike({ IncludeSubdomains: true }),
          }),
        }),
      });
      const csp = JSON.stringify(Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]);
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self';", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
      expect(csp).not.toContain('unsafe-inline');
    });

    it("caches the pages' hashed scripts and styles for a year, compressed, and the page itself not at all", () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({ Compress: true }),
          CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: 'assets/*', Compress: true, ViewerProtocolPolicy: 'redirect-to-https' })]),
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          CustomHeadersConfig: { Items: [{ Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true }] },
          SecurityHeadersConfig: Match.objectLike({ FrameOptions: { FrameOption: 'DENY', Override: true } }),
        }),
      });
    });

    it('lets the page connect to the uploads bucket alone, by the name the bucket is given, and to Cognito', () => {
      // Prepare
      const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0] as {
        Properties: { ResponseHeadersPolicyConfig: { SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } } } };
      };
      const uploads = template.toJSON().Resources[logicalId(stack.storage.uploads)] as { Properties: { BucketName: unknown } };
      const resolved = (value: unknown): string => {
        const refs: Record<string, string> = { 'AWS::AccountId': '123456789012', 'AWS::Region': 'cn-north-1', 'AWS::URLSuffix': 'amazonaws.com.cn' };
        const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
        return parts.map((part) => (typeof part === 'string' ? part : refs[(part as { Ref: string }).Ref])).join('');
      };

      // Act
      const connectSrc = resolved(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy)
        .split('; ')
        .find((directive) => directive.startsWith('connect-src'));
      const bucket = resolved(uploads.Properties.BucketName);

      // Assess
      expect(bucket).toBe('backoffice-uploads-123456789012-cn-north-1');
      expect(connectSrc).toBe(`connect-src 'self' https://${bucket}.s3.cn-north-1.amazonaws.com.cn https://*.amazoncognito.com`);
    });

    it('routes /api/* to the HTTP API uncached, forwarding the token', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          CacheBehaviors: Match.arrayWith([Match.objectLike({ PathPattern: '/api/*', ViewerProtocolPolicy: 'https-only', AllowedMethods: Match.arrayWith(['POST']) })]),
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          DefaultTTL: 0,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({ HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] } }),
        }),
      });
    });

    it('lets browsers post uploads to the uploads bucket from the portal origin only', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        CorsConfiguration: {
          CorsRules: [
            Match.objectLike({
              AllowedMethods: ['POST'],
              AllowedOrigins: [{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.portal.distribution), 'DomainName'] }]] }],
            }),
          ],
        },
      });
    });

    it('publishes the run-time configuration for Cognito sign-in next to the pages', () => {
      const deployment = JSON.stringify(template.findResources('Custom::CDKBucketDeployment'));
      expect(deployment).toContain('config.json');
      expect(deployment).toContain(logicalId(stack.api.signIn.cognito!.portalClient));
    });
  });
});
