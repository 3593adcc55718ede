import * as z from 'zod';
import { isValidDate, isValidPeriod } from '../domain/dates.js';

const period = z.string().refine(isValidPeriod, 'period must be YYYY-MM / 期间格式应为 YYYY-MM');
const asOf = z.string().refine(isValidDate, 'as_of must be a date YYYY-MM-DD / 盘点日期格式应为 YYYY-MM-DD');
const dealerCode = z.string().trim().min(1, 'dealer code is empty / 经销商代码为空');

/**
 * What starts a reconciliation: the schedule sends `{}` (the previous month as of today); an
 * admin names a month and date from the console, and may name the dealers to retry.
 */
export const ReconcileEvent = z.strictObject({
  period: period.optional(),
  as_of: asOf.optional(),
  dealers: z.array(dealerCode).min(1, 'dealers, when given, names at least one dealer / 指定经销商时至少一个').optional(),
});
export type ReconcileEvent = z.infer<typeof ReconcileEvent>;

/** One dealer of one run: the body of each message on the reconciliation queue. */
export const DealerMessage = z.strictObject({
  period,
  as_of: asOf,
  run_id: z.string().min(1),
  dealer: dealerCode,
});
export type DealerMessage = z.infer<typeof DealerMessage>;

/** Sends up to ten dealer messages at once (one SQS SendMessageBatch); throws if any was not taken. */
export type SendDealerMessages = (messages: readonly DealerMessage[]) => Promise<void>;

/** SQS takes at most ten messages per SendMessageBatch. */
export const DEALER_MESSAGES_PER_SEND = 10;

/** Bilingual, one line per problem: what an admin sees when a test event is wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`).join('; ');
}
