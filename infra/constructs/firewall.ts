import { Annotations, Aws, CfnCondition, Fn, Stack, Token } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { StackSettings } from '../config.js';
import type { RegionOffer } from '../regions.js';
import { LARGE_BODY_PATH_REGEX, WAF_BODY_SIZE_LABEL } from '../edge.js';

/**
 * Requests per viewer address in five minutes before CloudFront refuses it. A signed-in user
 * makes a few hundred (the portal polls an upload's status); offices behind one address share
 * the budget, so it is well above one person and well below a script.
 */
export const REQUESTS_PER_IP_PER_5_MINUTES = 2000;

/** The rule that blocks a body over the common rule set's 8 KB, except on the workbook route. */
export const BODY_SIZE_RULE = 'BodySizeExceptRequestWorkbook';

/** AWS managed rule groups, in the order they are evaluated after the rate limit. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesCommonRuleSet'] as const;

export interface FirewallProps {
  readonly settings: StackSettings;
  /** What the region offers: no CloudFront-scoped WebACL in the China regions. */
  readonly offer: RegionOffer;
}

/**
 * The WAF in front of the portal and the API. A CloudFront WebACL can only be made in
 * us-east-1: a stack there makes its own; a stack elsewhere is given the ARN of one made in
 * us-east-1 (`backoffice:webAclArn`, docs/operations.md). When the region is not known at
 * synth time (the template is region-agnostic), the WebACL is made on condition that the stack
 * is deployed in us-east-1.
 */
export class Firewall extends Construct {
  /** What the distribution names as its WebACL, or undefined when there is none. */
  readonly webAclArn: string | undefined;
  readonly webAcl: CfnWebACL | undefined;

  constructor(scope: Construct, id: string, { settings, offer }: FirewallProps) {
    super(scope, id);
    if (!offer.cloudFrontWaf) {
      Annotations.of(this).addInfo('No CloudFront-scoped WAF in this region (infra/regions.ts): the distribution has none.');
      this.webAclArn = undefined;
      return;
    }
    if (settings.webAclArn !== undefined) {
      this.webAclArn = settings.webAclArn;
      return;
    }
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && region !== 'us-east-1') {
      Annotations.of(this).addWarningV2(
        'backoffice:noWebAcl',
        `A CloudFront WebACL can only be made in us-east-1, and this stack is in ${region}: make one there and deploy with -c backoffice:webAclArn=<its ARN> (docs/operations.md). Until then the distribution has no WAF and cdk-nag refuses it (AwsSolutions-CFR2).`,
      );
      this.webAclArn = undefined;
      return;
    }
    this.webAcl = webAcl(this, 'WebAcl', Stack.of(this).stackName, 'CLOUDFRONT', LARGE_BODY_PATH_REGEX);
    if (Token.isUnresolved(region)) {
      const inUsEast1 = new CfnCondition(this, 'InUsEast1', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
      this.webAcl.cfnOptions.condition = inUsEast1;
      this.webAclArn = Fn.conditionIf(inUsEast1.logicalId, this.webAcl.attrArn, Aws.NO_VALUE).toString();
    } else {
      this.webAclArn = this.webAcl.attrArn;
    }
  }

  /**
   * The same rules on the API's REST stage, for a region whose CloudFront has no WAF (China):
   * a REGIONAL WebACL associated with the stage. The requests come through CloudFront, so the
   * per-address rate limit counts the viewer's address CloudFront puts in X-Forwarded-For.
   */
  guardApiStage(stage: Stage, stageName: string): CfnWebACL {
    // A REST stage's WAF sees the path with the stage's name in front (CloudFront's origin path).
    const largeBodyPath = LARGE_BODY_PATH_REGEX.replace(/^\^/, `^/${stageName}`);
    const regional = webAcl(this, 'ApiWebAcl', `${Stack.of(this).stackName}-api`, 'REGIONAL', largeBodyPath);
    new CfnWebACLAssociation(this, 'ApiWebAclAssociation', { resourceArn: stage.stageArn, webAclArn: regional.attrArn });
    return regional;
  }
}

/**
 * The WebACL: a per-address rate limit, the AWS managed rule groups, and the body-size rule.
 * CLOUDFRONT sees the viewer's address; REGIONAL (behind CloudFront) reads it from X-Forwarded-For,
 * where CloudFront appends it (a viewer that sends its own header puts a made-up address first:
 * the stage's throttle still bounds the total).
 */
function webAcl(scope: Construct, id: string, name: string, aclScope: 'CLOUDFRONT' | 'REGIONAL', largeBodyPath: string): CfnWebACL {
  const visibility = (metricName: string): CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    metricName,
    sampledRequestsEnabled: true,
  });
  return new CfnWebACL(scope, id, {
    scope: aclScope,
    description: 'Back-office portal and API: per-address rate limit, AWS managed rules',
    defaultAction: { allow: {} },
    visibilityConfig: visibility(`${name}-web-acl`),
    rules: [
      {
        name: 'RateLimitPerIp',
        priority: 0,
        action: { block: {} },
        statement: {
          rateBasedStatement:
            aclScope === 'CLOUDFRONT'
              ? { limit: REQUESTS_PER_IP_PER_5_MINUTES, aggregateKeyType: 'IP', evaluationWindowSec: 300 }
              : { limit: REQUESTS_PER_IP_PER_5_MINUTES, aggregateKeyType: 'FORWARDED_IP', forwardedIpConfig: { headerName: 'X-Forwarded-For', fallbackBehavior: 'MATCH' }, evaluationWindowSec: 300 },
        },
        visibilityConfig: visibility('RateLimitPerIp'),
      },
      ...MANAGED_RULE_GROUPS.map((group, index) => ({
        name: group,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: {
          managedRuleGroupStatement: {
            vendorName: 'AWS',
            name: group,
            // The body-size rule only labels (count); the rule below blocks on the label everywhere
            // but the material-request workbook route, whose body is a base64 workbook of up to 256 KiB.
            ...(group === 'AWSManagedRulesCommonRuleSet' ? { ruleActionOverrides: [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] } : {}),
          },
        },
        visibilityConfig: visibility(group),
      })),
      {
        name: BODY_SIZE_RULE,
        priority: MANAGED_RULE_GROUPS.length + 1,
        action: { block: {} },
        statement: {
          andStatement: {
            statements: [
              { labelMatchStatement: { scope: 'LABEL', key: WAF_BODY_SIZE_LABEL } },
              {
                notStatement: {
                  statement: { regexMatchStatement: { regexString: largeBodyPath, fieldToMatch: { uriPath: {} }, textTransformations: [{ priority: 0, type: 'NONE' }] } },
                },
              },
            ],
          },
        },
        visibilityConfig: visibility(BODY_SIZE_RULE),
      },
    ],
  });
}
