import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, powertools, type HandlerOptions } from '../shared/lambda.js';
import { deadlineNotices, reportingFailure, type DeadlineNoticeDeps } from '../shared/app/notices/jobs.js';
import { businessDateOf, isValidDate } from '../shared/domain/dates.js';

const DeadlinesEvent = z.object({ as_of: z.string().refine(isValidDate, 'as_of must be YYYY-MM-DD').optional() });

export interface DeadlinesDeps extends DeadlineNoticeDeps, HandlerOptions {
  readonly config: DeadlineNoticeDeps['config'] & Pick<BackOfficeConfig, 'businessTimeZone' | 'metricsNamespace'>;
}

/**
 * Every day: each dealer told of its lots due within 7 days and of its lots overdue and not
 * yet charged, with what each would cost at today's price. A retried run mails nothing twice;
 * a failed one is told to the admins, and so is a dealer that failed while the others were told.
 */
export function deadlinesHandler(deps: DeadlinesDeps) {
  const { logger, metrics, wrap } = powertools({ service: 'deadlines', metrics: { namespace: deps.config.metricsNamespace }, logLevel: deps.logLevel });

  async function handle(event: unknown, _context: Context) {
    const input = DeadlinesEvent.parse(event ?? {});
    const as_of = input.as_of ?? businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
    const { told, failed } = await reportingFailure(deps, { name: 'deadlines', run: as_of, runbook: 'The daily deadline job' }, () => deadlineNotices(deps, as_of));
    // Each failed dealer is an ERROR line (the function's logged-errors alarm) and a count (DealersFailed); the others were told.
    for (const failure of failed) logger.error('dealer failed in the deadline job; the others were told', { as_of, ...failure });
    metrics.addMetric('DealersFailed', MetricUnit.Count, failed.length);
    logger.info('deadline notices done', { as_of, messages: told.length, new: told.filter((t) => t.created).length, failed: failed.length });
    return { as_of, messages: told.length, failed };
  }

  return wrap(handle);
}

export const handler = lazily(() => deadlinesHandler(compose()));
