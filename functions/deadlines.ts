import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { BackOfficeConfig } from '../shared/config.js';
import { compose } from '../shared/compose.js';
import { lazily, powertools, type HandlerOptions } from '../shared/lambda.js';
import { deadlineNotices, reportingFailure, type DeadlineNoticeDeps } from '../shared/app/notices/jobs.js';
import { businessDateOf, isValidDate } from '../shared/domain/dates.js';

const DeadlinesEvent = z.object({ as_of: z.string().refine(isValidDate, 'as_of must be YYYY-MM-DD').optional() });

export interface DeadlinesDeps extends DeadlineNoticeDeps, HandlerOptions {
  readonly config: DeadlineNoticeDeps['config'] & Pick<BackOfficeConfig, 'businessTimeZone'>;
}

/**
 * Every day: each dealer told of its lots due within 7 days and of its lots overdue and not
 * yet charged, with what each would cost at today's price. A retried run mails nothing twice;
 * a failed one is told to the admins.
 */
export function deadlinesHandler(deps: DeadlinesDeps) {
  const { logger, wrap } = powertools({ service: 'deadlines', logLevel: deps.logLevel });

  async function handle(event: unknown, _context: Context) {
    const input = DeadlinesEvent.parse(event ?? {});
    const as_of = input.as_of ?? businessDateOf(deps.clock.now(), deps.config.businessTimeZone);
    const { told } = await reportingFailure(deps, { name: 'deadlines', run: as_of, runbook: 'The daily deadline job' }, () => deadlineNotices(deps, as_of));
    logger.info('deadline notices done', { as_of, messages: told.length, new: told.filter((t) => t.created).length });
    return { as_of, messages: told.length };
  }

  return wrap(handle);
}

export const handler = lazily(() => deadlinesHandler(compose()));
