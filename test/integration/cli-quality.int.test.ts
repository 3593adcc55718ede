import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { backoffice as run } from '../helpers/cli.js';
import { callWorkbook, complaintRow, complaintWorkbook } from '../helpers/complaints.js';
import { installationRow, masterWorkbook, repairRow, reportWorkbook } from '../helpers/reports.js';

/**
 * The issue's "Done when", as an outside script runs it (../shared/cli.md): October for D001,
 * six repairs (RP-2 reached after 30 hours, RP-3 completed three days after the call, RP-4
 * 不满意) and one complaint that is the service's fault; 陈小姐's WC-800 installed, repaired
 * twice with parts, and complained about.
 */
let dir: string;
const backoffice = (...args: string[]) => run(dir, ...args);
const file = (name: string) => join(dir, name);

const UNIT = { product_model: 'WC-800', serial_no: 'SN-WC-0001' };
const OWNER = { owner_name: '陈小姐', phone: '13912345678' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backoffice-quality-'));
  await writeFile(file('master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
  await writeFile(file('installations.xlsx'), await reportWorkbook('installation', [installationRow({ ...UNIT, ...OWNER })]));
  await writeFile(file('repairs.xlsx'), await reportWorkbook('repair', [
    repairRow({ repair_id: 'RP-1', ...UNIT, ...OWNER }),
    repairRow({ repair_id: 'RP-1', ...UNIT, ...OWNER, part_code: 'P-SEAL-03', part_qty: 2, called_at: null, arrived_at: null, completed_date: null }),
    repairRow({ repair_id: 'RP-2', serial_no: 'SN-WC-0002', called_at: '2026-10-12 08:00', arrived_at: '2026-10-13 14:00', completed_date: '2026-10-13' }),
    repairRow({ repair_id: 'RP-3', serial_no: 'SN-WC-0003', called_at: '2026-10-14 09:00', arrived_at: '2026-10-14 16:00', completed_date: '2026-10-17' }),
    repairRow({ repair_id: 'RP-4', serial_no: 'SN-WC-0004', satisfaction: '不满意' }),
    repairRow({ repair_id: 'RP-5', serial_no: 'SN-WC-0005', satisfaction: '基本满意' }),
    repairRow({ repair_id: 'RP-6', ...UNIT, ...OWNER, called_at: '2026-10-25 09:00', arrived_at: '2026-10-25 11:00', completed_date: '2026-10-25', fault_description: '冲水无力', fault_cause: '密封圈老化', action_taken: '更换密封圈', part_code: 'P-SEAL-03', part_qty: 1 }),
  ]));
  await writeFile(file('complaints.xlsx'), await complaintWorkbook([complaintRow()]));
  const setup = [
    await backoffice('master', 'import', file('master.xlsx')),
    await backoffice('ingest', file('installations.xlsx'), '--type', 'installation', '--dealer', 'D001', '--period', '2026-10', '--received-at', '2026-11-02T10:00:00+08:00'),
    await backoffice('ingest', file('repairs.xlsx'), '--type', 'repair', '--dealer', 'D001', '--period', '2026-10', '--received-at', '2026-11-02T10:00:00+08:00'),
    await backoffice('complaints', 'import', file('complaints.xlsx'), '--json'),
  ];
  expect(setup.map((r) => [r.code, r.stderr, r.code === 0 ? '' : r.stdout])).toEqual(setup.map(() => [0, '', '']));
  expect(JSON.parse(setup[3]!.stdout)).toMatchObject({ status: 'accepted', counts: { records: 1, recorded: 1, already_recorded: 0 } });
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backoffice scorecard', () => {
  it("gives D001 83.3 % reached (fail), one 48-hour breach, 83.3 % satisfied (fail) and 16.6 % complaints (1/6 truncated, fail), each naming the record", async () => {
    const { code, stdout } = await backoffice('scorecard', '--period', '2026-10', '--dealer', 'D001', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      period: '2026-10',
      dealers: [{
        dealer: 'D001',
        repairs: 6,
        reached_24h: { value: '83.3', target: '90.0', pass: false, breaches: ['RP-2'] },
        completed_48h: { value: '83.3', target: '100.0', pass: false, breaches: ['RP-3'] },
        satisfaction: { value: '83.3', target: '85.0', pass: false, breaches: ['RP-4'] },
        complaint_rate: { value: '16.6', target: '3.0', pass: false, breaches: ['C001'] },
        fixed_24h: { value: '83.3', target: null, pass: null, breaches: ['RP-3'] },
        fixed_48h: { value: '83.3', target: '100.0', pass: false, breaches: ['RP-3'] },
        verified: {
          sampled: 3, called: 0, reached: { value: null, of: 0 },
          confirmed: { value: null, reported: null, of: 0, flag: false }, satisfaction: { value: null, reported: null, of: 0, flag: false },
          margin: '10.0', flag: false,
        },
        // Late steps are measured against the clock of the run: their rule is tested with a pinned clock in test/unit/app/quality.test.ts.
        overdue_steps: expect.any(Array),
      }],
    });
  });

  it('prints the same verdicts for a reader', async () => {
    const { code, stdout } = await backoffice('scorecard', '--period', '2026-10');
    expect(code).toBe(0);
    expect(stdout).toContain('D001  2026-10  6 repairs');
    expect(stdout).toMatch(/reached within 24 h\s+83\.3 %.*FAIL\s+breaches: RP-2/);
  });

  it('refuses an unknown dealer in both languages with exit 1, and a malformed month as wrong usage', async () => {
    const unknown = await backoffice('scorecard', '--period', '2026-10', '--dealer', 'D999', '--json');
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: 'not_found', message: expect.stringContaining('D999'), message_zh: expect.stringContaining('D999') } });
    expect((await backoffice('scorecard', '--period', '2026-13')).code).toBe(2);
  });
});

