import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { addDays } from '../../shared/domain/dates.js';
import { backoffice as run } from '../helpers/cli.js';
import { masterWorkbook } from '../helpers/reports.js';
import { requestRow, requestWorkbook, threeRepairs } from '../helpers/requests.js';
import { atBusinessNoon } from '../helpers/business-clock.js';

/**
 * The "Done when" through the command line (../shared/cli.md `requests`): a dealer
 * asks for three parts for three repairs — in warranty, out of warranty, cause misuse — the
 * department approves, the warehouse ships what may ship (the loan at once; the charged parts
 * wait for their payment), and the next reconciliation treats the loan like an uploaded shipment.
 */
let dir: string;
const backoffice = (...args: string[]) => run(dir, ...args);
const file = (name: string) => join(dir, name);
// The ship date is today, in the business time zone: the command line's clock at noon of it, so
// that the file cannot run across business midnight.
const today = atBusinessNoon();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backoffice-requests-'));
  await writeFile(file('master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
  await writeFile(file('request.xlsx'), await requestWorkbook(threeRepairs()));
  await writeFile(file('bad.xlsx'), await requestWorkbook([requestRow({ request_id: 'R-BAD', part_code: 'P-NOPE', qty: 0 })]));
  expect((await backoffice('master', 'import', file('master.xlsx'))).code).toBe(0);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backoffice requests', () => {
  it('takes a request in and answers each line with the warranty check', async () => {
    // Act
    const submitted = await backoffice('requests', 'submit', file('request.xlsx'), '--dealer', 'D001', '--json');
    const again = await backoffice('requests', 'submit', file('request.xlsx'), '--dealer', 'D001', '--json');
    // Assess
    expect(submitted.code).toBe(0);
    const json = JSON.parse(submitted.stdout);
    expect(json).toMatchObject({ request_id: 'R-2026-001', dealer: 'D001', status: 'submitted', errors: [] });
    expect(json.lines.map((l: Record<string, unknown>) => [l.line, l.purpose, l.proposed_kind, l.phase, l.unit_price])).toEqual([
      [1, 'repair', 'warranty_loan', 'in_warranty', null],
      [2, 'repair', 'charged', 'out_of_warranty', '4.80'],
      [3, 'repair', 'charged', 'in_warranty', '268.00'],
    ]);
    expect(json.lines[2].reason_zh).toContain('使用不当');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).errors[0]).toMatchObject({ column: 'request_id', code: 'request_exists' });
  }, 120_000);

  it('refuses a request with bad lines whole, with every error by row and column (exit 1)', async () => {
    const refused = await backoffice('requests', 'submit', file('bad.xlsx'), '--dealer', 'D001', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, 'part_code', 'unknown_part'],
      [3, 'qty', 'not_positive'],
    ]);
  }, 120_000);

  it('takes the decisions: a rejection without a reason is refused, a second decision on a line too, and approving a charged line makes its sale form', async () => {
    // Act
    const noReason = await backoffice('requests', 'decide', 'R-2026-001', '--line', '2', '--reject', '--json');
    const loan = await backoffice('requests', 'decide', 'R-2026-001', '--line', '1', '--approve', '--json');
    const twice = await backoffice('requests', 'decide', 'R-2026-001', '--line', '1', '--approve', '--json');
    const charged = await backoffice('requests', 'decide', 'R-2026-001', '--line', '3', '--approve', '--json');
    const usage = await backoffice('requests', 'decide', 'R-2026-001', '--line', '2', '--approve', '--reject');
    // Assess
    expect([noReason.code, loan.code, twice.code, charged.code, usage.code]).toEqual([1, 0, 1, 0, 2]);
    expect(JSON.parse(noReason.stdout)).toMatchObject({ status: 'refused', code: 'reason_required', message_zh: expect.any(String) });
    expect(JSON.parse(twice.stdout)).toMatchObject({ code: 'conflict' });
    expect(JSON.parse(charged.stdout)).toMatchObject({ line: { state: 'awaiting_payment' }, invoice: { total: '268.00', status: 'draft' } });
    const forms = JSON.parse((await backoffice('invoices', 'list', '--dealer', 'D001', '--json')).stdout);
    expect(forms).toEqual([expect.objectContaining({ kind: 'sale', total: '268.00' })]);
  }, 180_000);

  it('ships the loan at once and holds the unpaid charged part; the dealer sees the due date, and the next reconciliation charges the loan kept past it', async () => {
    // Act
    const shipped = await backoffice('requests', 'ship', 'R-2026-001', '--shipped-date', today, '--json');
    const nothingMore = await backoffice('requests', 'ship', 'R-2026-001', '--shipped-date', today, '--json');
    const listed = await backoffice('requests', 'list', '--dealer', 'D001', '--json');
    // Assess
    expect(shipped.code).toBe(0);
    const due = addDays(today, 60);
    expect(JSON.parse(shipped.stdout)).toMatchObject({ slip_no: 'FL-R-2026-001-1', shipped: [{ line: 1, state: 'shipped', due_date: due }] });
    expect(nothingMore.code).toBe(1);
    expect(JSON.parse(nothingMore.stdout).message).toContain('not paid');
    expect(JSON.parse(listed.stdout)[0].lines.map((l: { state: string }) => l.state)).toEqual(['shipped', 'proposed', 'awaiting_payment']);

    // Act: the month after the deadline
    const asOf = addDays(due, 1);
    const reconciled = await backoffice('reconcile', '--period', asOf.slice(0, 7), '--as-of', asOf, '--json');
    // Assess
    expect(reconciled.code).toBe(0);
    const possession = JSON.parse(reconciled.stdout).invoices.find((i: { kind: string }) => i.kind === 'possession');
    expect(possession.lines).toEqual([expect.objectContaining({ part_code: 'P-VALVE-01', qty: 1, reason: 'de_facto_possession', lot: expect.objectContaining({ shipment_id: 'FL-R-2026-001-1', due_date: due }) })]);
  }, 180_000);
});
