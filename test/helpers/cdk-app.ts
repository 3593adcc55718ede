import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackSettings } from '../../infra/config.js';
import { BackOfficeStack } from '../../infra/stack.js';

/** The feature flags `cdk synth` runs with, so that tests synthesize the same template. */
const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

export interface TestAppOptions {
  /** Extra CDK context, e.g. `stage` or settings under their `backoffice:` keys. */
  readonly context?: Record<string, unknown>;
  /** Apply cdk-nag's AwsSolutions checks as infra/app.ts does. */
  readonly nag?: boolean;
  /**
   * Run CloudFormation's default rules at synthesis too, as `cdk synth` does. Their engine
   * (WebAssembly) takes about 11 s of CPU to start in each test process, so only the files
   * that list findings (regions.test.ts, through `nagFindings`) ask for them.
   */
  readonly cloudFormationRules?: boolean;
  /** The stack's account and region; region-agnostic without. */
  readonly env?: { readonly account: string; readonly region: string };
}

/**
 * The back-office app as infra/app.ts builds it, with asset bundling skipped (esbuild would
 * add seconds per test and the assertions do not look inside the bundle) and CloudFormation's
 * default rules only when asked for: they change no template.
 */
export function createTestApp(options: TestAppOptions = {}): { app: App; stack: BackOfficeStack } {
  const app = new App({
    context: { ...cdkJsonContext, 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:validateAgainstDefaultRules': options.cloudFormationRules === true, ...options.context },
    // The context flag above only decides whether the rules' findings are errors; the rules
    // themselves run unless the app is told not to.
    builtinCloudFormationValidation: options.cloudFormationRules === true,
  });
  const settings = readStackSettings(app);
  const stack = new BackOfficeStack(app, settings.stage.stackId, { settings, ...(options.env === undefined ? {} : { env: options.env }) });
  if (options.nag === true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** The prod stage with what it refuses to synthesize without: an alarm address and a mail sender. */
export const PROD_CONTEXT = {
  stage: 'prod',
  'backoffice:prod:alarmEmail': 'ops@example.com',
  'backoffice:prod:sesFromEmail': 'no-reply@example.com',
} as const;

/**
 * cdk-nag's and CloudFormation's findings of the app synthesized with `options`, listed rather
 * than thrown, with the stack and its template.
 */
export function nagFindings(options: Omit<TestAppOptions, 'nag' | 'cloudFormationRules'> = {}): { stack: BackOfficeStack; template: Template; findings: string[] } {
  const { app, stack } = createTestApp({ ...options, nag: true, cloudFormationRules: true, context: { ...options.context, '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const assembly = app.synth();
  const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: { ruleName: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  const findings = report.pluginReports.flatMap((plugin) => plugin.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`)));
  return { stack, template: Template.fromStack(stack), findings };
}

/** Anything whose default child is a CloudFormation resource. */
export type ConstructWithResource = { node: { defaultChild?: unknown } };

/** The logical id of a construct's CloudFormation resource in its stack's template. */
export const logicalId = (construct: ConstructWithResource): string =>
  Stack.of(construct as never).getLogicalId(construct.node.defaultChild as CfnElement);

/** An IAM `Action` or `Resource` as a list, whether the template holds one value or several. */
export const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** A resource of a synthesized template. */
export type TemplateResource = { Type: string; Properties: Record<string, unknown> };

type Synthesized = { stack: BackOfficeStack; template: Template; resources: Record<string, TemplateResource> };
const synthesized = new Map<string, Synthesized>();

/**
 * The stack as `cdk synth` builds it, its template, and the template's resources by logical
 * id: synthesized once per set of options in a test process (the infra files share their
 * modules, see vitest.config.ts) and only read by the tests.
 */
export function synthesizedStack(options: TestAppOptions = {}): Synthesized {
  const key = JSON.stringify(options);
  const known = synthesized.get(key);
  if (known !== undefined) return known;
  const { stack } = createTestApp(options);
  const template = Template.fromStack(stack);
  const made = { stack, template, resources: template.toJSON().Resources as Record<string, TemplateResource> };
  synthesized.set(key, made);
  return made;
}

/** The `live` alias of a function, as event sources, schedules and the API reference it (infra/constructs/rollout.ts). */
export const liveAliasRef = (fn: { node: { findChild(id: string): unknown } }): { Ref: string } => ({ Ref: logicalId(fn.node.findChild('Live') as ConstructWithResource) });