describe('backoffice complaints record | update | list | show', () => {
  it('records a complaint at receipt, takes its steps one at a time, lists what is late and shows its history; bad input exits 1 naming the field', async () => {
    const recorded = await backoffice('complaints', 'record', '--id', 'C-CLI-1', '--dealer', 'D001', '--received-at', '2026-10-28T09:00:00', '--customer', '孙先生', '--phone', '13800000000', '--category', 'timeliness', '--json');
    expect([recorded.code, JSON.parse(recorded.stdout).status]).toEqual([0, 'recorded']);
    const other = await backoffice('complaints', 'record', '--id', 'C-CLI-1', '--dealer', 'D002', '--received-at', '2026-10-28T09:00:00', '--customer', '孙先生', '--phone', '13800000000', '--category', 'timeliness', '--json');
    expect([other.code, JSON.parse(other.stdout).status]).toEqual([1, 'conflict']);
    const late = await backoffice('complaints', 'list', '--overdue', '--as-of', '2026-10-29T10:00:00+08:00', '--json');
    expect(JSON.parse(late.stdout).complaints.find((c: { complaint_id: string }) => c.complaint_id === 'C-CLI-1')).toMatchObject({ dealer: 'D001', state: 'received', service_fault: null, overdue: ['first_reply'] });
    const noReason = await backoffice('complaints', 'update', 'C-CLI-1', '--service-fault', 'yes');
    expect([noReason.code, noReason.stderr]).toEqual([1, expect.stringContaining('reason')]);
    const step = await backoffice('complaints', 'update', 'C-CLI-1', '--first-reply-at', '2026-10-28T10:00', '--service-fault', 'no', '--reason', '客户改约', '--compensation', '50', '--json');
    expect([step.code, JSON.parse(step.stdout).complaint]).toEqual([0, expect.objectContaining({ version: 2, compensation: '50.00', service_fault: false })]);
    const shown = await backoffice('complaints', 'show', 'C-CLI-1', '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ state: 'replied', history: [{ field: 'first_reply_at', by: 'cli' }, { field: 'service_fault', to: false, reason: '客户改约' }, { field: 'compensation', to: '50.00' }] });
    expect((await backoffice('complaints', 'show', 'C-NONE')).code).toBe(1);
  });
});

describe('backoffice verification record', () => {
  it("records the maker's call about a sampled repair (满意度 as the report writes it), refuses a repair outside the sample with exit 1 in both languages, and the scorecard flags the shortfall", async () => {
    const sample = JSON.parse((await backoffice('verification', 'sample', '--period', '2026-10', '--json')).stdout).dealers[0].sampled as string[];
    const outside = ['RP-1', 'RP-2', 'RP-3', 'RP-4', 'RP-5', 'RP-6'].find((id) => !sample.includes(id))!;
    const recorded = await backoffice('verification', 'record', sample[0]!, '--dealer', 'D001', '--reached', 'yes', '--confirmed', 'no', '--satisfaction', '不满意', '--json');
    expect([recorded.code, JSON.parse(recorded.stdout)]).toEqual([0, expect.objectContaining({ status: 'recorded', call: expect.objectContaining({ period: '2026-10', confirmed: false, satisfaction: 'dissatisfied', recorded_by: 'cli' }) })]);
    const refused = await backoffice('verification', 'record', outside, '--dealer', 'D001', '--reached', 'no');
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(new RegExp(`${outside}.*not in the maker's sample[\\s\\S]*抽查样本`))]);
    const card = JSON.parse((await backoffice('scorecard', '--period', '2026-10', '--dealer', 'D001', '--json')).stdout).dealers[0];
    expect(card.verified).toMatchObject({ called: 1, confirmed: { value: '0.0', reported: '100.0', of: 1, flag: true }, flag: true });
  });

  it('imports the return-call workbook: a file with a repair outside the sample exits 1 naming the row and writes the marked workbook; a clean one exits 0', async () => {
    const sample = JSON.parse((await backoffice('verification', 'sample', '--period', '2026-10', '--json')).stdout).dealers[0].sampled as string[];
    const outside = ['RP-1', 'RP-2', 'RP-3', 'RP-4', 'RP-5', 'RP-6'].find((id) => !sample.includes(id))!;
    await writeFile(file('bad-calls.xlsx'), await callWorkbook([{ dealer_code: 'D001', repair_id: sample[1], reached: '否' }, { dealer_code: 'D001', repair_id: outside, reached: '是' }]));
    const refused = await backoffice('verification', 'import', file('bad-calls.xlsx'), '--report-out', file('bad-calls-marked.xlsx'));
    expect([refused.code, refused.stdout]).toEqual([1, expect.stringMatching(new RegExp(`rejected: 1 error[\\s\\S]*row 4, repair_id "${outside}": [\\s\\S]*抽查样本`))]);
    expect((await stat(file('bad-calls-marked.xlsx'))).size).toBeGreaterThan(0);
    await writeFile(file('calls.xlsx'), await callWorkbook([{ dealer_code: 'D001', repair_id: sample[1], reached: '否' }]));
    const accepted = await backoffice('verification', 'import', file('calls.xlsx'), '--json');
    expect([accepted.code, JSON.parse(accepted.stdout)]).toEqual([0, expect.objectContaining({ status: 'accepted', counts: expect.objectContaining({ calls: 1, recorded: 1 }) })]);
  });
});

