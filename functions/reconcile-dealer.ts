import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, messageReader, powertools, type HandlerOptions } from '../shared/lambda.js';
import { clampedWindowsJson } from '../shared/domain/invoice.js';
import { reconcileDealerOfRun, type ReconcileDeps } from '../shared/app/reconcile.js';
import { DealerMessage } from '../shared/app/reconcile-messages.js';
import type { MasterData } from '../shared/domain/master.js';

export interface DealerHandlerDeps extends ReconcileDeps, HandlerOptions {
  readonly config: ReconcileDeps['config'] & Pick<BackOfficeConfig, 'metricsNamespace'>;
}

const parseMessage = messageReader(DealerMessage, { en: 'a dealer message', zh: '经销商对账消息' });

/**
 * One dealer per message from the reconciliation queue. A dealer whose reconciliation fails
 * is recorded in the run as failed and its message is done with; only a message that cannot
 * be read or whose outcome cannot be recorded is reported back, retried, and in the end
 * parked in the dead-letter queue.
 */
export function reconcileDealerHandler(deps: DealerHandlerDeps) {
  // The dealers' metrics count under the planner's service: one reconciliation, two functions.
  const { logger, metrics, wrap } = powertools({ service: 'reconcile-dealer', metrics: { namespace: deps.config.metricsNamespace, service: 'reconcile' }, logLevel: deps.logLevel });
  const processor = new BatchProcessor(EventType.SQS);

  async function handle(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
    // Master data once per batch rather than once per dealer.
    let master: Promise<MasterData> | undefined;
    const processRecord = async (record: SQSRecord): Promise<void> => {
      const message = parseMessage(record);
      master ??= deps.master.load();
      const step = await reconcileDealerOfRun(deps, message, await master);
      const where = { period: message.period, as_of: message.as_of, run_id: message.run_id, dealer: message.dealer, tally: step.tally };
      if (step.tally === 'stale') logger.warn('the run was replaced by a newer one; this outcome is not counted', where);
      // Outcomes the run took in, not deliveries: a redelivered message is not a second dealer.
      const recorded = step.tally === 'counted' || step.tally === 'updated';
      if (step.outcome.status === 'failed') {
        if (recorded) metrics.addMetric('DealersFailed', MetricUnit.Count, 1);
        logger.error('dealer failed; retry it with a reconcile test event naming it', { ...where, error: step.outcome.error });
      } else {
        if (recorded) metrics.addMetric('DealersReconciled', MetricUnit.Count, 1);
        logger.info('dealer reconciled', { ...where, invoice: step.result?.invoice?.invoice_no ?? null });
        const clamped = clampedWindowsJson(step.result === null ? [] : [step.result.reconciliation]);
        if (clamped.length > 0) logger.warn('lots read with their return window clamped into 1–3,650 days; correct them', { ...where, clamped_windows: clamped });
      }
      // Only an invoice made by this delivery: a redelivered message finds nothing new to charge.
      const invoice = step.result?.invoice;
      if (invoice !== null && invoice !== undefined) {
        metrics.addMetric('InvoicesProduced', MetricUnit.Count, 1);
        metrics.addMetric('AmountChargedFen', MetricUnit.Count, invoice.total);
      }
      if (step.run !== undefined && step.run.status !== 'running' && step.tally !== 'unchanged') {
        logger.info('reconciliation run finished', { ...step.run, failed: step.run.failed.length });
      }
    };
    return processPartialResponse(event, processRecord, processor, { context, processInParallel: false });
  }

  return wrap(handle);
}

export const handler = lazily(() => reconcileDealerHandler(compose()));
