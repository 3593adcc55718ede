import { readFileSync } from 'node:fs';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import { S3ServiceException, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { BackOfficeConfig } from '../../../shared/config.js';
import { createDocumentClient, createS3Client, type Clients } from '../../../shared/compose.js';
import { TABLE_INDEXES, TABLE_KEYS } from '../../../shared/store/table.js';
import { POLICIES_FILE, type FunctionName, type FunctionPolicies, type PolicyStatementJson } from './policy-file.js';

/**
 * The local stand-in for IAM. DynamoDB Local and s3rver check no permission; this evaluates
 * every call a client makes, as AWS would, against the synthesized policy of the function
 * that makes it in production (function-policies.json, written by `npm run policies` from
 * the CDK stack), with AWS's own evaluation logic (`@cloud-copilot/iam-simulate`), and
 * refuses it with the error AWS would answer: `AccessDeniedException` from DynamoDB,
 * `AccessDenied` from S3. The request's context is what the policies' conditions ask about:
 * `dynamodb:LeadingKeys` from the partition keys a call touches, `s3:prefix` from a listing.
 */

/** One authorisation AWS makes for a call: a transaction or a batch makes several. */
export interface AuthorizationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

/** The decision on one call: undefined when allowed, else what was refused. */
export interface IamRefusal {
  readonly function: FunctionName;
  readonly role: string;
  readonly request: AuthorizationRequest;
}

let precomputed: FunctionPolicies | undefined;

/** The policies of every function, as last written by `npm run policies` (checked against a fresh synth by test/infra/function-policies.test.ts). */
export function loadFunctionPolicies(): FunctionPolicies {
  precomputed ??= JSON.parse(readFileSync(POLICIES_FILE, 'utf8')) as FunctionPolicies;
  return precomputed;
}

type Marshalled = Record<string, { S?: string } | undefined>;

/**
 * What IAM authorises for one DynamoDB command (low-level, marshalled input). Transactions have
 * no action of their own: each item is authorised as its own Put/Update/Delete/ConditionCheck.
 */
export function dynamoRequests(commandName: string, input: Record<string, unknown>, tableArnOf: (table: string) => string): AuthorizationRequest[] {
  const operation = commandName.replace(/Command$/, '');
  const leadingKeys = (keys: Array<Marshalled | undefined>) => ({ 'dynamodb:LeadingKeys': [...new Set(keys.map((key) => key?.[TABLE_KEYS.partitionKey]?.S ?? ''))] });
  const request = (action: string, table: string, context: Record<string, string | string[]> = {}): AuthorizationRequest => ({ action: `dynamodb:${action}`, resource: tableArnOf(table), context });
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [request(operation, input.TableName as string, leadingKeys([input.Key as Marshalled]))];
    case 'PutItem':
      return [request(operation, input.TableName as string, leadingKeys([input.Item as Marshalled]))];
    case 'Query': {
      const index = TABLE_INDEXES.find((i) => i.indexName === input.IndexName);
      const key = queryPartition(input, index?.partitionKey ?? TABLE_KEYS.partitionKey);
      const resource = index === undefined ? tableArnOf(input.TableName as string) : `${tableArnOf(input.TableName as string)}/index/${index.indexName}`;
      return [{ action: 'dynamodb:Query', resource, context: { 'dynamodb:LeadingKeys': [key] } }];
    }
    case 'BatchGetItem': {
      const tables = input.RequestItems as Record<string, { Keys: Marshalled[] }>;
      return Object.entries(tables).map(([table, { Keys }]) => request(operation, table, leadingKeys(Keys)));
    }
    case 'BatchWriteItem': {
      const tables = input.RequestItems as Record<string, Array<{ PutRequest?: { Item: Marshalled }; DeleteRequest?: { Key: Marshalled } }>>;
      return Object.entries(tables).map(([table, writes]) => request(operation, table, leadingKeys(writes.map((w) => w.PutRequest?.Item ?? w.DeleteRequest?.Key))));
    }
    case 'TransactWriteItems':
      return (input.TransactItems as Array<Record<string, { TableName: string; Key?: Marshalled; Item?: Marshalled }>>).map((item) => {
        const [kind, operand] = Object.entries(item)[0]!;
        const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind] ?? kind;
        return request(action, operand.TableName, leadingKeys([operand.Item ?? operand.Key]));
      });
    case 'TransactGetItems':
      return (input.TransactItems as Array<{ Get: { TableName: string; Key: Marshalled } }>).map(({ Get }) => request('GetItem', Get.TableName, leadingKeys([Get.Key])));
    default:
      // Scan and the rest carry no leading key: a policy that narrows by partition grants them nothing.
      return [request(operation, (input.TableName as string | undefined) ?? '*')];
  }
}

