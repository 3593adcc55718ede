import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { createTestApp, synthesizedStack, PROD_CONTEXT } from '../helpers/cdk-app.js';

type Resource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };
type Tag = { Key: string; Value: string };

/** CDK's own deploy-time handlers (bucket deployment, notifications, auto-delete) are configured by CDK, not by the stage. */
const ours = ([id]: [string, Resource]) => !id.startsWith('Custom') && !id.startsWith('BucketNotificationsHandler');

describe('stages', () => {
  let dev: BackOfficeStack;
  let prod: BackOfficeStack;
  let devTemplate: Template;
  let prodTemplate: Template;

  beforeAll(() => {
    ({ stack: dev, template: devTemplate } = synthesizedStack());
    ({ stack: prod, template: prodTemplate } = synthesizedStack({ context: PROD_CONTEXT }));
  });

  it('deploys dev under the stack id the single stack had, and prod under its own', () => {
    expect(dev.stackName).toBe('BackOffice');
    expect(prod.stackName).toBe('BackOffice-prod');
    expect(() => createTestApp({ context: { stage: 'staging' } })).toThrow(/Unknown stage "staging"/);
  });

  it('tags every taggable resource with the project and the stage', () => {
    for (const [stage, template] of [['dev', devTemplate], ['prod', prodTemplate]] as const) {
      const resources = Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(ours);
      const tagged = resources.filter(([, r]) => Array.isArray(r.Properties?.Tags));
      // Tables, buckets, functions, roles, queues, log groups, the user pool's neighbours, the distribution…
      expect(tagged.length).toBeGreaterThan(30);
      for (const [id, resource] of tagged) {
        expect(resource.Properties!.Tags as Tag[], id).toEqual(
          expect.arrayContaining([{ Key: 'project', Value: 'aftersales-backoffice' }, { Key: 'stage', Value: stage }]),
        );
      }
      for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::S3::Bucket', 'AWS::Lambda::Function', 'AWS::SQS::Queue', 'AWS::Logs::LogGroup']) {
        const untagged = resources.filter(([, r]) => r.Type === type && !Array.isArray(r.Properties?.Tags) && !JSON.stringify(r).includes('"Tags"'));
        expect(untagged.map(([id]) => id), type).toEqual([]);
      }
    }
  });

  it('keeps prod logs longer and past the stack, and lets a dev stack take its logs with it', () => {
    const logGroups = (template: Template) => (Object.entries(template.findResources('AWS::Logs::LogGroup')) as [string, Resource][]).filter(ours).map(([, g]) => g);

    const devDays = logGroups(devTemplate).map((g) => g.Properties!.RetentionInDays as number);
    const prodDays = logGroups(prodTemplate).map((g) => g.Properties!.RetentionInDays as number);
    expect(Math.min(...prodDays)).toBeGreaterThanOrEqual(365);
    expect(Math.min(...devDays)).toBeLessThan(365);
    expect(logGroups(prodTemplate).every((g) => g.DeletionPolicy === 'Retain')).toBe(true);
    expect(logGroups(devTemplate).every((g) => g.DeletionPolicy === 'Delete')).toBe(true);
  });

  it('retains the business records in every stage', () => {
    for (const template of [devTemplate, prodTemplate]) {
      template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
      const { Resources } = template.toJSON() as { Resources: Record<string, Resource> };
      for (const id of Object.keys(Resources).filter((key) => /^Storage(Uploads|Reports|Invoices)[0-9A-F]{8}$/.test(key))) {
        expect(Resources[id]!.DeletionPolicy, id).toBe('Retain');
      }
    }
  });

  it('gives each stage its own Cognito domain prefix, so two stacks can share an account', () => {
    devTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['', ['aftersales-dev-', { Ref: 'AWS::AccountId' }]] } });
    prodTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: { 'Fn::Join': ['', ['aftersales-prod-', { Ref: 'AWS::AccountId' }]] } });
  });

  it('takes a setting given for a stage in that stage only', () => {
    const context = { 'backoffice:prod:alarmEmail': 'ops@example.com', 'backoffice:alarmEmail': 'dev@example.com' };

    const prodEmail = Template.fromStack(createTestApp({ context: { ...PROD_CONTEXT, ...context } }).stack);
    const devEmail = Template.fromStack(createTestApp({ context }).stack);

    prodEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    devEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'dev@example.com' });
  });

  it('outputs every table, bucket, queue, dead-letter queue and the dashboard', () => {
    const ref = (construct: { node: { defaultChild?: unknown } }) => ({ Ref: prod.getLogicalId(construct.node.defaultChild as never) });
    const { storage, intake, reconciliation, portal, monitoring } = prod;
    const outputs = prodTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    const values = Object.values(outputs).map((o) => JSON.stringify(o.Value));

    const expected = [storage.table, storage.uploads, storage.reports, storage.invoices, storage.accessLogs, portal.bucket, monitoring.dashboard];
    const queues = [intake.queue, intake.deadLetterQueue, reconciliation.dealerQueue, reconciliation.dealerDeadLetterQueue, reconciliation.deadLetterQueue];
    for (const construct of [...expected, ...queues]) expect(values, construct.node.path).toContain(JSON.stringify(ref(construct)));
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['PortalUrl', 'UserPoolId', 'TableName', 'DashboardName']));
    prodTemplate.hasOutput('DashboardName', { Value: Match.anyValue() });
  });
});
