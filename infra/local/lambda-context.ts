import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/**
 * The invocation context Lambda hands a handler, as far as the handlers and Powertools read
 * it (the function's name, a fresh request id, time left), for the local runtime and the
 * tests that call a handler the way Lambda does.
 */
export function lambdaContext(functionName: string): Context {
  return { functionName, awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 900_000 } as unknown as Context;
}
