import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { readStackSettings } from '../../config.js';
import { BackOfficeStack } from '../../stack.js';
import { REPOSITORY } from '../repository.js';
import { FUNCTION_PATHS, POLICY_ACCOUNT, POLICY_REGION, type FunctionName, type FunctionPolicies, type FunctionPolicy, type PolicyStatementJson } from './policy-file.js';

type Intrinsic = string | number | { [fn: string]: unknown } | Intrinsic[];

/** The stack as `cdk synth` builds it (cdk.json's context), without bundling: policies do not depend on the bundles. */
export function synthesizeForPolicies(context: Record<string, unknown> = {}): BackOfficeStack {
  const cdkJson = JSON.parse(readFileSync(join(REPOSITORY, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = readStackSettings(app);
  return new BackOfficeStack(app, settings.stage.stackId, { settings });
}

/** Every bundled function's role policies, from the synthesized template of the stack. */
export function functionPolicies(stack: BackOfficeStack): FunctionPolicies {
  const template = Template.fromStack(stack).toJSON() as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const logicalId = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const { table, uploads, reports, invoices } = stack.storage;
  const placeholders = new Map<string, { arn: string; name: string }>([
    [logicalId(table), { arn: `arn:aws:dynamodb:${POLICY_REGION}:${POLICY_ACCOUNT}:table/{table}`, name: '{table}' }],
    ...([['uploads', uploads], ['reports', reports], ['invoices', invoices]] as const).map(
      ([role, bucket]) => [logicalId(bucket), { arn: `arn:aws:s3:::{${role}}`, name: `{${role}}` }] as const,
    ),
  ]);
  const resolve = (value: Intrinsic): string => {
    if (typeof value === 'string' || typeof value === 'number') return String(value);
    if (Array.isArray(value)) throw new Error(`a list where a string was expected: ${JSON.stringify(value)}`);
    const [fn, args] = Object.entries(value)[0] ?? [];
    if (fn === 'Ref') {
      const ref = args as string;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return POLICY_REGION;
      if (ref === 'AWS::AccountId') return POLICY_ACCOUNT;
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      return placeholders.get(ref)?.name ?? `{${ref}}`;
    }
    if (fn === 'Fn::GetAtt') {
      const [id, attribute] = args as [string, string];
      // Resources the stores do not call (queues, log groups, secrets) keep a readable stand-in.
      return attribute === 'Arn' ? (placeholders.get(id)?.arn ?? `arn:aws:cloudformation:${POLICY_REGION}:${POLICY_ACCOUNT}:resource/${id}`) : `{${id}.${attribute}}`;
    }
    if (fn === 'Fn::Join') {
      const [separator, parts] = args as [string, Intrinsic[]];
      return parts.map(resolve).join(separator);
    }
    throw new Error(`the IAM policy extraction cannot resolve ${JSON.stringify(value)}`);
  };
  const resolveList = (value: Intrinsic): string | string[] => (Array.isArray(value) ? value.map(resolve) : resolve(value));
  const resolveStatement = (s: Record<string, unknown>): PolicyStatementJson => {
    const condition = s.Condition as Record<string, Record<string, Intrinsic>> | undefined;
    return {
      ...(s.Sid === undefined ? {} : { Sid: s.Sid as string }),
      Effect: s.Effect as 'Allow' | 'Deny',
      Action: s.Action as string | string[],
      Resource: resolveList(s.Resource as Intrinsic),
      ...(condition === undefined
        ? {}
        : { Condition: Object.fromEntries(Object.entries(condition).map(([operator, keys]) => [operator, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, resolveList(v)]))])) }),
    };
  };

  const functions = Object.fromEntries(
    Object.entries(FUNCTION_PATHS).map(([name, path]) => {
      const fn = stack.node.findChild(path.split('/')[0]!).node.findChild(path.split('/')[1]!) as unknown as { role?: IConstruct };
      if (fn.role === undefined) throw new Error(`${path} has no role`);
      const role = logicalId(fn.role);
      const statements: PolicyStatementJson[] = [];
      for (const resource of Object.values(template.Resources)) {
        if (resource.Type !== 'AWS::IAM::Policy') continue;
        const roles = (resource.Properties.Roles as Array<{ Ref?: string }> | undefined) ?? [];
        if (!roles.some((r) => r.Ref === role)) continue;
        const document = resource.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> };
        statements.push(...document.Statement.map(resolveStatement));
      }
      const inline = (template.Resources[role]?.Properties.Policies as Array<{ PolicyDocument: { Statement: Array<Record<string, unknown>> } }> | undefined) ?? [];
      for (const policy of inline) statements.push(...policy.PolicyDocument.Statement.map(resolveStatement));
      return [name, { role, statements }];
    }),
  ) as unknown as Record<FunctionName, FunctionPolicy>;
  return { account: POLICY_ACCOUNT, region: POLICY_REGION, functions };
}

/** The file's text: stable, so that a regenerated file differs only where a policy did. */
export const policiesJson = (policies: FunctionPolicies): string => `${JSON.stringify(policies, null, 2)}\n`;


