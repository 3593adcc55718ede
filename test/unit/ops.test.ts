import { describe, expect, it } from 'vitest';
import { preflight } from '../../cli/ops/preflight.js';
import { NoSourceQueue, redrive } from '../../cli/ops/redrive.js';
import { restoredTableName, restoreTable } from '../../cli/ops/restore.js';

/** An AWS SDK client stand-in (no AWS here): answers each command by its name, records what was sent. */
function stubClient(answer: (name: string, input: Record<string, unknown>) => unknown) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  return {
    calls,
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '');
      calls.push({ name, input: command.input });
      return answer(name, command.input);
    },
  };
}

describe('ops preflight', () => {
  it('passes a concurrency quota that leaves 100 unreserved after the planner’s one, and fails a new account’s 10, saying what to ask for', async () => {
    const quota = (value: number) => stubClient(() => ({ Quota: { Value: value } }));
    const good = quota(1000);
    expect(await preflight(good as never)).toEqual([expect.objectContaining({ name: 'lambda-concurrency', ok: true })]);
    expect(good.calls).toEqual([{ name: 'GetServiceQuota', input: { ServiceCode: 'lambda', QuotaCode: 'L-B99A9384' } }]);
    const [fresh] = await preflight(quota(10) as never);
    expect(fresh).toMatchObject({ ok: false, detail: expect.stringMatching(/quota is 10, at least 101 needed.*L-B99A9384/) });
    expect((await preflight(quota(100) as never))[0]!.ok).toBe(false);
    expect((await preflight(quota(101) as never))[0]!.ok).toBe(true);
  });
});

describe('ops redrive', () => {
  const dlq = 'https://sqs.cn-north-1.amazonaws.com.cn/1/BackOffice-IntakeDeadLetterQueue';
  const source = 'https://sqs.cn-north-1.amazonaws.com.cn/1/BackOffice-IntakeQueue';

  /** A dead-letter queue holding `count` messages, its source queue refusing the ids in `refuse`. */
  function queues(count: number, sources = [source], refuse = new Set<string>()) {
    const waiting = Array.from({ length: count }, (_, i) => ({ MessageId: `m${i}`, Body: `{"n":${i}}`, ReceiptHandle: `r${i}` }));
    const received: typeof waiting = [];
    const client = stubClient((name, input) => {
      if (name === 'GetQueueUrl') return { QueueUrl: dlq };
      if (name === 'ListDeadLetterSourceQueues') return { queueUrls: sources };
      if (name === 'ReceiveMessage') {
        const batch = waiting.splice(0, 10);
        received.push(...batch);
        return { Messages: batch };
      }
      if (name === 'SendMessageBatch') {
        const entries = input.Entries as { Id: string; MessageBody: string }[];
        return {
          Successful: entries.filter((e) => !refuse.has(e.MessageBody)).map((e) => ({ Id: e.Id })),
          Failed: entries.filter((e) => refuse.has(e.MessageBody)).map((e) => ({ Id: e.Id, Code: 'InvalidMessageContents', SenderFault: true })),
        };
      }
      return {};
    });
    return { client, waiting };
  }

  it('moves every message of the dead-letter queue back to its source queue by the SQS API, deleting only what was sent', async () => {
    const { client } = queues(23);

    const result = await redrive(client as never, 'BackOffice-IntakeDeadLetterQueue');

    expect(result).toEqual({ deadLetterQueue: dlq, sourceQueue: source, moved: 23 });
    const sent = client.calls.filter((c) => c.name === 'SendMessageBatch');
    expect(sent.map((c) => c.input.QueueUrl)).toEqual([source, source, source]);
    expect(sent.flatMap((c) => (c.input.Entries as { MessageBody: string }[]).map((e) => e.MessageBody))).toHaveLength(23);
    const deleted = client.calls.filter((c) => c.name === 'DeleteMessageBatch').flatMap((c) => (c.input.Entries as { ReceiptHandle: string }[]).map((e) => e.ReceiptHandle));
    expect(deleted).toHaveLength(23);
    expect(client.calls.some((c) => c.name === 'StartMessageMoveTask')).toBe(false);
  });

  it('keeps in the dead-letter queue what the source queue refused, and says so', async () => {
    const { client } = queues(3, [source], new Set(['{"n":1}']));
    await expect(redrive(client as never, dlq)).rejects.toThrow(/refused 1 message.*2 moved so far/);
    const deleted = client.calls.filter((c) => c.name === 'DeleteMessageBatch').flatMap((c) => (c.input.Entries as { ReceiptHandle: string }[]).map((e) => e.ReceiptHandle));
    expect(deleted).toEqual(['r0', 'r2']);
  });

  it('refuses a dead-letter queue that no queue feeds (schedules, asynchronous invocations)', async () => {
    const { client } = queues(2, []);
    await expect(redrive(client as never, dlq)).rejects.toBeInstanceOf(NoSourceQueue);
    expect(client.calls.some((c) => c.name === 'ReceiveMessage')).toBe(false);
  });
});

describe('ops restore', () => {
  it('restores the table as it was into a new one, waits until it and its index are active, then turns on PITR, TTL and deletion protection', async () => {
    let describes = 0;
    const client = stubClient((name) => {
      if (name !== 'DescribeTable') return {};
      describes += 1;
      return { Table: { TableStatus: describes < 3 ? 'CREATING' : 'ACTIVE', GlobalSecondaryIndexes: [{ IndexName: 'gsi1', IndexStatus: describes < 4 ? 'CREATING' : 'ACTIVE' }] } };
    });
    const toTime = new Date('2026-11-05T00:00:00Z');
    let clock = 0;

    const result = await restoreTable(client as never, { sourceTable: 'BackOffice-Table', targetTable: restoredTableName('BackOffice-Table', toTime), toTime }, { now: () => clock, sleep: async (ms) => void (clock += ms), pollMs: 30_000 });

    expect(result).toMatchObject({ targetTable: 'BackOffice-Table-restored-20261105T0000', seconds: 90 });
    expect(client.calls.map((c) => c.name)).toEqual([
      'RestoreTableToPointInTime', 'DescribeTable', 'DescribeTable', 'DescribeTable', 'DescribeTable', 'UpdateContinuousBackups', 'UpdateTimeToLive', 'UpdateTable',
    ]);
    expect(client.calls[0]!.input).toMatchObject({ SourceTableName: 'BackOffice-Table', TargetTableName: 'BackOffice-Table-restored-20261105T0000', RestoreDateTime: toTime });
    expect(client.calls[6]!.input).toMatchObject({ TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true } });
    expect(client.calls[7]!.input).toMatchObject({ DeletionProtectionEnabled: true });
  });
});
