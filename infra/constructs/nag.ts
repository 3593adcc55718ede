import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * How cdk-nag names a resource's ARN in a finding, `<LogicalId.Arn>`, so that an
 * acknowledgement can name exactly the resource (and prefix) it covers.
 */
export const nagArn = (resource: IConstruct): string =>
  `<${Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement)}.Arn>`;
