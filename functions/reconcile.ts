import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, powertools, type HandlerOptions } from '../shared/lambda.js';
import { fanOutReconciliation, type ReconcileDeps } from '../shared/app/reconcile.js';
import { ReconcileEvent, describeIssues, type SendDealerMessages } from '../shared/app/reconcile-messages.js';
import { businessDateOf } from '../shared/domain/dates.js';
import { previousPeriod } from '../shared/domain/schedule.js';

export interface PlannerDeps extends Pick<ReconcileDeps, 'master' | 'reconciliations' | 'clock'>, HandlerOptions {
  /** Where the dealer messages go: the SQS queue on AWS, a collector in tests; none where no queue is configured. */
  readonly dealerQueue?: SendDealerMessages;
  readonly config: Pick<BackOfficeConfig, 'businessTimeZone' | 'metricsNamespace'>;
}

/**
 * The planner of a month's reconciliation. The schedule sends `{}`: the previous month as of
 * today (business time zone). An admin re-runs a month from the console with
 * `{"period": "2026-10", "as_of": "2026-11-05"}`, or retries dealers with `"dealers": ["D002"]`.
 * It records the run and sends one message per dealer; functions/reconcile-dealer.ts does
 * the work. Re-running is safe: nothing is charged twice.
 */
export function reconcileHandler(deps: PlannerDeps) {
  const { logger, metrics, wrap } = powertools({ service: 'reconcile', metrics: { namespace: deps.config.metricsNamespace }, logLevel: deps.logLevel });

  async function handle(event: unknown, _context: Context) {
    const parsed = ReconcileEvent.safeParse(event ?? {});
    if (!parsed.success) throw new Error(`Bad reconcile event / 对账事件有误: ${describeIssues(parsed.error)}`);
    if (deps.dealerQueue === undefined) {
      throw new Error('RECONCILE_QUEUE_URL is not set: the planner needs the per-dealer queue (locally, run `backoffice reconcile`)');
    }
    const as_of = parsed.data.as_of ?? businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
    const period = parsed.data.period ?? previousPeriod(as_of);
    const plan = await fanOutReconciliation(deps, { period, as_of, ...(parsed.data.dealers ? { dealers: parsed.data.dealers } : {}) }, deps.dealerQueue);
    metrics.addMetric('DealersPlanned', MetricUnit.Count, plan.dealers.length);
    logger.info('reconciliation planned: one message per dealer', { period, as_of, run_id: plan.run.run_id, dealers: plan.dealers.length, dealers_total: plan.run.dealers_total });
    return { period, as_of, run_id: plan.run.run_id, status: plan.run.status, dealers_sent: plan.dealers.length, dealers_total: plan.run.dealers_total };
  }

  return wrap(handle);
}

export const handler = lazily(() => reconcileHandler(compose()));
