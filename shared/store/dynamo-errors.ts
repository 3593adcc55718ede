/**
 * How DynamoDB says a condition did not hold, read by name rather than by class so that an
 * error from any copy of the SDK is recognised.
 */

/** The per-item codes of a cancelled transaction, in the order of its items; undefined for any other error. */
export function cancellationCodes(error: unknown): string[] | undefined {
  if ((error as { name?: string }).name !== 'TransactionCanceledException') return undefined;
  return ((error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** True when a single conditional write was refused because its condition did not hold. */
export const isConditionFailure = (error: unknown): boolean => (error as { name?: string }).name === 'ConditionalCheckFailedException';
