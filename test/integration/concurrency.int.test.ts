import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { correctLedgerLine } from '../../shared/app/finance/corrections.js';
import { decideRequestLine } from '../../shared/app/requests/decide.js';
import { shipRequest } from '../../shared/app/requests/ship.js';
import { submitRequestForm } from '../../shared/app/requests/submit.js';
import type { RequestDeps } from '../../shared/app/requests/deps.js';
import type { LedgerStore } from '../../shared/app/ports.js';
import type { NoticeEvent } from '../../shared/domain/notices.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { fixedClock } from '../helpers/memory/index.js';
import { loadWorkbook } from '../helpers/workbooks.js';
import { shipment } from '../helpers/ledger.js';
import { caller } from '../helpers/memory/world.js';

/**
 * The project's own concurrency suite (issue 24), on DynamoDB Local and s3rver: for each write
 * path that can race, N actors at once, then the invariants — one winner, nothing
 * half-written, history chained, the slip saying what the ledger says.
 */
let config: BackOfficeConfig;
let adapters: Adapters;

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
}, 120_000);

const settled = async <T>(work: readonly (() => Promise<T>)[]) => {
  const outcomes = await Promise.allSettled(work.map((w) => w()));
  return {
    won: outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])),
    refused: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { code?: string; message?: string; message_zh?: string }] : [])),
  };
};

async function slipText(key: string): Promise<string> {
  const book = await loadWorkbook(await adapters.blobs.get('reports', key));
  const texts: string[] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => texts.push(String(cell.value ?? '')))));
  return texts.join('\n');
}

describe('N ships of one request at once, each with another date', () => {
  it('lets exactly one through; the request, the mail, the slip and the ledger lot all say its date, and the others are told it is shipped (409)', async () => {
    // Prepare: a request of two gift lines and a loan-free part, approved.
    const told: NoticeEvent[] = [];
    const deps: RequestDeps = { ...adapters, config, clock: fixedClock('2026-12-05T02:00:00.000Z'), notices: { tell: async (event) => void told.push(event) } };
    await submitRequestForm(deps, {
      dealer: 'D001', request_id: 'R-RACE', requested_date: '2026-11-20',
      lines: [{ part_code: 'P-VALVE-01', qty: 2, purpose: 'gift' }, { part_code: 'P-SEAL-03', qty: 3, purpose: 'promotional' }], view: 'dealer',
    });
    // Approved on the day it was asked for: every ship date below comes after the approval.
    const approving = { ...deps, clock: fixedClock('2026-11-20T02:00:00.000Z') };
    for (const line of [1, 2]) await decideRequestLine(approving, { request_id: 'R-RACE', line, decision: { outcome: 'approved' }, by: 'admin-user' });
    const dates = ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26'];

    // Act
    const { won, refused } = await settled(dates.map((shipped_date) => () => shipRequest(deps, { request_id: 'R-RACE', shipped_date })));

    // Assess
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(dates.length - 1);
    for (const refusal of refused) expect(refusal).toMatchObject({ code: 'conflict', message: expect.any(String), message_zh: expect.any(String) });
    const winner = won[0]!;
    const request = await adapters.requests.find('D001', 'R-RACE');
    expect(request?.lines.map((l) => [l.shipping?.shipment_id, l.shipping?.shipped_date])).toEqual([[winner.slip_no, winner.shipped_date], [winner.slip_no, winner.shipped_date]]);
    const ledger = await adapters.ledger.find('shipments', [{ id: winner.slip_no, line: 1 }, { id: winner.slip_no, line: 2 }, { id: `${winner.slip_no.slice(0, -1)}2`, line: 1 }]);
    expect([...ledger.values()].map((l) => [l.shipment_id, l.line, l.shipped_date])).toEqual([[winner.slip_no, 1, winner.shipped_date], [winner.slip_no, 2, winner.shipped_date]]);
    expect(await adapters.blobs.list('reports', 'issue-slips/D001/')).toEqual([winner.slip_key]);
    const slip = await slipText(winner.slip_key);
    expect(slip).toContain(`Shipped ${winner.shipped_date}`);
    expect(dates.filter((d) => d !== winner.shipped_date).some((d) => slip.includes(d))).toBe(false);
    expect(told.flatMap((e) => (e.kind === 'request_shipped' ? [[e.shipment_id, e.shipped_date]] : []))).toEqual([[winner.slip_no, winner.shipped_date]]);
  }, 60_000);
});

describe('ten corrections of one ledger line at once', () => {
  it('takes the first to get there and tells the others to look again (409): previous_qty chains and the ledger reads the one accepted', async () => {
    // Prepare
    await adapters.ledger.record('shipments', [shipment({ shipment_id: 'S-CORR', qty: 50 })], 'setup');
    const deps = { ...adapters, clock: fixedClock('2026-12-05T02:00:00.000Z') };
    const quantities = Array.from({ length: 10 }, (_, i) => i + 1);

    // Act: all ten read the line at 50 (each waits at the read until all have read), then write.
    let arrived = 0;
    let release: () => void = () => undefined;
    const allRead = new Promise<void>((resolve) => (release = resolve));
    const ledger: LedgerStore = Object.assign(Object.create(adapters.ledger) as LedgerStore, {
      corrections: async (...args: Parameters<LedgerStore['corrections']>) => {
        const read = await adapters.ledger.corrections(...args);
        if (++arrived === quantities.length) release();
        await allRead;
        return read;
      },
    });
    const first = await settled(quantities.map((qty) => () => correctLedgerLine({ ...deps, ledger }, caller('admin'), { type: 'shipments', id: 'S-CORR', line: 1, qty, reason: `count ${qty}` })));
    // ...and a second round, each from what it reads now.
    const second = await settled(quantities.map((qty) => () => correctLedgerLine(deps, caller('admin'), { type: 'shipments', id: 'S-CORR', line: 1, qty: qty + 20, reason: `recount ${qty}` })));

    // Assess
    expect(first.won).toHaveLength(1);
    expect(second.won.length).toBeGreaterThanOrEqual(1);
    for (const refusal of [...first.refused, ...second.refused]) expect(refusal).toMatchObject({ code: 'conflict', message: expect.stringContaining('S-CORR line 1'), message_zh: expect.any(String) });
    const history = await adapters.ledger.corrections('D001', 'shipments', 'S-CORR', 1);
    expect(history).toHaveLength(first.won.length + second.won.length);
    expect(history.map((c) => c.sequence)).toEqual(history.map((_, i) => i + 1));
    history.forEach((c, i) => expect(c.previous_qty).toBe(i === 0 ? 50 : history[i - 1]!.qty));
    const { shipments } = await adapters.ledger.dealerLedger('D001', '2026-12-31');
    expect(shipments.find((l) => l.shipment_id === 'S-CORR')?.qty).toBe(history.at(-1)!.qty);
  }, 60_000);
});
