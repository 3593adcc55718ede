import { describe, expect, it } from 'vitest';
import { applyCaseStep, caseOf, isOverdue, mergeCases, type UnboxingCase } from '../../shared/domain/unboxing.js';
import { installationRecord } from '../helpers/month-fixtures.js';

const installation = installationRecord();

const opened = (): UnboxingCase => caseOf('D001', '2026-10', { ...installation, install_id: 'IN-1', install_date: '2026-10-10', unboxing_issue: ' 外观划伤 ' }, 2)!;

describe('an unboxing case', () => {
  it('is opened by an installation that names an unboxing problem, due the configured days after the installation, and overdue after that while open', () => {
    expect(caseOf('D001', '2026-10', { ...installation, unboxing_issue: null })).toBeUndefined();
    expect(caseOf('D001', '2026-10', { ...installation, unboxing_issue: '  ' })).toBeUndefined();
    expect(opened()).toMatchObject({ dealer: 'D001', install_id: 'IN-1', issue: '外观划伤', due_date: '2026-10-12', status: 'open', version: 0 });
    expect([isOverdue(opened(), '2026-10-12'), isOverdue(opened(), '2026-10-13')]).toEqual([false, true]);
  });

  it('takes its written plan, photos once each, and a closing note after the plan, with who and when; nothing once closed', () => {
    const step = (c: UnboxingCase, s: Parameters<typeof applyCaseStep>[1]) => {
      const r = applyCaseStep(c, s, 'admin', '2026-10-11T09:00:00');
      if (!('case' in r)) throw new Error(r.problems[0]!.message);
      return r.case;
    };
    expect(applyCaseStep(opened(), { kind: 'close', note: 'done' }, 'admin', '2026-10-11T09:00:00')).toMatchObject({ problems: [{ field: 'status' }] });
    expect(applyCaseStep(opened(), { kind: 'plan', text: ' ' }, 'admin', '2026-10-11T09:00:00')).toMatchObject({ problems: [{ field: 'plan' }] });
    const planned = step(step(step(opened(), { kind: 'photo', key: 'p/1.jpg' }), { kind: 'photo', key: 'p/1.jpg' }), { kind: 'plan', text: '更换面板' });
    expect(planned).toMatchObject({ status: 'planned', plan: { text: '更换面板', by: 'admin' }, photos: ['p/1.jpg'], version: 2 });
    expect(isOverdue(planned, '2027-01-01')).toBe(false);
    const closed = step(planned, { kind: 'close', note: '已更换' });
    expect(closed).toMatchObject({ status: 'closed', closed: { note: '已更换' }, version: 3 });
    expect(applyCaseStep(closed, { kind: 'plan', text: 'x' }, 'admin', '2026-10-12T09:00:00')).toMatchObject({ problems: [{ field: 'status' }] });
  });

  it("lists the report's cases with what was stored of them, and keeps a case acted on after its row left the report", () => {
    const other = caseOf('D001', '2026-10', { ...installation, install_id: 'IN-0', install_date: '2026-10-01', unboxing_issue: '缺件' })!;
    const acted = { ...opened(), status: 'planned' as const, version: 1 };
    expect(mergeCases([other, opened()], [acted]).map((c) => [c.install_id, c.status])).toEqual([['IN-0', 'open'], ['IN-1', 'planned']]);
    expect(mergeCases([other], [acted]).map((c) => c.install_id)).toEqual(['IN-0', 'IN-1']);
  });
});
