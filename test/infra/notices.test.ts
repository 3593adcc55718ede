import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEADLINES_CRON } from '../../infra/constructs/notices.js';
import type { BackOfficeStack } from '../../infra/stack.js';
import { asList, createTestApp, logicalId, type TemplateResource } from '../helpers/cdk-app.js';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };

/** Every statement of the policies attached to the role of a function. */
function statementsOf(template: Template, roleId: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy') as Record<string, TemplateResource>).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(roleId),
  );
  return policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

describe('telling people on AWS', () => {
  let stack: BackOfficeStack;
  let template: Template;

  beforeAll(() => {
    ({ stack } = createTestApp({
      context: {
        'backoffice:sesFromEmail': 'noreply@maker.example',
        'backoffice:alarmEmail': 'ops@maker.example',
        'backoffice:noticeFinanceEmails': 'finance@maker.example',
        'backoffice:noticeAdminEmails': 'aftersales@maker.example',
      },
    }));
    template = Template.fromStack(stack);
  });

  it('sends from the SES identity of the stack parameter, through a configuration set that suppresses bounced and complained-of addresses', () => {
    expect(stack.resolve(stack.notices.identity?.emailIdentityArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':identity/noreply@maker.example']],
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({ MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']) }),
    });
  });

  it('mails admin alarms to the e-mail subscription parameter of the alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@maker.example', TopicArn: { Ref: logicalId(stack.monitoring.alarmTopic) } });
  });

  it('runs the deadline job daily in the business time zone, on the month-end jobs’ scheduler, through its live alias and into its own dead-letter queue', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: DEADLINES_CRON,
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({
        Arn: { Ref: logicalId(stack.notices.deadlinesFunction.node.findChild('Live') as never) },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack.notices.deadLetterQueue), 'Arn'] } },
      }),
    });
  });

  it('lets each function that tells people send only from the identity through the configuration set, and keep messages only in INBOX# partitions', () => {
    const functions = [stack.notices.deadlinesFunction, stack.intake.ingestFunction, stack.ledgerIntake.workerFunction, stack.masterData.importFunction, stack.reconciliation.remindersFunction, stack.api.apiFunction];
    for (const fn of functions) {
      const statements = statementsOf(template, logicalId(fn.role as never));
      const send = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('ses:')));
      expect(send, fn.node.path).toHaveLength(1);
      expect(asList(send[0]!.Action)).toEqual(['ses:SendEmail']);
      expect(JSON.stringify(send[0]!.Resource)).not.toContain('*');
      expect(JSON.stringify(send[0]!.Resource)).toContain(':identity/noreply@maker.example');
      expect(JSON.stringify(send[0]!.Resource)).toContain(logicalId(stack.notices.configurationSet!));
      expect(send[0]!.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'noreply@maker.example' } });
      const keep = statements.find((s) => s.Sid === 'KeepMessages');
      expect(keep?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INBOX#*'] } });
    }
  });

  it('gives the functions the sender, the configuration set and the staff group addresses', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MAIL_FROM: 'noreply@maker.example', NOTICE_FINANCE_EMAILS: 'finance@maker.example', NOTICE_ADMIN_EMAILS: 'aftersales@maker.example' }) },
    });
  });
});
