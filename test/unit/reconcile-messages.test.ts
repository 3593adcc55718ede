import { describe, expect, it } from 'vitest';
import { DealerMessage, ReconcileEvent, describeIssues } from '../../shared/app/reconcile-messages.js';

describe('the reconcile event', () => {
  it('is empty from the schedule, and names a month, a date and dealers from the console', () => {
    expect(ReconcileEvent.parse({})).toEqual({});
    expect(ReconcileEvent.parse({ period: '2026-10', as_of: '2026-11-05', dealers: ['D002'] })).toEqual({
      period: '2026-10',
      as_of: '2026-11-05',
      dealers: ['D002'],
    });
  });

  it('refuses a wrong month, a wrong date, an empty dealer list and unknown fields, in English and Chinese', () => {
    const issues = (event: unknown) => {
      const parsed = ReconcileEvent.safeParse(event);
      return parsed.success ? '' : describeIssues(parsed.error);
    };
    expect(issues({ period: '2026-13' })).toBe('period: period must be YYYY-MM / 期间格式应为 YYYY-MM');
    expect(issues({ as_of: '05/11/2026' })).toBe('as_of: as_of must be a date YYYY-MM-DD / 盘点日期格式应为 YYYY-MM-DD');
    expect(issues({ dealers: [] })).toBe('dealers: dealers, when given, names at least one dealer / 指定经销商时至少一个');
    expect(issues({ perod: '2026-10' })).toMatch(/perod/);
  });
});

describe('the dealer message', () => {
  const message = { period: '2026-10', as_of: '2026-11-05', run_id: 'r-1', dealer: 'D001' };

  it('names the month, the date, the run and one dealer', () => {
    expect(DealerMessage.parse(message)).toEqual(message);
  });

  it('is refused without its run, or with a blank dealer', () => {
    expect(DealerMessage.safeParse({ ...message, run_id: undefined }).success).toBe(false);
    expect(DealerMessage.safeParse({ ...message, dealer: '  ' }).success).toBe(false);
  });
});
