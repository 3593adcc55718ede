import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadConfig } from '../shared/config.js';
import { createAdapters } from '../shared/store/adapters.js';
import { reconcilePeriod } from '../shared/app/reconcile.js';
import { businessDateOf, isValidDate, isValidPeriod } from '../shared/domain/dates.js';
import { previousPeriod } from '../shared/domain/schedule.js';
import { writeInvoiceWorkbook } from '../shared/sheets/invoice-workbook.js';

const logger = new Logger({ serviceName: 'reconcile' });
const config = loadConfig();
const adapters = createAdapters(config);

/**
 * The schedule sends `{}`: reconcile the previous month as of today (business time zone).
 * An admin re-runs a month from the console with a test event `{"period": "2026-10", "as_of": "2026-11-05"}`;
 * the run is repeatable, so re-running never charges anything twice.
 */
const ReconcileEvent = z.object({
  period: z.string().refine(isValidPeriod, 'period must be YYYY-MM').optional(),
  as_of: z.string().refine(isValidDate, 'as_of must be YYYY-MM-DD').optional(),
});

async function handle(event: unknown, _context: Context) {
  const input = ReconcileEvent.parse(event ?? {});
  const as_of = input.as_of ?? businessDateOf(new Date(), config.businessTimeZone);
  const period = input.period ?? previousPeriod(as_of);
  const result = await reconcilePeriod(
    { ...adapters, config, renderInvoice: writeInvoiceWorkbook },
    { period, as_of, onProgress: (done, total) => done % 100 === 0 && logger.info('progress', { done, total }) },
  );
  logger.info('reconciliation finished', { ...result.run, failed: result.run.failed.length, invoices: result.invoices.length });
  for (const failure of result.run.failed) logger.error('dealer failed; re-run the month to retry it', failure);
  return { period, as_of, status: result.run.status, invoices: result.invoices.length, failed: result.run.failed };
}

export const handler = middy(handle).use(injectLambdaContext(logger));
