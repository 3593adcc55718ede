import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag names a resource's ARN in a finding, `<LogicalId.Arn>`, so that an
 * acknowledgement can name exactly the resource (and prefix) it covers.
 */
export const nagArn = (resource: IConstruct): string =>
  `<${Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement)}.Arn>`;

/**
 * The ids cdk-nag gives an AWS managed policy's finding (AwsSolutions-IAM4), under every
 * spelling of its partition: a token in a region-agnostic template, a literal once the region is known.
 */
export const managedPolicyFindings = (policy: string): string[] =>
  ['<AWS::Partition>', 'aws', 'aws-cn'].map((partition) => `AwsSolutions-IAM4[Policy::arn:${partition}:iam::aws:policy/${policy}]`);
