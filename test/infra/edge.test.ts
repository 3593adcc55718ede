import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { createTestApp } from '../helpers/cdk-app.js';

type Construct = { node: { defaultChild?: unknown } };
type Resource = { Type: string; Properties: Record<string, unknown> };

const logicalId = (construct: Construct): string => Stack.of(construct as never).getLogicalId(construct.node.defaultChild as CfnElement);

describe('observability at the edge', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ stack } = createTestApp());
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources as Record<string, Resource>;
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

    expect(ours.length).toBe(5);
    for (const [id, fn] of ours) expect(fn.Properties.TracingConfig, id).toEqual({ Mode: 'Active' });
  });
});
