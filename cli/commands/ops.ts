import { environmentNamesResources } from '../../infra/local/stack.js';
import { loadConfig } from '../../shared/config.js';
import { EXIT, parse, required, UsageError, type Io } from '../args.js';

/** The ops commands act on AWS; locally there is no quota, queue or point in time to act on. */
function refuseLocally(io: Io, what: string): boolean {
  if (environmentNamesResources()) return false;
  io.err(`ops ${what} acts on AWS: run it with the stack's credentials and region (AWS_REGION, TABLE_NAME), not against npm start · 该命令只用于 AWS 环境`);
  return true;
}

/** `ops preflight [--json]`: the account's quotas a deploy needs, read-only (Service Quotas). */
async function preflightCommand(rest: string[], io: Io): Promise<number> {
  const { values } = parse(rest, {});
  if (refuseLocally(io, 'preflight')) return EXIT.refused;
  const [{ ServiceQuotasClient }, { preflight }] = await Promise.all([import('@aws-sdk/client-service-quotas'), import('../ops/preflight.js')]);
  const checks = await preflight(new ServiceQuotasClient({ region: loadConfig().region }));
  if (values.json) io.out(JSON.stringify({ ok: checks.every((c) => c.ok), checks }, null, 2));
  else for (const check of checks) io.out(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
  return checks.every((c) => c.ok) ? EXIT.done : EXIT.refused;
}

/** `ops redrive QUEUE [--json]`: a dead-letter queue's messages back to its source queue (SQS API). */
async function redriveCommand(rest: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(rest, {});
  const queue = positionals[0];
  if (queue === undefined) throw new UsageError('ops redrive QUEUE: the dead-letter queue, by name or URL (the stack outputs list them)');
  if (refuseLocally(io, 'redrive')) return EXIT.refused;
  const [{ SQSClient }, { redrive, NoSourceQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('../ops/redrive.js')]);
  try {
    const result = await redrive(new SQSClient({ region: loadConfig().region }), queue);
    io.out(values.json ? JSON.stringify(result) : `moved ${result.moved} message(s) from ${result.deadLetterQueue} back to ${result.sourceQueue}`);
    return EXIT.done;
  } catch (error) {
    if (!(error instanceof NoSourceQueue)) throw error;
    io.err(error.message);
    return EXIT.refused;
  }
}

/** `ops restore --to-time ISO [--target-table NAME] [--json]`: the table as it was then, into a new table. */
async function restoreCommand(rest: string[], io: Io): Promise<number> {
  const { values } = parse(rest, { 'to-time': { type: 'string' }, 'source-table': { type: 'string' }, 'target-table': { type: 'string' } });
  const toTimeText = required(values['to-time'], '--to-time');
  const toTime = new Date(toTimeText);
  if (Number.isNaN(toTime.getTime()) || !/T.*(Z|[+-]\d\d:\d\d)$/.test(toTimeText)) {
    throw new UsageError(`--to-time "${toTimeText}" is not an ISO-8601 time with its zone, e.g. 2026-11-05T08:00:00+08:00 · 应为带时区的时间`);
  }
  if (refuseLocally(io, 'restore')) return EXIT.refused;
  const config = loadConfig();
  const [{ DynamoDBClient }, { restoreTable, restoredTableName }] = await Promise.all([import('@aws-sdk/client-dynamodb'), import('../ops/restore.js')]);
  const sourceTable = values['source-table'] ?? config.tableName;
  const targetTable = values['target-table'] ?? restoredTableName(sourceTable, toTime);
  io.err(`restoring ${sourceTable} as of ${toTime.toISOString()} into ${targetTable} (often 20 minutes or more) ...`);
  const result = await restoreTable(new DynamoDBClient({ region: config.region }), { sourceTable, targetTable, toTime });
  if (values.json) io.out(JSON.stringify({ ...result, toTime: result.toTime.toISOString() }));
  else {
    io.out(`restored into ${targetTable} in ${result.seconds} s. Switch the stack to it:
  npx cdk deploy -c stage=STAGE -c backoffice:STAGE:restoredTableName=${targetTable}`);
  }
  return EXIT.done;
}

/** `ops preflight | redrive QUEUE | restore --to-time ISO`: operating the stack on AWS (docs/operations.md). */
export async function opsCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'preflight') return preflightCommand(rest, io);
  if (sub === 'redrive') return redriveCommand(rest, io);
  if (sub === 'restore') return restoreCommand(rest, io);
  throw new UsageError('use: ops preflight | ops redrive QUEUE | ops restore --to-time ISO-8601 [--target-table NAME]');
}
