import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackSettings } from './config.js';
import { REGION_CONTEXT } from './regions.js';
import { BackOfficeStack } from './stack.js';

const app = new App();
const settings = readStackSettings(app);

// One stack per stage: `cdk deploy` is the dev stage, `cdk deploy -c stage=prod` production.
new BackOfficeStack(app, settings.stage.stackId, {
  // The account of the credentials `cdk deploy` runs with; the region theirs too, unless
  // `-c region=cn-north-1` names one (the stack's shape depends on what the region offers: infra/regions.ts).
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: (app.node.tryGetContext(REGION_CONTEXT) as string | undefined) ?? process.env.CDK_DEFAULT_REGION },
  settings,
});

// cdk-nag 3 runs as a synthesis validation plugin: an unacknowledged AwsSolutions error
// fails `cdk synth` and `cdk deploy`; acknowledgements sit next to the resources they cover.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
