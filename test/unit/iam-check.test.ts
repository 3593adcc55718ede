import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { dynamoRequests, IamCheck, refusalMessage, s3Requests } from '../../infra/local/iam/check.js';

/** The names of a local stack: the check puts them where the synthesized policies name the table and buckets. */
const config = loadConfig({ TABLE_NAME: 't-unit', UPLOADS_BUCKET: 'uploads-unit', REPORTS_BUCKET: 'reports-unit', INVOICES_BUCKET: 'invoices-unit' });
const S = (value: string) => ({ S: value });
const asFunction = (fn: ConstructorParameters<typeof IamCheck>[0]) => new IamCheck(fn, config);

describe('the local IAM check, from the synthesized policies', () => {
  it('reads the partition a call touches as dynamodb:LeadingKeys: the key, the item, a query key condition, every item of a batch', () => {
    // Prepare
    const arn = (table: string) => `arn:table/${table}`;

    // Act
    const get = dynamoRequests('GetItemCommand', { TableName: 't', Key: { pk: S('MASTER'), sk: S('DEALER#D1') } }, arn);
    const query = dynamoRequests(
      'QueryCommand',
      { TableName: 't', IndexName: 'gsi1', KeyConditionExpression: '#p = :p AND begins_with(gsi1sk, :s)', ExpressionAttributeNames: { '#p': 'gsi1pk' }, ExpressionAttributeValues: { ':p': S('PERIOD#2026-10'), ':s': S('X') } },
      arn,
    );
    const batch = dynamoRequests('BatchWriteItemCommand', { RequestItems: { t: [{ PutRequest: { Item: { pk: S('DEALER#D1') } } }, { DeleteRequest: { Key: { pk: S('DEALER#D2') } } }] } }, arn);
    const transaction = dynamoRequests(
      'TransactWriteItemsCommand',
      { TransactItems: [{ Put: { TableName: 't', Item: { pk: S('DEALER#D1') } } }, { ConditionCheck: { TableName: 't', Key: { pk: S('RUN#RECON') } } }] },
      arn,
    );

    // Assess
    expect(get).toEqual([{ action: 'dynamodb:GetItem', resource: 'arn:table/t', context: { 'dynamodb:LeadingKeys': ['MASTER'] } }]);
    expect(query).toEqual([{ action: 'dynamodb:Query', resource: 'arn:table/t/index/gsi1', context: { 'dynamodb:LeadingKeys': ['PERIOD#2026-10'] } }]);
    expect(batch).toEqual([{ action: 'dynamodb:BatchWriteItem', resource: 'arn:table/t', context: { 'dynamodb:LeadingKeys': ['DEALER#D1', 'DEALER#D2'] } }]);
    expect(transaction.map((r) => r.action)).toEqual(['dynamodb:PutItem', 'dynamodb:ConditionCheckItem']);
  });

  it('reads object ARNs, versions and the listing prefix from S3 calls', () => {
    expect(s3Requests('GetObjectCommand', { Bucket: 'b', Key: 'k/1.xlsx', VersionId: 'v1' })).toEqual([{ action: 's3:GetObjectVersion', resource: 'arn:aws:s3:::b/k/1.xlsx', context: {} }]);
    expect(s3Requests('ListObjectsV2Command', { Bucket: 'b', Prefix: 'statistics/2026-10' })).toEqual([{ action: 's3:ListBucket', resource: 'arn:aws:s3:::b', context: { 's3:prefix': 'statistics/2026-10' } }]);
  });

  it('allows what a role grants and refuses, as AWS words it, what it does not', async () => {
    // Prepare
    const api = asFunction('api');
    const ingest = asFunction('ingest');
    const dealerGet = dynamoRequests('GetItemCommand', { TableName: 't-unit', Key: { pk: S('DEALER#D1'), sk: S('CHARGES') } }, (t) => api.tableArn(t));
    const masterPut = dynamoRequests('PutItemCommand', { TableName: 't-unit', Item: { pk: S('MASTER'), sk: S('DEALER#D1') } }, (t) => ingest.tableArn(t));

    // Act
    const allowed = await api.refusal(dealerGet);
    const refused = await ingest.refusal(masterPut);

    // Assess
    expect(allowed).toBeUndefined();
    expect(refused?.request.action).toBe('dynamodb:PutItem');
    expect(refusalMessage(ingest, refused!)).toMatch(
      /^User: arn:aws:sts::123456789012:assumed-role\/IntakeIngestRole\w+\/ingest is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:local:123456789012:table\/t-unit because no identity-based policy allows the dynamodb:PutItem action \[local IAM check: function ingest, role IntakeIngestRole\w+, dynamodb:LeadingKeys=MASTER;/,
    );
  });

  it('refuses a list outside the prefixes a s3:prefix condition names', async () => {
    const api = asFunction('api');
    expect(await api.refusal(s3Requests('ListObjectsV2Command', { Bucket: 'reports-unit', Prefix: 'statistics/2026-10/' }))).toBeUndefined();
    expect(await api.refusal(s3Requests('ListObjectsV2Command', { Bucket: 'reports-unit', Prefix: 'invoices/' }))).toBeDefined();
  });
});
