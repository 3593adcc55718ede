import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createBackOffice, type BackOffice } from '../../shared/compose.js';
import { ingestLedger } from '../../shared/app/ingest-ledger.js';
import type { DealerMessage } from '../../shared/app/reconcile-messages.js';
import type { LedgerStore } from '../../shared/app/ports.js';
import type { Dealer } from '../../shared/domain/master.js';
import { writeInvoiceWorkbook } from '../../shared/sheets/invoice-workbook.js';
import { reconcileHandler } from '../../functions/reconcile.js';
import { reconcileDealerHandler, type DealerHandlerDeps } from '../../functions/reconcile-dealer.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { freshStack } from '../helpers/local-stack.js';
import { ledgerWorkbook, returnRow, shipmentRow } from '../helpers/reports.js';

/**
 * The AWS fan-out against DynamoDB Local and s3rver. SQS has no local server, so the
 * planner's send port collects the messages and the test delivers them to the dealer
 * handler as SQS would: in batches, one of them twice, D002 failing through an injected
 * fault. Twelve dealers: the three demo dealers and nine with nothing to charge.
 *   D001 borrowed 4 valves on 2026-07-10 (due 2026-09-08), returned 1 → 3 × ¥35.50 = ¥106.50;
 *   D002 borrowed a control board on 2026-08-01 (45-day window, due 2026-09-15) → ¥268.00.
 */
const PERIOD = '2026-10';
const AS_OF = '2026-11-05';
const EXTRA_DEALERS: Dealer[] = Array.from({ length: 9 }, (_, i) => ({
  ...DEMO_DEALERS[0]!,
  dealer_code: `D1${String(i).padStart(2, '0')}`,
  dealer_name: `经销商 ${i}`,
}));
const context = lambdaContext('reconcile-dealer');

let config: BackOfficeConfig;
let adapters: BackOffice;
let deps: DealerHandlerDeps;

/** A ledger that fails for D002 only: a fault the real table cannot be made to produce for one dealer. */
function ledgerFailingFor(dealer: string): LedgerStore {
  const real = adapters.ledger;
  return Object.assign(Object.create(real) as LedgerStore, {
    dealerLedger: (code: string, upTo: string, from?: string) =>
      code === dealer ? Promise.reject(new Error('injected: the ledger could not be read')) : real.dealerLedger(code, upTo, from),
  });
}

/** Plans a run through the planner handler, returning the messages it sent, call by call. */
async function plan(event: object): Promise<{ response: Record<string, unknown>; sends: DealerMessage[][] }> {
  const sends: DealerMessage[][] = [];
  const planner = reconcileHandler({ ...adapters, dealerQueue: async (messages) => void sends.push([...messages]) });
  const response = (await planner(event, context)) as Record<string, unknown>;
  return { response, sends };
}

let delivered = 0;
const sqsEvent = (bodies: readonly string[]): SQSEvent =>
  ({ Records: bodies.map((body) => ({ messageId: `m-${++delivered}`, eventSource: 'aws:sqs', body, attributes: {}, messageAttributes: {} })) }) as unknown as SQSEvent;

/** The EMF records Powertools printed while `work` ran. */
async function emfDuring(work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    write.mockRestore();
  }
  return lines
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  config = await freshStack();
  adapters = createBackOffice(config);
  deps = { ...adapters, renderInvoice: writeInvoiceWorkbook };
  await adapters.master.save({ dealers: [...DEMO_DEALERS, ...EXTRA_DEALERS], products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  const receivedAt = new Date('2026-11-20T10:00:00+08:00');
  const shipments = await ledgerWorkbook('shipments', [
    shipmentRow(),
    shipmentRow({ shipment_id: 'S3', shipped_date: '2026-08-01', dealer_code: 'D002', part_code: 'P-BOARD-02', qty: 1 }),
  ]);
  const returns = await ledgerWorkbook('returns', [returnRow({ received_date: '2026-08-15' })]);
  for (const [type, bytes] of [['shipments', shipments], ['returns', returns]] as const) {
    const result = await ingestLedger({ ...adapters, config }, { bytes, type, receivedAt, sourceId: `setup-${type}` });
    expect(result.errors).toEqual([]);
  }
});

afterEach(() => vi.restoreAllMocks());

