import { Validations } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { LambdaApplication, LambdaDeploymentConfig, LambdaDeploymentGroup, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { Alias, CfnEventInvokeConfig, CfnEventSourceMapping, type IFunction, type Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { managedPolicyFindings } from './nag.js';

/** The alias every caller invokes: event sources, schedules, the API. A deploy moves it; a rollback moves it back. */
export const LIVE_ALIAS = 'live';

/** A function's `live` alias on its current version, made once. */
export function liveAlias(fn: LambdaFunction): Alias {
  const existing = fn.node.tryFindChild('Live');
  return existing instanceof Alias ? existing : new Alias(fn, 'Live', { aliasName: LIVE_ALIAS, version: fn.currentVersion });
}

export interface GradualFunction {
  readonly fn: LambdaFunction;
  /** The alarms whose ALARM state stops the shift and moves the alias back. */
  readonly alarms: readonly IAlarm[];
  readonly config: ILambdaDeploymentConfig;
}

export interface RolloutProps {
  /** Every function of the stack: each gets its alias, and whatever invoked the function invokes the alias. */
  readonly functions: readonly LambdaFunction[];
  /** Those deployed by CodeDeploy, shifting traffic bit by bit; the others switch at once. */
  readonly gradual: readonly GradualFunction[];
}

/**
 * Safe rollout: every function is published as a version with a `live` alias; SQS event
 * sources, schedules, asynchronous-failure destinations and the API invoke the alias, never
 * $LATEST (the schedules and the API name it where they are made, with `liveAlias`). The API and the queue workers move to a new version through CodeDeploy, a canary or
 * a linear shift, and roll back by themselves when one of their alarms goes off during it.
 * Rollback by hand: docs/operations.md.
 */
export class Rollout extends Construct {
  readonly aliases = new Map<IFunction, Alias>();
  readonly deploymentGroups: LambdaDeploymentGroup[] = [];

  constructor(scope: Construct, id: string, props: RolloutProps) {
    super(scope, id);
    for (const fn of props.functions) {
      const alias = liveAlias(fn);
      this.aliases.set(fn, alias);
      for (const child of fn.node.findAll()) {
        if (child instanceof CfnEventSourceMapping) child.addPropertyOverride('FunctionName', alias.functionArn);
        if (child instanceof CfnEventInvokeConfig) {
          // Retries and the failure destination of asynchronous calls belong to the qualifier invoked.
          child.addPropertyOverride('Qualifier', LIVE_ALIAS);
          child.node.addDependency(alias);
        }
      }
    }
    const application = new LambdaApplication(this, 'Application');
    for (const { fn, alarms, config } of props.gradual) {
      const group = new LambdaDeploymentGroup(this, `${fn.node.id}Deployment`, {
        application,
        alias: liveAlias(fn),
        deploymentConfig: config,
        alarms: [...alarms],
        autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
      });
      this.deploymentGroups.push(group);
      const reason = "CodeDeploy's own service policy for Lambda deployments: the role is assumed by CodeDeploy alone, to shift this function's alias.";
      Validations.of(group).acknowledge(...managedPolicyFindings('service-role/AWSCodeDeployRoleForLambdaLimited').map((findingId) => ({ id: findingId, reason })));
    }
  }
}

/** The API: a tenth of the requests for five minutes, then all. Workers: a tenth more every minute. */
export const API_DEPLOYMENT = LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES;
export const WORKER_DEPLOYMENT = LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE;