/** The partition a query's key condition names (`pk = :pk`, or through an attribute name). */
function queryPartition(input: Record<string, unknown>, attribute: string): string {
  const names = (input.ExpressionAttributeNames as Record<string, string> | undefined) ?? {};
  const values = (input.ExpressionAttributeValues as Marshalled | undefined) ?? {};
  for (const [, name, placeholder] of String(input.KeyConditionExpression ?? '').matchAll(/([#\w]+)\s*=\s*(:\w+)/g)) {
    if ((names[name!] ?? name) === attribute) return values[placeholder!]?.S ?? '';
  }
  return '';
}

/** What IAM authorises for one S3 command. */
export function s3Requests(commandName: string, input: Record<string, unknown>): AuthorizationRequest[] {
  const operation = commandName.replace(/Command$/, '');
  const bucket = `arn:aws:s3:::${String(input.Bucket)}`;
  const object = `${bucket}/${String(input.Key)}`;
  const versioned = input.VersionId !== undefined;
  switch (operation) {
    case 'GetObject':
    case 'HeadObject':
      return [{ action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: object, context: {} }];
    case 'PutObject':
      return [{ action: 's3:PutObject', resource: object, context: {} }];
    case 'DeleteObject':
      return [{ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: object, context: {} }];
    case 'ListObjectsV2':
    case 'ListObjects':
      return [{ action: 's3:ListBucket', resource: bucket, context: input.Prefix === undefined ? {} : { 's3:prefix': String(input.Prefix) } }];
    default:
      return [{ action: `s3:${operation}`, resource: input.Key === undefined ? bucket : object, context: {} }];
  }
}

/** A configuration's names in place of the policies' placeholders. */
function statementsFor(policies: FunctionPolicies, fn: FunctionName, config: BackOfficeConfig): PolicyStatementJson[] {
  const names: Record<string, string> = { '{table}': config.tableName, '{uploads}': config.buckets.uploads, '{reports}': config.buckets.reports, '{invoices}': config.buckets.invoices };
  const text = JSON.stringify(policies.functions[fn].statements).replace(/\{(table|uploads|reports|invoices)\}/g, (placeholder) => names[placeholder]!);
  return JSON.parse(text) as PolicyStatementJson[];
}

/** Evaluates calls as one function's role, remembering decisions (the same call is asked many times). */
export class IamCheck {
  private readonly statements: PolicyStatementJson[];
  private readonly role: string;
  private readonly decisions = new Map<string, boolean>();

  constructor(
    readonly fn: FunctionName,
    config: BackOfficeConfig,
    private readonly policies: FunctionPolicies = loadFunctionPolicies(),
  ) {
    this.statements = statementsFor(policies, fn, config);
    this.role = policies.functions[fn].role;
  }

  /** The principal AWS names in a refusal: the function's session of its role. */
  get principal(): string {
    return `arn:aws:sts::${this.policies.account}:assumed-role/${this.role}/${this.fn}`;
  }

  tableArn(table: string): string {
    return `arn:aws:dynamodb:${this.policies.region}:${this.policies.account}:table/${table}`;
  }

  /** The first of the requests refused, or undefined when every one is allowed. */
  async refusal(requests: readonly AuthorizationRequest[]): Promise<IamRefusal | undefined> {
    for (const request of requests) {
      if (!(await this.allows(request))) return { function: this.fn, role: this.role, request };
    }
    return undefined;
  }

  private async allows(request: AuthorizationRequest): Promise<boolean> {
    const key = JSON.stringify(request);
    const known = this.decisions.get(key);
    if (known !== undefined) return known;
    const result = await runSimulation(
      {
        request: { principal: this.principal, action: request.action, resource: { resource: request.resource, accountId: this.policies.account }, contextVariables: request.context },
        identityPolicies: [{ name: this.role, policy: { Version: '2012-10-17', Statement: this.statements } }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') throw new Error(`the local IAM check could not evaluate ${request.action} on ${request.resource}: ${result.errors.message}`);
    const allowed = result.overallResult === 'Allowed';
    // Keys differ by dealer and object: keep the memory bounded in a long `npm start`.
    if (this.decisions.size > 20_000) this.decisions.clear();
    this.decisions.set(key, allowed);
    return allowed;
  }
}

/** The message AWS gives, and what the local check adds to read it by. */
export function refusalMessage(check: IamCheck, refusal: IamRefusal): string {
  const { action, resource, context } = refusal.request;
  const conditions = Object.entries(context).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`).join(' ');
  return (
    `User: ${check.principal} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action` +
    ` [local IAM check: function ${refusal.function}, role ${refusal.role}${conditions === '' ? '' : `, ${conditions}`}; its policy is in infra/local/iam/function-policies.json]`
  );
}

/** A build-step middleware, as the SDK's stack takes it: the input is the command's (marshalled, for DynamoDB), the context names the command. */
type BuildStep = (next: (args: { input: unknown }) => Promise<unknown>, context: { commandName?: string }) => (args: { input: unknown }) => Promise<unknown>;

const MIDDLEWARE = { step: 'build', name: 'localIamCheck', override: true } as const;

/** Adds the check to a DynamoDB (document or low-level) client: a refused call throws AccessDeniedException before it is sent. */
export function checkDynamoCalls(client: DynamoDBDocumentClient, check: IamCheck): void {
  const middleware: BuildStep = (next, context) => async (args) => {
    const refusal = await check.refusal(dynamoRequests(String(context.commandName), args.input as Record<string, unknown>, (table) => check.tableArn(table)));
    if (refusal !== undefined) {
      throw new DynamoDBServiceException({ name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: refusalMessage(check, refusal) });
    }
    return next(args);
  };
  client.middlewareStack.add(middleware as never, MIDDLEWARE);
}

/** Adds the check to an S3 client: a refused call (or presigned link) throws AccessDenied (403) before it is sent. */
export function checkS3Calls(client: S3Client, check: IamCheck): void {
  const middleware: BuildStep = (next, context) => async (args) => {
    const refusal = await check.refusal(s3Requests(String(context.commandName), args.input as Record<string, unknown>));
    if (refusal !== undefined) {
      throw new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: refusalMessage(check, refusal) });
    }
    return next(args);
  };
  client.middlewareStack.add(middleware as never, MIDDLEWARE);
}

/**
 * The clients of one function for `createBackOffice(config, clients)`: every call checked
 * against that function's policy. What the local stack, the CLI's local runs and the tests
 * compose each function's back office from.
 */
export function iamCheckedClients(config: BackOfficeConfig, fn: FunctionName): Required<Pick<Clients, 'dynamo' | 's3'>> {
  const check = new IamCheck(fn, config);
  const dynamo = createDocumentClient(config);
  const s3 = createS3Client(config);
  checkDynamoCalls(dynamo, check);
  checkS3Calls(s3, check);
  return { dynamo, s3 };
}
