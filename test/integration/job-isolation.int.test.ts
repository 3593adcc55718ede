import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlinesHandler } from '../../functions/deadlines.js';
import { remindersHandler } from '../../functions/reminders.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { lambdaContext } from '../../infra/local/lambda-context.js';
import { createBackOffice, createDocumentClient, type BackOffice } from '../../shared/compose.js';
import type { BackOfficeConfig } from '../../shared/config.js';
import { shipment } from '../helpers/ledger.js';
import { freshStack } from '../helpers/local-stack.js';

/**
 * Every scheduled job handles each dealer on its own (issue 24): one dealer whose data cannot
 * be read — the fault injected at the SDK edge, as DynamoDB would answer a broken item — is
 * recorded with its error and told to the admins, and every other dealer is still told.
 */
let config: BackOfficeConfig;
let outbox: string;
let office: BackOffice;
const broken = { dealer: 'D002' };

type Command = { constructor: { name: string }; input: { ExpressionAttributeValues?: Record<string, unknown>; Key?: Record<string, unknown> } };

/** A document client that fails every read naming the broken dealer's ledger or reports. */
function breakingClient(): DynamoDBDocumentClient {
  const real = createDocumentClient(config);
  const send = real.send.bind(real) as unknown as (command: unknown) => Promise<unknown>;
  const touchesBroken = (command: Command) => JSON.stringify([command.input.ExpressionAttributeValues ?? {}, command.input.Key ?? {}]).includes(broken.dealer);
  return new Proxy(real, {
    get: (target, property, receiver) =>
      property === 'send'
        ? (command: Command) => (touchesBroken(command) && command.constructor.name !== 'PutCommand' && command.constructor.name !== 'UpdateCommand'
          ? Promise.reject(Object.assign(new Error(`The provided key element does not match the schema (dealer ${broken.dealer})`), { name: 'ValidationException' }))
          : send(command))
        : Reflect.get(target, property, receiver),
  });
}

beforeAll(async () => {
  outbox = await mkdtemp(join(tmpdir(), 'isolation-outbox-'));
  config = await freshStack({ OUTBOX_DIR: outbox, NOTICE_ADMIN_EMAILS: 'aftersales@maker.example' });
  const setup = createBackOffice(config);
  await setup.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
  // A lot long overdue for every dealer.
  await setup.ledger.record('shipments', DEMO_DEALERS.map((d) => shipment({ shipment_id: `S-${d.dealer_code}`, dealer_code: d.dealer_code, shipped_date: '2026-06-01', qty: 2 })), 'isolation');
  office = createBackOffice(config, { dynamo: breakingClient() });
}, 120_000);

afterAll(async () => {
  await rm(outbox, { recursive: true, force: true });
});

describe("a scheduled job with one dealer's data broken", () => {
  it('the daily deadline job tells every other dealer, records the broken one with its error and tells the admins', async () => {
    // Act
    const outcome = await deadlinesHandler({ ...office, logLevel: 'CRITICAL' })({ as_of: '2026-11-04' }, lambdaContext('deadlines'));

    // Assess
    expect(outcome.failed).toEqual([{ dealer: 'D002', error: expect.stringContaining('does not match the schema') }]);
    for (const dealer of ['D001', 'D003']) {
      expect((await office.messages.list(dealer)).map((m) => m.kind)).toEqual(['lots_overdue']);
    }
    const admin = await office.messages.list('admin');
    expect(admin.map((m) => m.kind)).toEqual(['run_failed']);
    expect(admin[0]?.body.en).toContain('D002');
  });

  it("the 4th's reminders tell every other dealer of its missing reports and list the broken one for the department", async () => {
    // Act
    const outcome = await remindersHandler({ ...office, logLevel: 'CRITICAL' })({ period: '2026-10' }, lambdaContext('reminders'));

    // Assess
    expect(outcome.failed).toEqual([{ dealer: 'D002', error: expect.stringContaining('does not match the schema') }]);
    expect([...new Set(outcome.followUps.map((f) => f.dealer))]).toEqual(['D001', 'D003']);
    for (const dealer of ['D001', 'D003']) expect((await office.messages.list(dealer)).map((m) => m.kind)).toContain('reports_missing');
    expect((await office.messages.list('admin')).map((m) => m.kind).sort()).toEqual(['reports_follow_up', 'run_failed', 'run_failed']);
  });
});
