import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { backoffice as run } from '../helpers/cli.js';
import { installationRow, ledgerWorkbook, masterWorkbook, repairRow, reportWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';
import { requestRow, requestWorkbook } from '../helpers/requests.js';
import { atBusinessNoon } from '../helpers/business-clock.js';

/**
 * Issue 21, "Free parts leak out", replayed through the command line as the issue words it
 * (../shared/cli.md): each case gives the seed's answer now.
 */
let dir: string;
const backoffice = (...args: string[]) => run(dir, ...args);
const file = (name: string) => join(dir, name);
const json = (out: { stdout: string }) => JSON.parse(out.stdout);
// Decisions are taken today, in the business time zone: the command line's clock at noon of it,
// so that the file cannot run across business midnight.
const today = atBusinessNoon();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backoffice-warranty-'));
  await writeFile(file('master.xlsx'), await masterWorkbook({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS }));
  expect((await backoffice('master', 'import', file('master.xlsx'))).code).toBe(0);
}, 180_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('issue 21: free parts no longer leak out', () => {
  it('decides from the latest installation and ends the unboxing phase with the warranty', async () => {
    // Prepare: an FC-200 (12 months) bought 2015 whose commissioning failed; a WC-800 commissioned in October,
    // then September's failed commissioning of the same unit uploaded again afterwards
    const unit = { product_model: 'WC-800', serial_no: 'SN-WC-0001', purchase_date: '2026-09-10' };
    await writeFile(file('in-2015.xlsx'), await reportWorkbook('installation', [installationRow({ install_id: 'IN-2015', install_date: '2015-03-02', product_model: 'FC-200', serial_no: 'SN-FC-2015', purchase_date: '2015-03-01', commissioning: '不合格' })]));
    await writeFile(file('in-10.xlsx'), await reportWorkbook('installation', [installationRow({ ...unit, install_id: 'IN-10', install_date: '2026-10-08', commissioning: '合格' })]));
    await writeFile(file('in-09.xlsx'), await reportWorkbook('installation', [installationRow({ ...unit, install_id: 'IN-09', install_date: '2026-09-20', commissioning: '不合格' })]));
    await writeFile(file('request.xlsx'), await requestWorkbook([
      requestRow({ request_id: 'R-W-1', product_model: 'FC-200', serial_no: 'SN-FC-2015', purchase_date: '2015-03-01', repair_id: 'RP-2015' }),
      requestRow({ request_id: 'R-W-1', ...unit, repair_id: 'RP-WC' }),
    ]));
    for (const [name, period] of [['in-2015.xlsx', '2015-03'], ['in-10.xlsx', '2026-10'], ['in-09.xlsx', '2026-09']] as const) {
      expect((await backoffice('ingest', file(name), '--type', 'installation', '--dealer', 'D001', '--period', period, '--json')).code).toBe(0);
    }

    // Act
    const submitted = await backoffice('requests', 'submit', file('request.xlsx'), '--dealer', 'D001', '--json');

    // Assess: bought 2015, 12 months, commissioning failed, repaired 2026 → out of warranty, charged;
    // the unit commissioned in October stays in warranty, not "failed" again
    expect(submitted.code).toBe(0);
    expect(json(submitted).lines.map((l: Record<string, unknown>) => [l.line, l.proposed_kind, l.phase])).toEqual([
      [1, 'charged', 'out_of_warranty'],
      [2, 'warranty_loan', 'in_warranty'],
    ]);
  }, 600_000);

  it('refuses a special approval that does not say whether the part comes back, and a ship date before the approval', async () => {
    // Act
    const silent = await backoffice('requests', 'decide', 'R-W-1', '--line', '2', '--approve', '--kind', 'special_approval', '--reason', '客户急用', '--manager', '李经理', '--json');
    const said = await backoffice('requests', 'decide', 'R-W-1', '--line', '2', '--approve', '--kind', 'special_approval', '--return-required', 'yes', '--reason', '客户急用', '--manager', '李经理', '--json');
    const early = await backoffice('requests', 'ship', 'R-W-1', '--shipped-date', '2000-01-01', '--json');
    const shipped = await backoffice('requests', 'ship', 'R-W-1', '--shipped-date', today, '--json');

    // Assess
    expect(silent.code).toBe(1);
    expect(json(silent)).toMatchObject({ status: 'refused', code: 'return_required_missing', message: expect.stringContaining('--return-required'), message_zh: expect.any(String) });
    expect(said.code).toBe(0);
    expect(early.code).toBe(1);
    expect(json(early)).toMatchObject({ code: 'ship_before_approval', message: expect.stringContaining(today), message_zh: expect.stringContaining(today) });
    expect(shipped.code).toBe(0);
    // The special approval that requires a return forms a lot, with its deadline
    expect(json(shipped).shipped).toEqual([expect.objectContaining({ line: 2, state: 'shipped', due_date: expect.any(String) })]);
  }, 600_000);

  it('accepts a repair the customer did not confirm with a warning naming the row', async () => {
    // Prepare: RP-NO on row 3 was not confirmed (用户确认 否)
    await writeFile(file('repairs.xlsx'), await reportWorkbook('repair', [
      repairRow({ repair_id: 'RP-OK' }),
      repairRow({ repair_id: 'RP-NO', customer_confirmed: '否' }),
    ]));
    // Act
    const ingested = await backoffice('ingest', file('repairs.xlsx'), '--type', 'repair', '--dealer', 'D001', '--period', '2026-10', '--json');
    // Assess
    expect(ingested.code).toBe(0);
    expect(json(ingested).status).toBe('accepted');
    expect(json(ingested).warnings.filter((w: { code: string }) => w.code === 'unconfirmed_repair')).toEqual([
      expect.objectContaining({ row: 3, column: 'customer_confirmed', value: '否', message: expect.stringContaining('RP-NO'), message_zh: expect.stringContaining('未经客户确认') }),
    ]);
  }, 600_000);

  it('charges a flagged loan at the cost price once the old part has come back', async () => {
    // Prepare: RP-OLD (bought 2020) is out of warranty, yet its valve went out free; the old valve came back
    await writeFile(file('repairs-11.xlsx'), await reportWorkbook('repair', [
      repairRow({ repair_id: 'RP-OLD', serial_no: 'SN-OLD-9', purchase_date: '2020-01-01', called_at: '2026-11-03 09:00', arrived_at: '2026-11-03 15:00', completed_date: '2026-11-03' }),
    ]));
    await writeFile(file('shipments.xlsx'), await ledgerWorkbook('shipments', [shipmentRow({ shipment_id: 'S-FL-1', shipped_date: '2026-11-02', qty: 1, repair_id: 'RP-OLD' })]));
    await writeFile(file('returns.xlsx'), await ledgerWorkbook('returns', [returnRow({ return_id: 'R-FL-1', received_date: '2026-11-10', qty: 1 })]));
    expect((await backoffice('ingest', file('repairs-11.xlsx'), '--type', 'repair', '--dealer', 'D001', '--period', '2026-11')).code).toBe(0);
    expect((await backoffice('ingest', file('shipments.xlsx'), '--type', 'shipments')).code).toBe(0);
    expect((await backoffice('ingest', file('returns.xlsx'), '--type', 'returns')).code).toBe(0);

    // Act
    // A charge decided today lands on the current period's form.
    const charged = await backoffice('ledger', 'charge-loan', '--id', 'S-FL-1', '--line', '1', '--period', today.slice(0, 7), '--json');

    // Assess
    expect(charged.code).toBe(0);
    expect(json(charged).lines).toEqual([expect.objectContaining({ reason: 'flagged_loan', qty: 1, amount: '35.50' })]);
  }, 600_000);
});
