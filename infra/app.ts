import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackSettings } from './config.js';
import { BackOfficeStack } from './stack.js';

const app = new App();
const settings = readStackSettings(app);

// One stack per stage: `cdk deploy` is the dev stage, `cdk deploy -c stage=prod` production.
new BackOfficeStack(app, settings.stage.stackId, {
  // The account and region of the credentials `cdk deploy` runs with; none is written here.
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  settings,
});

// cdk-nag 3 runs as a synthesis validation plugin: an unacknowledged AwsSolutions error
// fails `cdk synth` and `cdk deploy`; acknowledgements sit next to the resources they cover.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
