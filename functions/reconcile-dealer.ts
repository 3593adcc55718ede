import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../shared/config.js';
import { createAdapters } from '../shared/store/adapters.js';
import { reconcileDealerOfRun, type ReconcileDeps } from '../shared/app/reconcile.js';
import { DealerMessage, describeIssues } from '../shared/app/reconcile-messages.js';
import type { MasterData } from '../shared/domain/master.js';
import { writeInvoiceWorkbook } from '../shared/sheets/invoice-workbook.js';

const logger = new Logger({ serviceName: 'reconcile-dealer' });
const config = loadConfig();
const metrics = new Metrics({ namespace: config.metricsNamespace, serviceName: 'reconcile' });
const tracer = new Tracer({ serviceName: 'reconcile-dealer' });

function parseMessage(record: SQSRecord): DealerMessage {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    throw new Error(`message ${record.messageId} is not JSON / 消息不是 JSON`);
  }
  const parsed = DealerMessage.safeParse(body);
  if (!parsed.success) throw new Error(`message ${record.messageId} is not a dealer message / 不是经销商对账消息: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * One dealer per message from the reconciliation queue. A dealer whose reconciliation fails
 * is recorded in the run as failed and its message is done with; only a message that cannot
 * be read or whose outcome cannot be recorded is reported back, retried, and in the end
 * parked in the dead-letter queue.
 */
export function reconcileDealerHandler(deps: ReconcileDeps) {
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

  return middy(handle).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

export const handler = reconcileDealerHandler({ ...createAdapters(config), config, renderInvoice: writeInvoiceWorkbook });
