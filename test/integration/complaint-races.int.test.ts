import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, createDocumentClient, type Adapters } from '../../shared/compose.js';
import { recordComplaint, updateComplaint, type ComplaintDeps } from '../../shared/app/quality/complaints.js';
import type { ComplaintStore } from '../../shared/app/ports.js';
import { complaintKeys } from '../../shared/store/keys.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { freshStack } from '../helpers/local-stack.js';
import { caller } from '../helpers/memory/world.js';

/**
 * Issue 24's complaint races on DynamoDB Local: two admins recording one complaint id at once,
 * and two changing one complaint at once. Never a silent overwrite: one goes through, the
 * other is told of the conflict (409).
 */
let config: BackOfficeConfig;
let adapters: Adapters;
let deps: ComplaintDeps;

const form = (complaint_id: string, customer_name: string) => ({
  complaint_id, received_at: '2026-10-20T10:00', dealer_code: 'D001', customer_name, phone: '13912345678', category: 'attitude',
});

/** The register as someone who read it before another wrote: every complaint looks unrecorded, or as first read. */
const staleReader = (store: ComplaintStore, seen: Awaited<ReturnType<ComplaintStore['find']>>): ComplaintStore =>
  Object.assign(Object.create(store) as ComplaintStore, { find: async () => new Map(seen) });

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  deps = { ...adapters, config, clock: { now: () => new Date('2026-11-02T02:00:00Z') } };
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
}, 120_000);

describe('two admins recording one complaint id', () => {
  it('at once, with different facts: one is recorded (201), the other told of the conflict (409), and what is stored is the one recorded', async () => {
    const answers = await Promise.all([recordComplaint(deps, caller('admin'), form('C-RACE-1', '陈小姐')), recordComplaint(deps, caller('admin'), form('C-RACE-1', '王先生'))]);
    expect(answers.map((a) => a.status).sort()).toEqual(['conflict', 'recorded']);
    const winner = answers.find((a) => a.status === 'recorded');
    const stored = (await adapters.complaints.find(['C-RACE-1'])).get('C-RACE-1');
    expect(stored?.customer_name).toBe(winner !== undefined && 'complaint' in winner ? winner.complaint.customer_name : undefined);
  });

  it('one after the other, the second having read the register before the first wrote: the conditional write refuses it', async () => {
    await recordComplaint(deps, caller('admin'), form('C-RACE-2', '陈小姐'));
    const second = await recordComplaint({ ...deps, complaints: staleReader(adapters.complaints, new Map()) }, caller('admin'), form('C-RACE-2', '王先生'));
    expect(second).toMatchObject({ status: 'conflict', errors: [{ column: 'complaint_id', code: 'complaint_conflict' }] });
    expect((await adapters.complaints.find(['C-RACE-2'])).get('C-RACE-2')).toMatchObject({ customer_name: '陈小姐', version: 1 });
  });
});

describe('two admins changing one complaint', () => {
  it('on the version both read: one step goes through, the other is refused (409) and changes nothing', async () => {
    await recordComplaint(deps, caller('admin'), form('C-RACE-3', '陈小姐'));
    const answers = await Promise.allSettled([
      updateComplaint(deps, caller('admin'), 'C-RACE-3', { first_reply_at: '2026-10-20T12:00' }, 1),
      updateComplaint(deps, caller('admin'), 'C-RACE-3', { service_fault: true, reason: '上门迟到' }, 1),
    ]);
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    expect(answers.filter((a) => a.status === 'rejected').map((a) => (a as PromiseRejectedResult).reason)).toEqual([expect.objectContaining({ code: 'conflict' })]);
    const stored = (await adapters.complaints.find(['C-RACE-3'])).get('C-RACE-3');
    expect(stored?.version).toBe(2);
    expect(stored?.history).toHaveLength(1);
  });

  it('after someone else changed it since it was read: refused on the version, and by the conditional write when the read was stale', async () => {
    await recordComplaint(deps, caller('admin'), form('C-RACE-4', '陈小姐'));
    const asRead = await adapters.complaints.find(['C-RACE-4']);
    await updateComplaint(deps, caller('admin'), 'C-RACE-4', { first_reply_at: '2026-10-20T12:00' }, 1);
    await expect(updateComplaint(deps, caller('admin'), 'C-RACE-4', { action_taken: '致歉' }, 1)).rejects.toMatchObject({ code: 'conflict' });
    await expect(updateComplaint({ ...deps, complaints: staleReader(adapters.complaints, asRead) }, caller('admin'), 'C-RACE-4', { action_taken: '致歉' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await adapters.complaints.find(['C-RACE-4'])).get('C-RACE-4')).toMatchObject({ version: 2, action_taken: null });
  });

  it('reads a complaint stored before its life was tracked as version 1, and takes its next step', async () => {
    const legacy = {
      complaint_id: 'C-OLD', received_at: '2026-09-01T10:00:00', dealer_code: 'D001', customer_name: '赵女士', phone: '1', product_model: null, serial_no: null,
      category: 'other', service_fault: false, action_taken: '解释', first_reply_at: '2026-09-01T11:00:00', resolved_at: null, follow_up_date: null, follow_up_outcome: null,
    };
    await createDocumentClient(config).send(new PutCommand({ TableName: config.tableName, Item: { ...complaintKeys.item('C-OLD'), gsi1pk: complaintKeys.monthGsi1pk('2026-09'), gsi1sk: complaintKeys.gsi1sk('D001', legacy.received_at, 'C-OLD'), ...legacy } }));
    expect((await adapters.complaints.find(['C-OLD'])).get('C-OLD')).toMatchObject({ version: 1, history: [], closed_at: null, compensation: null, service_fault: false });
    const step = await updateComplaint(deps, caller('admin'), 'C-OLD', { service_fault: true, reason: '复核：确属服务责任' }, 1);
    expect(step).toMatchObject({ status: 'updated', complaint: { version: 2, service_fault: true, history: [{ field: 'service_fault', from: false, to: true, reason: '复核：确属服务责任' }] } });
  });
});
