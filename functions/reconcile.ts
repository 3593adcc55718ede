import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { loadConfig } from '../shared/config.js';
import { createAdapters } from '../shared/store/adapters.js';
import { sqsDealerQueue } from '../shared/store/sqs-dealer-queue.js';
import { fanOutReconciliation, type ReconcileDeps } from '../shared/app/reconcile.js';
import { ReconcileEvent, describeIssues, type SendDealerMessages } from '../shared/app/reconcile-messages.js';
import { businessDateOf } from '../shared/domain/dates.js';
import { previousPeriod } from '../shared/domain/schedule.js';

const logger = new Logger({ serviceName: 'reconcile' });
const config = loadConfig();
const metrics = new Metrics({ namespace: config.metricsNamespace, serviceName: 'reconcile' });
const tracer = new Tracer({ serviceName: 'reconcile' });

export interface PlannerPorts {
  readonly deps: Pick<ReconcileDeps, 'master' | 'reconciliations' | 'clock'>;
  /** Where the dealer messages go: the SQS queue on AWS, a collector in tests. */
  readonly send: () => SendDealerMessages;
  readonly businessTimeZone: string;
}

/**
 * The planner of a month's reconciliation. The schedule sends `{}`: the previous month as of
 * today (business time zone). An admin re-runs a month from the console with
 * `{"period": "2026-10", "as_of": "2026-11-05"}`, or retries dealers with `"dealers": ["D002"]`.
 * It records the run and sends one message per dealer; functions/reconcile-dealer.ts does
 * the work. Re-running is safe: nothing is charged twice.
 */
export function reconcileHandler(ports: PlannerPorts) {
  async function handle(event: unknown, _context: Context) {
    const parsed = ReconcileEvent.safeParse(event ?? {});
    if (!parsed.success) throw new Error(`Bad reconcile event / 对账事件有误: ${describeIssues(parsed.error)}`);
    const as_of = parsed.data.as_of ?? businessDateOf(ports.deps.clock.now(), ports.businessTimeZone);
    const period = parsed.data.period ?? previousPeriod(as_of);
    const plan = await fanOutReconciliation(ports.deps, { period, as_of, ...(parsed.data.dealers ? { dealers: parsed.data.dealers } : {}) }, ports.send());
    metrics.addMetric('DealersPlanned', MetricUnit.Count, plan.dealers.length);
    logger.info('reconciliation planned: one message per dealer', { period, as_of, run_id: plan.run.run_id, dealers: plan.dealers.length, dealers_total: plan.run.dealers_total });
    return { period, as_of, run_id: plan.run.run_id, status: plan.run.status, dealers_sent: plan.dealers.length, dealers_total: plan.run.dealers_total };
  }
  return middy(handle).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

export const handler = reconcileHandler({
  deps: createAdapters(config),
  send: () => {
    if (config.reconcileQueueUrl === undefined) {
      throw new Error('RECONCILE_QUEUE_URL is not set: the planner needs the per-dealer queue (locally, run `backoffice reconcile`)');
    }
    return sqsDealerQueue(config.reconcileQueueUrl);
  },
  businessTimeZone: config.businessTimeZone,
});
