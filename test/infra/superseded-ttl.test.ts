import { describe, expect, it } from 'vitest';
import { DEFAULT_SUPERSEDED_VERSION_TTL_DAYS } from '../../shared/config.js';
import { PROD_CONTEXT, synthesizedStack } from '../helpers/cdk-app.js';

/** The SUPERSEDED_VERSION_TTL_DAYS each Lambda function of a synthesized stack is given. */
function ttlDaysOfEveryFunction(context: Record<string, unknown> = {}): (string | undefined)[] {
  const { resources } = synthesizedStack({ context });
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::Lambda::Function' && (r.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.TABLE_NAME !== undefined)
    .map((r) => (r.Properties.Environment as { Variables: Record<string, string | undefined> }).Variables.SUPERSEDED_VERSION_TTL_DAYS);
}

describe("the days a superseded report version's rows are kept", () => {
  it('reach every function of the back office, 30 unless the stage says otherwise', () => {
    // Act
    const byDefault = ttlDaysOfEveryFunction();
    const prod = ttlDaysOfEveryFunction({ ...PROD_CONTEXT, 'backoffice:prod:supersededVersionTtlDays': 90 });
    // Assess
    expect(byDefault.length).toBeGreaterThanOrEqual(5);
    expect(new Set(byDefault)).toEqual(new Set([String(DEFAULT_SUPERSEDED_VERSION_TTL_DAYS)]));
    expect(DEFAULT_SUPERSEDED_VERSION_TTL_DAYS).toBe(30);
    expect(new Set(prod)).toEqual(new Set(['90']));
  });

  it('fail the synth when not a whole number of days', () => {
    expect(() => synthesizedStack({ context: { 'backoffice:supersededVersionTtlDays': 'a month' } })).toThrow(/SUPERSEDED_VERSION_TTL_DAYS/);
  });
});