describe('backoffice archive find', () => {
  it("finds the unit by its owner's phone written with full-width digits and spaces: installation, two repairs with parts, the complaint, in order", async () => {
    const { code, stdout, stderr } = await backoffice('archive', 'find', '--phone', '+86 １３９ １２３４ ５６７８', '--json');
    expect([code, stderr]).toEqual([0, '']);
    const { units } = JSON.parse(stdout);
    expect(units).toHaveLength(1);
    expect(units[0]).toMatchObject({ ...UNIT, owner: { name: '陈小姐', phone: '13912345678' } });
    expect(units[0].events.map((e: { kind: string; id: string }) => [e.kind, e.id])).toEqual([
      ['installation', 'IN-0001'],
      ['repair', 'RP-1'],
      ['complaint', 'C001'],
      ['repair', 'RP-6'],
    ]);
    expect(units[0].events[1]).toMatchObject({
      fault_description: '水箱不进水', fault_cause: '进水阀老化', action_taken: '更换进水阀',
      parts: [{ part_code: 'P-VALVE-01', part_qty: 1 }, { part_code: 'P-SEAL-03', part_qty: 2 }],
    });
    expect(units[0].events[3]).toMatchObject({ parts: [{ part_code: 'P-SEAL-03', part_qty: 1 }] });
    expect(units[0].events[2]).toMatchObject({ category: 'attitude', service_fault: true });
  });

  it('finds the same unit by serial number and by owner name', async () => {
    const bySerial = JSON.parse((await backoffice('archive', 'find', '--serial', ' SN-WC-0001 ', '--json')).stdout);
    const byOwner = JSON.parse((await backoffice('archive', 'find', '--owner', ' 陈 小姐', '--json')).stdout);
    expect(bySerial.units.map((u: { serial_no: string }) => u.serial_no)).toEqual(['SN-WC-0001']);
    expect(byOwner.units.map((u: { serial_no: string }) => u.serial_no)).toEqual(['SN-WC-0001']);
  });

  it('refuses a one-character term in both languages with exit 1', async () => {
    const { code, stdout } = await backoffice('archive', 'find', '--owner', '陈', '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'invalid', message: expect.stringContaining('at least 2'), message_zh: expect.stringContaining('至少') } });
  });
});

describe('backoffice complaints import', () => {
  it('answers a re-import of the same file with "already recorded" and doubles nothing', async () => {
    const { code, stdout } = await backoffice('complaints', 'import', file('complaints.xlsx'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'accepted', counts: { records: 1, recorded: 0, updated: 0, already_recorded: 1 } });
  });

  it('refuses a file whole, by row and column in both languages: unknown dealer, unknown category, resolution before receipt, an id recorded with other facts', async () => {
    await writeFile(file('bad-complaints.xlsx'), await complaintWorkbook([
      complaintRow({ complaint_id: 'C100' }),
      complaintRow({ complaint_id: 'C101', dealer_code: 'D999' }),
      complaintRow({ complaint_id: 'C102', category: '天气' }),
      complaintRow({ complaint_id: 'C103', resolved_at: '2026-10-19 09:00' }),
      complaintRow({ complaint_id: 'C001', dealer_code: 'D002' }),
    ]));
    const { code, stdout } = await backoffice('complaints', 'import', file('bad-complaints.xlsx'), '--json');
    expect(code).toBe(1);
    const json = JSON.parse(stdout);
    expect(json.status).toBe('rejected');
    expect(json.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [4, 'dealer_code', 'unknown_dealer'],
      [5, 'category', 'invalid_choice'],
      [6, 'resolved_at', 'resolved_before_received'],
      [7, 'complaint_id', 'complaint_conflict'],
    ]);
    for (const error of json.errors) expect(error.message_zh).toMatch(/[\u4e00-\u9fff]/);
    const after = JSON.parse((await backoffice('scorecard', '--period', '2026-10', '--dealer', 'D001', '--json')).stdout);
    expect(after.dealers[0].complaint_rate.breaches).toEqual(['C001']);
  });
});

describe('backoffice dealer-archive', () => {
  it('rebuilds the read models of a span of months (no digest to keep after uploads that kept their own), and takes a reversed span as wrong usage', async () => {
    const { code, stdout } = await backoffice('read-models', 'rebuild', '--from', '2026-09', '--to', '2026-10', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ from: '2026-09', to: '2026-10', reports: expect.any(Number), digests_kept: 0, calls_listed: expect.any(Number), cases_listed: 0, open_complaints_listed: expect.any(Number), complaints_copied_to_dealers: expect.any(Number), period_heads_kept: 0, journal_heads_checked: expect.any(Number) });
    expect((await backoffice('read-models', 'rebuild', '--from', '2026-10', '--to', '2026-09')).code).toBe(2);
  });

  it('writes the dealer archive by region for a span of months', async () => {
    const { code, stdout } = await backoffice('dealer-archive', '--from', '2026-09', '--to', '2026-10', '--out', file('dealer-archive.xlsx'), '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ from: '2026-09', to: '2026-10', out: file('dealer-archive.xlsx') });
    const refused = await backoffice('dealer-archive', '--from', '2026-10', '--to', '2026-09', '--out', file('x.xlsx'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ends before it begins');
  });
});
