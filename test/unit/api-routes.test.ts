import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { callerFromClaims, matchRoute, ROUTES } from '../../functions/api.js';
import { openApiDocument } from '../../infra/local/openapi.js';

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