describe('the reconciliation fanned out one message per dealer', () => {
  let messages: DealerMessage[];
  let runId: string;

  it('plans the run, then sends every dealer once, at most ten per send', async () => {
    // Act
    const { response, sends } = await plan({ period: PERIOD, as_of: AS_OF });
    messages = sends.flat();
    runId = String(response.run_id);

    // Assess
    expect(sends.map((batch) => batch.length)).toEqual([10, 2]);
    expect(messages.map((m) => m.dealer).sort()).toEqual([...DEMO_DEALERS, ...EXTRA_DEALERS].map((d) => d.dealer_code).sort());
    expect(new Set(messages.map((m) => m.run_id))).toEqual(new Set([runId]));
    expect(response).toMatchObject({ period: PERIOD, as_of: AS_OF, status: 'running', dealers_sent: 12, dealers_total: 12 });
    expect(await adapters.reconciliations.findRun(PERIOD, AS_OF)).toMatchObject({ run_id: runId, status: 'running', dealers_total: 12, dealers_done: 0, failed: [] });
  });

  it('processes each dealer once, counts a redelivered message once, and lists the dealer that failed', async () => {
    // Prepare: D002's ledger cannot be read; D001's message is delivered again in the second batch.
    const dealerHandler = reconcileDealerHandler({ ...deps, ledger: ledgerFailingFor('D002') });
    const bodies = messages.map((m) => JSON.stringify(m));
    const d001 = bodies.find((b) => b.includes('"D001"'))!;
    const [first, second] = [bodies.slice(0, 6), [...bodies.slice(6), d001, 'not json']];

    // Act
    const responses: SQSBatchResponse[] = [];
    const emf = await emfDuring(async () => {
      for (const batch of [first, second]) responses.push((await dealerHandler(sqsEvent(batch), context)) as SQSBatchResponse);
    });

    // Assess: only the unreadable message goes back to the queue; D002's failure is recorded instead.
    expect(responses[0]!.batchItemFailures).toEqual([]);
    expect(responses[1]!.batchItemFailures).toEqual([{ itemIdentifier: `m-${delivered}` }]);
    const run = await adapters.reconciliations.findRun(PERIOD, AS_OF);
    expect(run).toMatchObject({ run_id: runId, status: 'done_with_failures', dealers_total: 12, dealers_done: 12 });
    expect(run?.failed).toEqual([{ dealer: 'D002', error: 'injected: the ledger could not be read' }]);
    expect(run?.finished_at).not.toBeNull();
    const invoices = await adapters.invoices.byPeriod(PERIOD);
    expect(invoices.map((i) => [i.dealer.code, i.total])).toEqual([['D001', 10650]]);
    expect((await adapters.reconciliations.dealerResults(PERIOD, AS_OF)).map((r) => r.dealer_code).sort()).toEqual(
      messages.map((m) => m.dealer).filter((d) => d !== 'D002').sort(),
    );
    // Metrics: one invoice of ¥106.50 over both batches, although D001 was delivered twice.
    const values = (name: string) => emf.flatMap((record) => (name in record ? [record[name]].flat() : [])) as number[];
    expect(values('InvoicesProduced')).toEqual([1]);
    expect(values('AmountChargedFen')).toEqual([10650]);
    expect(values('DealersFailed')).toEqual([1]);
    expect(values('DealersReconciled').reduce((a, b) => a + b, 0)).toBe(11);
  });

  it('retries the failed dealer inside the same run: the run ends done and the dealer is invoiced', async () => {
    // Act: the admin's test event names D002 once its ledger can be read again.
    const { response, sends } = await plan({ period: PERIOD, as_of: AS_OF, dealers: ['D002'] });
    const retry = sends.flat();
    const dealerHandler = reconcileDealerHandler(deps);
    const result = (await dealerHandler(sqsEvent(retry.map((m) => JSON.stringify(m))), context)) as SQSBatchResponse;

    // Assess
    expect(retry).toEqual([{ period: PERIOD, as_of: AS_OF, run_id: runId, dealer: 'D002' }]);
    expect(response).toMatchObject({ run_id: runId, dealers_sent: 1, dealers_total: 12 });
    expect(result.batchItemFailures).toEqual([]);
    expect(await adapters.reconciliations.findRun(PERIOD, AS_OF)).toMatchObject({ status: 'done', dealers_done: 12, failed: [] });
    const invoices = await adapters.invoices.byPeriod(PERIOD);
    expect(invoices.map((i) => [i.dealer.code, i.invoice_no, i.total]).sort()).toEqual([
      ['D001', 'FY-2026-10-0001', 10650],
      ['D002', 'FY-2026-10-0002', 26800],
    ]);
  });

  it('does not count the messages of a run that a newer run of the same month has replaced', async () => {
    // Prepare: a fresh run replaces the first one; a late message of the first arrives.
    const { response } = await plan({ period: PERIOD, as_of: AS_OF });
    const late = { period: PERIOD, as_of: AS_OF, run_id: runId, dealer: 'D003' };

    // Act
    await reconcileDealerHandler(deps)(sqsEvent([JSON.stringify(late)]), context);

    // Assess
    expect(response.run_id).not.toBe(runId);
    expect(await adapters.reconciliations.findRun(PERIOD, AS_OF)).toMatchObject({ run_id: response.run_id, status: 'running', dealers_done: 0 });
    expect(await adapters.invoices.byPeriod(PERIOD)).toHaveLength(2);
  });

  it('refuses a test event it cannot read, naming the field in English and Chinese', async () => {
    await expect(plan({ period: '2026-13', as_of: AS_OF })).rejects.toThrow(/period: period must be YYYY-MM \/ 期间格式应为 YYYY-MM/);
    await expect(plan({ period: PERIOD, as_of: AS_OF, dealers: ['D999'] })).rejects.toThrow(/D999.*主数据中没有经销商 D999/);
  });
});
