import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { loadConfig } from '../shared/config.js';
import { createAdapters } from '../shared/store/adapters.js';
import { reportFollowUps } from '../shared/app/reminders.js';
import { businessDateOf, isValidPeriod } from '../shared/domain/dates.js';
import { previousPeriod } from '../shared/domain/schedule.js';

const logger = new Logger({ serviceName: 'reminders' });
const tracer = new Tracer({ serviceName: 'reminders' });
const config = loadConfig();
const adapters = createAdapters(config);

const RemindersEvent = z.object({ period: z.string().refine(isValidPeriod, 'period must be YYYY-MM').optional() });

/** On the 4th: the previous month's reports that are missing or late, one log line each for follow-up. */
async function handle(event: unknown, _context: Context) {
  const input = RemindersEvent.parse(event ?? {});
  const period = input.period ?? previousPeriod(businessDateOf(new Date(), config.businessTimeZone));
  const followUps = await reportFollowUps(adapters, period);
  for (const followUp of followUps) logger.warn('report to follow up', { period, ...followUp });
  logger.info('reminders done', { period, missing: followUps.filter((f) => f.status === 'missing').length, late: followUps.filter((f) => f.status === 'late').length });
  return { period, followUps };
}

export const handler = middy(handle).use(captureLambdaHandler(tracer)).use(injectLambdaContext(logger));
