import { GetServiceQuotaCommand, type ServiceQuotasClient } from '@aws-sdk/client-service-quotas';

/** Lambda's "Concurrent executions" quota of the account and region. */
export const LAMBDA_CONCURRENCY_QUOTA = { ServiceCode: 'lambda', QuotaCode: 'L-B99A9384' } as const;
/** Lambda refuses a reserved concurrency that would leave the account less than this unreserved. */
export const MIN_UNRESERVED_CONCURRENCY = 100;
/** What the stack reserves: the reconcile planner runs one at a time (infra/constructs/reconciliation.ts). */
export const STACK_RESERVED_CONCURRENCY = 1;

export interface PreflightCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * What a first deploy needs of the account, read from Service Quotas (read-only, no change):
 * the Lambda concurrency quota must leave 100 unreserved after the stack's reserved
 * concurrency, or CloudFormation fails on the planner (new accounts often have a quota of 10).
 */
export async function preflight(quotas: Pick<ServiceQuotasClient, 'send'>): Promise<PreflightCheck[]> {
  const answer = await quotas.send(new GetServiceQuotaCommand(LAMBDA_CONCURRENCY_QUOTA));
  const quota = answer.Quota?.Value ?? 0;
  const needed = MIN_UNRESERVED_CONCURRENCY + STACK_RESERVED_CONCURRENCY;
  return [
    {
      name: 'lambda-concurrency',
      ok: quota >= needed,
      detail:
        quota >= needed
          ? `Lambda concurrent executions quota ${quota}: ${quota - STACK_RESERVED_CONCURRENCY} stay unreserved (at least ${MIN_UNRESERVED_CONCURRENCY} needed)`
          : `Lambda concurrent executions quota is ${quota}, at least ${needed} needed (${MIN_UNRESERVED_CONCURRENCY} unreserved + ${STACK_RESERVED_CONCURRENCY} reserved by the planner): request an increase of quota ${LAMBDA_CONCURRENCY_QUOTA.QuotaCode} in Service Quotas before deploying · Lambda 并发配额不足，请先申请提高`,
    },
  ];
}
