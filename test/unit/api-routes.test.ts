import { readFileSync } from 'node:fs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { callerFromClaims, createApi, matchRoute, ROUTES } from '../../functions/api.js';
import { openApiDocument } from '../../infra/local/openapi.js';
import { demoBackOffice } from './../helpers/memory/world.js';

const committed = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};

const documented = Object.entries(committed.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ path, method: method.toUpperCase() })));

describe('the OpenAPI document and the router', () => {
  it('docs/openapi.json is the document the router’s schemas make (run `npm run openapi` after changing a route)', () => {
    expect(committed).toEqual(openApiDocument());
  });

  it('documents every route', () => {
    for (const route of ROUTES) expect(documented).toContainEqual({ path: route.path, method: route.method });
  });

  it('every documented operation reaches a route of the router', () => {
    for (const { path, method } of documented) {
      const match = matchRoute(method, path.replace(/\{[a-z_]+\}/g, 'x'));
      expect(match.route?.path, `${method} ${path}`).toBe(path);
    }
  });
});

describe('the caller from the JWT authorizer’s claims', () => {
  it('reads groups as API Gateway passes a list claim on: one bracketed string', () => {
    const caller = callerFromClaims({ sub: 'u-1', 'cognito:groups': '[dealer finance]', 'custom:dealer_code': 'D001' });
    expect(caller).toEqual({ subject: 'u-1', roles: new Set(['dealer', 'finance']), dealer: 'D001' });
  });

  it('ignores groups that are no role of the back office', () => {
    expect(callerFromClaims({ sub: 'u-1', 'cognito:groups': ['superuser', 'warehouse'] })?.roles).toEqual(new Set(['warehouse']));
  });

  it('has no caller without a subject or with a malformed dealer code', () => {
    expect(callerFromClaims(undefined)).toBeNull();
    expect(callerFromClaims({ sub: 'u-1', 'custom:dealer_code': '../D002' })).toBeNull();
  });
});

describe('malformed requests: 400 with the body in both languages, never 500', () => {
  let api: ReturnType<typeof createApi>;
  beforeEach(async () => {
    api = createApi(await demoBackOffice(), { warn: () => undefined });
  });

  const claims = {
    dealer: { sub: 'd', 'cognito:groups': '[dealer]', 'custom:dealer_code': 'D002' },
    finance: { sub: 'f', 'cognito:groups': '[finance]' },
  };

  /** The router's answer to a request as API Gateway hands it on; `target` is the path with its query. */
  async function ask(who: keyof typeof claims, method: string, target: string, body?: unknown) {
    const url = new URL(target, 'https://portal.example');
    const event = {
      rawPath: url.pathname,
      queryStringParameters: url.search === '' ? undefined : Object.fromEntries(url.searchParams),
      requestContext: { http: { method }, authorizer: { jwt: { claims: claims[who] } } },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    } as unknown as APIGatewayProxyEventV2;
    const answer = await api(event);
    return { status: answer.statusCode, error: (JSON.parse(String(answer.body)) as { error?: { code: string; message: string; message_zh: string } }).error };
  }

  it('refuses a month outside 2000-01 to 2099-12 wherever a period is taken', async () => {
    const answers = [
      await ask('dealer', 'POST', '/api/dealers/D002/uploads', { type: 'repair', period: '9999-12' }),
      await ask('dealer', 'GET', '/api/dealers/D002/reports?period=9999-12'),
      await ask('dealer', 'GET', '/api/dealers/D002/reports?period=0000-01'),
      await ask('finance', 'GET', '/api/statistics/0000-01'),
      await ask('finance', 'GET', '/api/invoices?period=1999-12'),
    ];
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 400, error: { code: 'invalid_request', message: expect.stringContaining('2000-01 to 2099-12') } });
      expect(answer.error?.message_zh).toContain('2000-01 至 2099-12');
    }
  });

  it('takes a version number only as plain digits: not 1e0, 0x1, " 1", 0 or -1', async () => {
    for (const version of ['1e0', '0x1', '%201', '0', '-1', '01', '1.0', '9999999999']) {
      const answer = await ask('dealer', 'GET', `/api/dealers/D002/reports/repair/2026-10/versions/${version}`);
      expect([version, answer.status, answer.error?.message_zh]).toEqual([version, 400, expect.stringContaining('version 格式不正确')]);
    }
    expect((await ask('dealer', 'GET', '/api/dealers/D002/reports/repair/2026-10/versions/1')).status).toBe(404);
  });

  it('refuses a page cursor it did not give, and a page size outside 1 to 100, in both languages', async () => {
    const answers = [
      await ask('finance', 'GET', '/api/balances?cursor=not-a-cursor'),
      await ask('finance', 'GET', `/api/balances?cursor=${Buffer.from('{"after":1}').toString('base64url')}`),
      await ask('finance', 'GET', '/api/balances?limit=0'),
      await ask('finance', 'GET', '/api/balances?limit=101'),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400]);
    expect(answers[0]?.error).toMatchObject({ code: 'invalid', message: expect.stringContaining('cursor'), message_zh: expect.stringContaining('翻页标记') });
    expect(answers[2]?.error?.message_zh).toContain('limit 格式不正确，应为每页条数，1 至 100');
    expect(answers[3]?.error?.message_zh).toContain('limit 格式不正确');
  });

  it('says what is wrong in Chinese alone, naming the parameter, while the English stays zod’s', async () => {
    // Act
    const option = await ask('dealer', 'POST', '/api/dealers/D002/uploads', { type: 'invoice', period: '2026-10' });
    const missing = await ask('dealer', 'POST', '/api/dealers/D002/uploads', { type: 'repair' });
    const wrongType = await ask('dealer', 'POST', '/api/dealers/D002/uploads', { type: 'repair', period: 202610 });
    const unknown = await ask('dealer', 'POST', '/api/dealers/D002/uploads', { type: 'repair', period: '2026-10', dealer: 'D001' });
    const badId = await ask('dealer', 'GET', '/api/dealers/D002/uploads/repair/2026-10/not-a-uuid');
    // Assess
    expect(option.error?.message).toContain('Invalid option');
    expect(option.error?.message_zh).toBe('请求参数有误：type 的可选值为 installation、repair');
    expect(missing.error?.message_zh).toBe('请求参数有误：缺少参数 period');
    expect(wrongType.error?.message_zh).toBe('请求参数有误：period 的类型不正确，应为文本');
    expect(unknown.error?.message_zh).toBe('请求参数有误：不支持的参数：dealer');
    expect(badId.error?.message_zh).toBe('请求参数有误：upload_id 格式不正确，应为上传编号（UUID）');
    for (const answer of [option, missing, wrongType, unknown, badId]) {
      expect(answer.status).toBe(400);
      // Beyond the parameter names and the values a parameter may take, no Latin text: none of zod's English.
      expect(answer.error?.message_zh.replace(/\b(type|period|dealer|upload_id|installation|repair|UUID)\b/g, '')).not.toMatch(/[A-Za-z]/);
    }
  });
});
