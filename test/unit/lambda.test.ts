import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as z from 'zod';
import type { SQSRecord } from 'aws-lambda';
import { lazily, messageReader, powertools } from '../../shared/lambda.js';
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

describe('a queue message', () => {
  const read = messageReader(z.strictObject({ period: z.string() }), { en: 'a statistics request', zh: '统计请求' });
  const message = (body: string) => ({ messageId: 'm-1', body }) as SQSRecord;

  it('is read as the body its schema describes', () => {
    expect(read(message('{"period":"2026-10"}'))).toEqual({ period: '2026-10' });
  });

  it('that is not JSON, or not of its kind, is refused naming the message and what it should be, in both languages', () => {
    expect(() => read(message('period=2026-10'))).toThrow('message m-1 is not JSON / 消息不是 JSON');
    expect(() => read(message('{"month":"2026-10"}'))).toThrow(/^message m-1 is not a statistics request \/ 不是统计请求: .*period/);
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

  it('refuses a request that did not come through CloudFront when the stack gave it the secret, and takes one that did', async () => {
    // Prepare: the API function as deployed, with CloudFront's secret
    const secret = 'a-secret-of-32-characters-------';
    const master = { load: async () => ({ dealers: new Map(), products: new Map(), parts: new Map() }) };
    const handler = apiHandler({ master, config: loadConfig({ ORIGIN_VERIFY_SECRET: secret }), logLevel: 'CRITICAL' } as unknown as ApiDeps & { config: { originVerifySecret: string } });
    const request = (headers: Record<string, string>) =>
      ({
        rawPath: '/api/me',
        headers,
        requestContext: { requestId: 'request-2', http: { method: 'GET' }, authorizer: { jwt: { claims: { sub: 'finance-1', 'cognito:groups': '[finance]' } } } },
      }) as unknown as APIGatewayProxyEventV2;

    // Act
    const direct = await handler(request({}), lambdaContext('api'));
    const forged = await handler(request({ 'x-origin-verify': 'a-guess-of-32-characters--------' }), lambdaContext('api'));
    const viaCloudFront = await handler(request({ 'x-origin-verify': secret }), lambdaContext('api'));

    // Assess
    expect(direct.statusCode).toBe(403);
    expect(JSON.parse(direct.body ?? '').error.message_zh).toMatch(/门户/);
    expect(forged.statusCode).toBe(403);
    expect(viaCloudFront.statusCode).toBe(200);
  });

  it('behind the REST API (China, no authorizer) verifies the bearer token itself: the issuer, the audience and the expiry, refusing anything else with 401', async () => {
    // Prepare: the API function as the China stack deploys it, and an issuer's signing key
    const issuer = 'https://sso.maker.example.cn/realms/aftersales';
    const audience = 'backoffice-portal';
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const issuerKeys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
    const master = { load: async () => ({ dealers: new Map(), products: new Map(), parts: new Map() }) };
    const config = loadConfig({ OIDC_ISSUER: issuer, OIDC_AUDIENCE: audience, ROLE_CLAIM: 'roles', DEALER_CODE_CLAIM: 'dealer_code' });
    const handler = apiHandler({ master, config, issuerKeys, logLevel: 'CRITICAL' } as unknown as Parameters<typeof apiHandler>[0]);
    // The verifier checks expiry against the real clock, as API Gateway does: tokens relative to it.
    const now = Math.floor(Date.now() / 1000);
    const token = (claims: { iss?: string; aud?: string; exp?: number }) =>
      new SignJWT({ roles: ['dealer'], dealer_code: 'D001' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('dealer-user-1')
        .setIssuer(claims.iss ?? issuer)
        .setAudience(claims.aud ?? audience)
        .setIssuedAt(now - 60)
        .setExpirationTime(claims.exp ?? now + 3600)
        .sign(privateKey);
    const request = (headers: Record<string, string>) =>
      ({ httpMethod: 'GET', path: '/api/me', headers, queryStringParameters: null, body: null, isBase64Encoded: false, requestContext: { requestId: 'rest-1' } }) as unknown as APIGatewayProxyEvent;
    const call = (headers: Record<string, string>) => handler(request(headers) as never, lambdaContext('api'));

    // Act
    const signedIn = await call({ Authorization: `Bearer ${await token({})}` });
    const refused = [
      await call({}),
      await call({ Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
      await call({ Authorization: `Bearer ${await token({ exp: now - 600 })}` }),
      await call({ Authorization: `Bearer ${await token({ iss: 'https://another.example.cn' })}` }),
      await call({ Authorization: `Bearer ${await token({ aud: 'another-client' })}` }),
    ];

    // Assess: the caller from the verified token's configured claims; each bad one 401 in both languages
    expect(signedIn.statusCode).toBe(200);
    expect(JSON.parse(signedIn.body ?? '')).toMatchObject({ roles: ['dealer'], dealer: 'D001' });
    for (const response of refused) {
      expect(response.statusCode).toBe(401);
      expect(JSON.parse(response.body ?? '').error).toMatchObject({ code: 'unauthorized', message_zh: '请先登录' });
    }
  });

  it('answers 500, not 401, when the issuer cannot be reached to check a token: a good token is not refused for the issuer’s outage', async () => {
    // Prepare: the issuer's keys cannot be fetched
    const master = { load: async () => ({ dealers: new Map(), products: new Map(), parts: new Map() }) };
    const config = loadConfig({ OIDC_ISSUER: 'https://sso.maker.example.cn/realms/aftersales', OIDC_AUDIENCE: 'backoffice-portal' });
    const issuerKeys = async () => {
      throw new Error('connect ETIMEDOUT sso.maker.example.cn:443');
    };
    const handler = apiHandler({ master, config, issuerKeys, logLevel: 'CRITICAL' } as unknown as Parameters<typeof apiHandler>[0]);
    const token = `${Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1' })).toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u' })).toString('base64url')}.c2ln`;

    const request = (headers: Record<string, string>) =>
      ({ httpMethod: 'GET', path: '/api/me', headers, queryStringParameters: null, body: null, isBase64Encoded: false, requestContext: { requestId: 'rest-2' } }) as never;

    // Act
    const response = await handler(request({ authorization: `Bearer ${token}` }), lambdaContext('api'));
    const withoutToken = await handler(request({}), lambdaContext('api'));

    // Assess: a token that cannot be checked is our failure; no token at all is still the caller's
    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body ?? '').error.code).toBe('internal_error');
    expect(withoutToken.statusCode).toBe(401);
  });
});
