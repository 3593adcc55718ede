import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, powertools, type HandlerOptions } from '../shared/lambda.js';
import { reportingFailure, reportReminders, type ReminderNoticeDeps } from '../shared/app/notices/jobs.js';
import { businessDateOf, isValidPeriod } from '../shared/domain/dates.js';
import { previousPeriod } from '../shared/domain/schedule.js';

const RemindersEvent = z.object({ period: z.string().refine(isValidPeriod, 'period must be YYYY-MM').optional() });

export interface RemindersDeps extends ReminderNoticeDeps, HandlerOptions {
  readonly config: ReminderNoticeDeps['config'] & Pick<BackOfficeConfig, 'businessTimeZone' | 'metricsNamespace'>;
}

/**
 * On the 4th: the previous month's reports that are missing or late, one log line each, each
 * dealer told its own and the after-sales department the list. A run that could not mail
 * everything fails after keeping every message, so the scheduler's retry mails the rest.
 */
export function remindersHandler(deps: RemindersDeps) {
  const { logger, metrics, wrap } = powertools({ service: 'reminders', metrics: { namespace: deps.config.metricsNamespace }, logLevel: deps.logLevel });

  async function handle(event: unknown, _context: Context) {
    const input = RemindersEvent.parse(event ?? {});
    const period = input.period ?? previousPeriod(businessDateOf(deps.clock.now(), deps.config.businessTimeZone));
    const { followUps, told, failed } = await reportingFailure(deps, { name: 'reminders', run: period, runbook: 'Reminders' }, () => reportReminders(deps, period));
    for (const failure of failed) logger.error('dealer failed in the reminders; the others were told', { period, ...failure });
    metrics.addMetric('DealersFailed', MetricUnit.Count, failed.length);
    for (const followUp of followUps) logger.warn('report to follow up', { period, ...followUp });
    logger.info('reminders done', { period, missing: followUps.filter((f) => f.status === 'missing').length, late: followUps.filter((f) => f.status === 'late').length, messages: told.length });
    return { period, followUps, failed };
  }

  return wrap(handle);
}

export const handler = lazily(() => remindersHandler(compose()));
