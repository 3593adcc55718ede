import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { lazily, powertools } from '../../shared/lambda.js';
import { loadConfig } from '../../shared/config.js';
import type { ApiDeps } from '../../functions/api.js';
import { apiHandler } from '../../functions/api.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';

describe('the handler shape', () => {
  it('builds a handler on its first invocation, once, so that importing a function builds nothing', async () => {
    // Prepare
    let builds = 0;
    const handler = lazily(() => {
      builds += 1;
      return async (event: number) => event * 2;
    });

    // Act
    const before = builds;
    const answers = [await handler(1, lambdaContext('test')), await handler(2, lambdaContext('test'))];

    // Assess
    expect(before).toBe(0);
    expect(answers).toEqual([2, 4]);
    expect(builds).toBe(1);
  });

  it('ties an invocation’s log lines to the request that caused it, and forgets it for the next', async () => {
    // Prepare
    const { logger, wrap } = powertools({ service: 'test', logLevel: 'CRITICAL' });
    const handler = wrap(async (_event: { id?: string }) => logger.getCorrelationId(), { correlationId: (event) => event.id });

    // Act
    const first = await handler({ id: 'request-1' }, lambdaContext('test'));
    const second = await handler({}, lambdaContext('test'));

    // Assess
    expect(first).toBe('request-1');
    expect(second).toBeUndefined();
  });
});

describe('the API function', () => {
  it('answers a failure it did not foresee with 500 in English and Chinese, and nothing of the failure', async () => {
    // Prepare: master data that cannot be read, and a dealer asking who they are
    const unreadable = { load: () => Promise.reject(new Error('secret table detail')) };
    const handler = apiHandler({ master: unreadable, config: loadConfig({}), logLevel: 'CRITICAL' } as unknown as ApiDeps);
    const event = {
      rawPath: '/api/me',
      requestContext: { requestId: 'request-1', http: { method: 'GET' }, authorizer: { jwt: { claims: { sub: 'dealer-d001', 'cognito:groups': '[dealer]', 'custom:dealer_code': 'D001' } } } },
    } as unknown as APIGatewayProxyEventV2;

    // Act
    const response = await handler(event, lambdaContext('api'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '')).toEqual({
      error: { code: 'internal_error', message: 'Something went wrong on our side; please try again', message_zh: '系统出错，请稍后重试' },
    });
    expect(response.body).not.toContain('secret');
  });
});
