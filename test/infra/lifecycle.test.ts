import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { uploadKey } from '../../shared/app/upload-keys.js';
import { REPORT_TYPES } from '../../shared/domain/fields.js';
import { logicalId, asList, PROD_CONTEXT, type ConstructWithResource, synthesizedStack, type TemplateResource } from '../helpers/cdk-app.js';

type Construct = ConstructWithResource;
type Resource = TemplateResource;
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

describe('S3 and lifecycle', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ stack, template, resources } = synthesizedStack());
  });

  it('announces report uploads only to the ingest, each type by its prefix, so ledger files never invoke the ingest', () => {
    // Prepare
    const notifications = Object.values(template.findResources('Custom::S3BucketNotifications'))[0] as Resource;
    type QueueConfiguration = { QueueArn: unknown; Filter: { Key: { FilterRules: { Name: string; Value: string }[] } } };
    const configs = (notifications.Properties.NotificationConfiguration as { QueueConfigurations: QueueConfiguration[] }).QueueConfigurations;
    const prefixesFor = (queue: Construct) =>
      configs.filter((c) => JSON.stringify(c.QueueArn) === JSON.stringify({ 'Fn::GetAtt': [logicalId(queue), 'Arn'] })).map((c) => c.Filter.Key.FilterRules.find((r) => r.Name === 'prefix')?.Value);
    const prefixes = prefixesFor(stack.intake.queue);

    // Act: the keys the application makes for each report type.
    const keys = REPORT_TYPES.map((type) => uploadKey({ type, dealer: 'D001', period: '2026-10' }, 'u1'));

    // Assess
    expect(prefixes).toEqual(REPORT_TYPES.map((type) => `${type}/`));
    for (const key of keys) expect(prefixes.some((prefix) => key.startsWith(prefix!)), key).toBe(true);
    expect(prefixes.some((prefix) => 'ledger/shipments/u1.xlsx'.startsWith(prefix!))).toBe(false);
    expect(prefixesFor(stack.ledgerIntake.queue)).toEqual(['ledger/']);
  });

  it('locks every invoice version in governance mode, and gives no role a way around it', () => {
    const invoices = resources[logicalId(stack.storage.invoices)]!.Properties;
    // Every grant that reaches the invoices bucket (or any resource at all).
    const everyAction = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack.storage.invoices)) || s.Resource === '*')
      .flatMap((s) => asList(s.Action));

    expect(invoices).toMatchObject({
      VersioningConfiguration: { Status: 'Enabled' },
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 3650 } } },
    });
    for (const action of ['s3:BypassGovernanceRetention', 's3:PutObjectRetention', 's3:PutObjectLegalHold', 's3:DeleteObjectVersion', 's3:PutBucketObjectLockConfiguration']) {
      expect(everyAction).not.toContain(action);
    }
  });

  it('sends Cognito mail through SES from the configured sender, and keeps Cognito’s own sender without one', () => {
    const { template: withSes } = synthesizedStack({ context: PROD_CONTEXT });

    withSes.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: 'DEVELOPER', From: 'After-sales back office <no-reply@example.com>', SourceArn: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', { EmailConfiguration: Match.absent() });
  });
});

describe('least privilege of the ingest on the uploads bucket', () => {
  it('reads only the report-upload prefixes, the event’s version included, never ledger files', () => {
    // Prepare
    const { stack, template } = synthesizedStack();
    const roleId = logicalId(stack.intake.ingestFunction.role as unknown as Construct);
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

    // Act
    const onUploads = statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(stack.storage.uploads)));
    const resources = onUploads.flatMap((s) => asList(s.Resource)).map((r) => JSON.stringify(r));

    // Assess
    expect(onUploads.flatMap((s) => asList(s.Action)).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion']);
    expect(resources).toEqual(REPORT_TYPES.map((type) => expect.stringContaining(`"/${type}/*"`)));
    expect(resources.join()).not.toContain('ledger');
    expect(resources.join()).not.toContain('"/*"');
  });
});
