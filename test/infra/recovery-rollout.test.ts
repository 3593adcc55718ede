import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeStack } from '../../infra/stack.js';
import { createTestApp, synthesizedStack, liveAliasRef, logicalId, type TemplateResource } from '../helpers/cdk-app.js';

type Resource = TemplateResource;

describe('safe rollout and recovery', () => {
  let stack: BackOfficeStack;
  let template: Template;
  let resources: Record<string, Resource>;

  beforeAll(() => {
    ({ stack, template, resources } = synthesizedStack());
  });

  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  it('publishes every function with a live alias, and nothing invokes $LATEST: event sources, schedules, async failure destinations, the API', () => {
    const functions = ofType('AWS::Lambda::Function').filter(([id]) => !id.startsWith('Custom') && !id.startsWith('BucketNotificationsHandler'));
    const aliases = ofType('AWS::Lambda::Alias');
    expect(aliases.map(([, a]) => a.Properties.Name)).toEqual(functions.map(() => 'live'));
    const aliasRefs = new Set(aliases.map(([id]) => JSON.stringify({ Ref: id })));

    for (const [id, mapping] of ofType('AWS::Lambda::EventSourceMapping')) expect(aliasRefs.has(JSON.stringify(mapping.Properties.FunctionName)), id).toBe(true);
    for (const [id, schedule] of ofType('AWS::Scheduler::Schedule')) {
      const arn = JSON.stringify((schedule.Properties.Target as { Arn: unknown }).Arn);
      if (arn.includes('scheduler:::aws-sdk')) continue;
      expect(aliasRefs.has(arn), id).toBe(true);
    }
    for (const [id, config] of ofType('AWS::Lambda::EventInvokeConfig')) expect(config.Properties.Qualifier, id).toBe('live');
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: { Ref: logicalId(stack.rollout.aliases.get(stack.api.apiFunction)!) } });
  });

  it("lets the scheduler's role invoke the live aliases of the scheduled functions and nothing else: no unqualified function, no other version", () => {
    const roleId = logicalId(stack.reconciliation.schedulerRole);
    const invoked = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement)
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('lambda:')))
      .flatMap((statement) => [statement.Resource].flat());
    const scheduled = [stack.reconciliation.reconcileFunction, stack.reconciliation.remindersFunction, stack.notices.deadlinesFunction];
    expect(invoked).toHaveLength(scheduled.length);
    for (const fn of scheduled) expect(invoked).toContainEqual(liveAliasRef(fn));
    // Each names an alias resource called `live`: its ARN ends in `:live`.
    for (const resource of invoked) {
      const alias = resources[(resource as { Ref: string }).Ref]!;
      expect([alias.Type, alias.Properties.Name]).toEqual(['AWS::Lambda::Alias', 'live']);
    }
  });

  it('deploys the API by canary and the queue workers linearly through CodeDeploy, rolling back on their alarms', () => {
    const groups = ofType('AWS::CodeDeploy::DeploymentGroup').map(([, g]) => g.Properties);
    // The API, and the queue workers: ingest, ledger, master data, dealer reconciliation, statistics, projections.
    expect(groups).toHaveLength(7);
    for (const group of groups) {
      expect(group.AutoRollbackConfiguration).toMatchObject({ Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']) });
      expect((group.AlarmConfiguration as { Alarms: unknown[] }).Alarms.length).toBeGreaterThan(0);
    }
    const configs = groups.map((g) => JSON.stringify(g.DeploymentConfigName));
    expect(configs.filter((c) => c.includes('Canary10Percent5Minutes'))).toHaveLength(1);
    expect(configs.filter((c) => c.includes('Linear10PercentEvery1Minute'))).toHaveLength(6);
    const api = groups.find((g) => JSON.stringify(g.DeploymentConfigName).includes('Canary'))!;
    expect(JSON.stringify(api.AlarmConfiguration)).toContain(logicalId(stack.monitoring.apiServerErrors as never));
  });

  it('backs up the table and the invoice bucket daily and monthly into a locked vault', () => {
    template.hasResourceProperties('AWS::Backup::BackupVault', { LockConfiguration: { MinRetentionDays: 30 } });
    const rules = (ofType('AWS::Backup::BackupPlan')[0]![1].Properties.BackupPlan as { BackupPlanRule: { RuleName: string; Lifecycle: { DeleteAfterDays: number } }[] }).BackupPlanRule;
    expect(rules.map((r) => [r.RuleName, r.Lifecycle.DeleteAfterDays])).toEqual([['Daily', 35], ['Monthly', 365]]);
    const selected = JSON.stringify(ofType('AWS::Backup::BackupSelection')[0]![1].Properties);
    expect(selected).toContain(logicalId(stack.storage.ownTable!));
    expect(selected).toContain(logicalId(stack.storage.invoices));
  });

  it('runs on a restored table when the context names one, leaving its own table out of the template', () => {
    const { stack: restored } = createTestApp({ context: { 'backoffice:restoredTableName': 'BackOffice-Table-restored-20261105T0000' } });
    const restoredTemplate = Template.fromStack(restored);
    restoredTemplate.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
    restoredTemplate.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ TABLE_NAME: 'BackOffice-Table-restored-20261105T0000' }) } });
    expect(JSON.stringify(restoredTemplate.findResources('AWS::IAM::Policy'))).toContain(':table/BackOffice-Table-restored-20261105T0000');
  });
});
