import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionPolicies, policiesJson } from '../../infra/local/iam/function-policies.js';
import { FUNCTION_PATHS, POLICIES_FILE } from '../../infra/local/iam/policy-file.js';
import { BackOfficeFunction } from '../../infra/constructs/node-function.js';
import { createTestApp } from '../helpers/cdk-app.js';

/**
 * The local IAM check (infra/local/iam/check.ts) evaluates calls against a precomputed copy
 * of each function's policies, so that no test process synthesizes. The copy must be the
 * template's: a grant changed in a construct without `npm run policies` fails here.
 */
describe('the policies the local IAM check evaluates', () => {
  // A stack of its own, as `npm run policies` builds it: compared with the one synthesizedStack()
  // shares between files, the policies differed in a whole infra run (not alone), cause not found.
  const { stack } = createTestApp();

  it('are those of a fresh synth (run `npm run policies` after changing a grant)', () => {
    expect(readFileSync(POLICIES_FILE, 'utf8')).toBe(policiesJson(functionPolicies(stack)));
  });

  it('cover every function bundled from this repository', () => {
    const bundled = stack.node.findAll().filter((c) => c instanceof BackOfficeFunction).map((c) => c.node.path.split('/').slice(1).join('/'));
    expect(bundled.sort()).toEqual(Object.values(FUNCTION_PATHS).sort());
  });
});
