import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { TABLE_INDEXES, TABLE_KEYS } from '../../shared/store/table.js';
import { createTestApp, synthesizedStack, liveAliasRef } from '../helpers/cdk-app.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

const logicalId = (construct: { node: { defaultChild?: unknown } }): string =>
  Stack.of(construct as never).getLogicalId(construct.node.defaultChild as CfnElement);
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('BackOfficeStack', () => {
  let stack: BackOfficeStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizedStack());
  });

  describe('storage', () => {
    it('builds the table from the shared definitions, on demand, with PITR, TTL and deletion protection', () => {
      const keySchema = (hash: string, range: string) => [
        { AttributeName: hash, KeyType: 'HASH' },
        { AttributeName: range, KeyType: 'RANGE' },
      ];
      const keyNames = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...TABLE_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])];

      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: keySchema(TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey),
          AttributeDefinitions: Match.arrayEquals(keyNames.map((AttributeName) => ({ AttributeName, AttributeType: 'S' }))),
          GlobalSecondaryIndexes: TABLE_INDEXES.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' },
          })),
          TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
          Replicas: [
            Match.objectLike({
              DeletionProtectionEnabled: true,
              PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            }),
          ],
        },
      });
    });

    it('keeps every bucket private, encrypted and reachable only over TLS, and retains those with records', () => {
      const buckets = template.findResources('AWS::S3::Bucket');
      // Uploads, reports, invoices, access logs, the portal's pages and CloudFront's logs.
      expect(Object.keys(buckets)).toHaveLength(6);

      for (const [id, bucket] of Object.entries(buckets)) {
        // The portal's pages are rebuilt from the repository on every deploy; the rest are records.
        expect(bucket, id).toMatchObject({
          DeletionPolicy: id.startsWith('PortalPages') ? 'Delete' : 'Retain',
          Properties: {
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: true,
              BlockPublicPolicy: true,
              IgnorePublicAcls: true,
              RestrictPublicBuckets: true,
            },
            BucketEncryption: {
              ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
            },
          },
        });
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: id },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Action: 's3:*',
                Principal: { AWS: '*' },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
    });

    it('versions uploads and invoices, logs access to the data buckets, and expires old data', () => {
      const { uploads, reports, invoices, accessLogs } = stack.storage;
      const properties = (bucket: typeof uploads) =>
        (template.toJSON().Resources as Record<string, Resource>)[logicalId(bucket)]!.Properties;

      for (const bucket of [uploads, invoices]) {
        expect(properties(bucket)).toMatchObject({ VersioningConfiguration: { Status: 'Enabled' } });
      }
      for (const bucket of [uploads, reports, invoices]) {
        expect(properties(bucket)).toMatchObject({
          LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(accessLogs) } },
        });
      }
      expect(properties(uploads)).toMatchObject({
        LifecycleConfiguration: { Rules: [expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 90 } })] },
      });
      expect(properties(reports)).toMatchObject({
        LifecycleConfiguration: {
          Rules: expect.arrayContaining([expect.objectContaining({ Prefix: 'error-reports/', ExpirationInDays: 180 })]),
        },
      });
      const invoiceRules = (properties(invoices).LifecycleConfiguration as { Rules: object[] }).Rules;
      expect(invoiceRules.flatMap(Object.keys).filter((key) => key.includes('Expiration'))).toEqual([]);
    });
  });

  describe('intake', () => {
    it('announces .xlsx report uploads on an encrypted queue with a dead-letter queue', () => {
      const { queue, deadLetterQueue } = stack.intake;
      const reportUploads = (type: string) => ({
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.xlsx' }, { Name: 'prefix', Value: `${type}/` }] } },
        QueueArn: { 'Fn::GetAtt': [logicalId(queue), 'Arn'] },
      });

      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: logicalId(stack.storage.uploads) },
        NotificationConfiguration: {
          QueueConfigurations: [
            reportUploads('installation'),
            reportUploads('repair'),
            // Master-data workbooks of the portal form go to their own queue (test/infra/master-data.test.ts).
            { Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.xlsx' }, { Name: 'prefix', Value: 'master/portal/' }] } }, QueueArn: { 'Fn::GetAtt': [logicalId(stack.masterData.queue), 'Arn'] } },
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.xlsx' }, { Name: 'prefix', Value: 'ledger/' }] } },
              QueueArn: { 'Fn::GetAtt': [logicalId(stack.ledgerIntake.queue), 'Arn'] },
            },
          ],
        },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(deadLetterQueue), 'Arn'] }, maxReceiveCount: 5 },
      });
      for (const q of [queue, deadLetterQueue]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(q) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('runs the ingest on Node.js 24 arm64 with room for exceljs, fed by SQS with per-message failures', () => {
      const functionId = logicalId(stack.intake.ingestFunction);
      const fn = (template.toJSON().Resources as Record<string, Resource>)[functionId]!.Properties;
      const queue = (template.toJSON().Resources as Record<string, Resource>)[logicalId(stack.intake.queue)]!.Properties;

      expect(fn).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 1024,
        Timeout: 300,
        TracingConfig: { Mode: 'Active' },
      });
      // The reader never spills to /tmp: Lambda's default 512 MB, nothing reserved.
      expect(fn.EphemeralStorage).toBeUndefined();
      expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(6 * (fn.Timeout as number));
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: liveAliasRef(stack.intake.ingestFunction),
        EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.intake.queue), 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('gives the ingest the resource names and settings shared/config.ts reads', () => {
      const { table, uploads, reports, invoices } = stack.storage;

      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            TABLE_NAME: { Ref: logicalId(table) },
            UPLOADS_BUCKET: { Ref: logicalId(uploads) },
            REPORTS_BUCKET: { Ref: logicalId(reports) },
            INVOICES_BUCKET: { Ref: logicalId(invoices) },
            BUSINESS_TIME_ZONE: 'Asia/Shanghai',
            RETURN_WINDOW_DAYS: '60',
            RECONCILIATION_DAY: '5',
            MAX_UPLOAD_BYTES: String(20 * 1024 * 1024),
            MAX_UPLOAD_ROWS: '200000',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });

    it('grants the ingest role only what the ingest uses', () => {
      const roleId = logicalId(stack.intake.ingestFunction.role!);
      const role = template.findResources('AWS::IAM::Role')[roleId] as Resource;
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
      const actions = statements.flatMap((s) => asList(s.Action));
      const grantsOn = (bucket: { node: { defaultChild?: unknown } }) =>
        statements.filter((s) => JSON.stringify(s.Resource).includes(logicalId(bucket)));

      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
      expect(actions.filter((action) => action.endsWith('*'))).toEqual([]);
      expect(grantsOn(stack.storage.invoices)).toEqual([]);
      // Report uploads only, by type; ledger files are the API's.
      const uploadObjects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.storage.uploads), 'Arn'] }, `/${prefix}*`]] });
      expect(grantsOn(stack.storage.uploads)).toEqual([
        expect.objectContaining({ Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: [uploadObjects('installation/'), uploadObjects('repair/')] }),
      ]);
      expect(grantsOn(stack.storage.reports)).toEqual([
        expect.objectContaining({
          Action: 's3:PutObject',
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack.storage.reports), 'Arn'] }, '/error-reports/*']] },
        }),
      ]);
      const tableGrants = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      // Reads and writes apart, each narrowed to its partitions (test/infra/least-privilege.test.ts); the table only, no index.
      expect(tableGrants).toEqual([
        expect.objectContaining({ Sid: 'ReadTable', Resource: { 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] } }),
        expect.objectContaining({ Sid: 'WriteTable', Resource: { 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] } }),
        // Issue 13: the ingest tells the dealer how its upload was checked, keeping the message in its INBOX# partition.
        expect.objectContaining({ Sid: 'KeepMessages', Resource: { 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] } }),
      ]);
    });
  });

  describe('monitoring', () => {
    it('alarms on dead letters, ingest errors and throttles, to an encrypted topic', () => {
      const topicId = logicalId(stack.monitoring.alarmTopic);
      const alarm = (metric: string, dimension: object) =>
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metric,
          Dimensions: [dimension],
          AlarmActions: [{ Ref: topicId }],
        });

      alarm('ApproximateNumberOfMessagesVisible', {
        Name: 'QueueName',
        Value: { 'Fn::GetAtt': [logicalId(stack.intake.deadLetterQueue), 'QueueName'] },
      });
      alarm('Errors', { Name: 'FunctionName', Value: { Ref: logicalId(stack.intake.ingestFunction) } });
      alarm('Throttles', { Name: 'FunctionName', Value: { Ref: logicalId(stack.intake.ingestFunction) } });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });

  describe('settings', () => {
    it('takes settings from CDK context', () => {
      const { stack: custom } = createTestApp({ context: { 'backoffice:returnWindowDays': '90' } });

      Template.fromStack(custom).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ RETURN_WINDOW_DAYS: '90' }) },
      });
    });

    it('rejects a setting the functions would reject, at synth time', () => {
      expect(() => createTestApp({ context: { 'backoffice:businessTimeZone': 'Mars/Olympus' } })).toThrow(
        /BUSINESS_TIME_ZONE/,
      );
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  // That the stack has no finding left unacknowledged, in either stage, is regions.test.ts's
  // "passes cdk-nag in both stages" (and synth.test.ts's through the CLI).
  it('fails synthesis on a finding nobody acknowledged', () => {
    const { app, stack } = createTestApp({ nag: true });
    new Queue(stack, 'Unreviewed', { enforceSSL: true });

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
