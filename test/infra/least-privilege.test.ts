import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_READS, API_WRITES } from '../../infra/constructs/api.js';
import { INGEST_READS, INGEST_WRITES } from '../../infra/constructs/intake.js';
import { LEDGER_WORKER_READS, LEDGER_WORKER_WRITES } from '../../infra/constructs/ledger-intake.js';
import { everyPartitionOf, PARTITION, PK_PREFIX } from '../../shared/store/keys.js';
import { asList, createTestApp } from '../helpers/cdk-app.js';

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
type Policy = { Properties: { PolicyDocument: { Statement: Statement[] }; Roles: Array<{ Ref: string }> } };

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:*'];
const leadingKeys = (s: Statement): string[] => asList((s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string | string[] | undefined) ?? []);

describe('least privilege on the table', () => {
  let policies: Array<{ role: string; statements: Statement[] }>;

  beforeAll(() => {
    const { stack } = createTestApp();
    const found = Template.fromStack(stack).findResources('AWS::IAM::Policy') as Record<string, Policy>;
    policies = Object.values(found).map((p) => ({ role: p.Properties.Roles[0]?.Ref ?? '', statements: p.Properties.PolicyDocument.Statement }));
  });

  const roleStatements = (rolePrefix: string): Statement[] => {
    const matching = policies.filter((p) => p.role.startsWith(rolePrefix));
    expect(matching.length).toBeGreaterThan(0);
    return matching.flatMap((p) => p.statements);
  };

  it('gives no role a write on the table without naming the partitions it may write', () => {
    const writes = policies.flatMap((p) => p.statements.filter((s) => s.Effect === 'Allow' && asList(s.Action).some((a) => WRITES.includes(a))).map((s) => ({ role: p.role, s })));
    expect(writes.length).toBeGreaterThan(0);
    for (const { role, s } of writes) {
      expect({ role, sid: s.Sid, leadingKeys: leadingKeys(s).length > 0 }).toEqual({ role, sid: s.Sid, leadingKeys: true });
    }
  });

  it('lets the ingest, which parses untrusted files, write only report versions, upload outcomes and the archive (its entries, unit histories and their lookup items)', () => {
    const table = roleStatements('IntakeIngestRole').filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
    const write = table.find((s) => asList(s.Action).includes('dynamodb:PutItem'));
    expect(leadingKeys(write!).sort()).toEqual([everyPartitionOf(PK_PREFIX.dealer), everyPartitionOf(PK_PREFIX.product), everyPartitionOf(PK_PREFIX.submission), everyPartitionOf(PK_PREFIX.unit), everyPartitionOf(PK_PREFIX.lookup)].sort());
    expect(INGEST_WRITES).not.toContain(PARTITION.master);
    expect(INGEST_WRITES).not.toContain(PARTITION.invoiceCounter);
    expect(INGEST_WRITES).not.toContain(PARTITION.reconciliationRuns);
    expect(INGEST_WRITES).not.toContain(everyPartitionOf(PK_PREFIX.shipment));
    const read = table.find((s) => asList(s.Action).includes('dynamodb:GetItem'));
    expect(leadingKeys(read!).sort()).toEqual([...INGEST_READS].sort());
    expect(JSON.stringify(table)).not.toContain('/index/');
  });

  it('lets the API write dealer items, upload tickets, complaints with their unit histories, and for material requests sale-form numbers and shipment lines, return lines of the single-entry form; and query the one index there is', () => {
    const table = roleStatements('ApiApiRole').filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
    const write = table.find((s) => asList(s.Action).includes('dynamodb:PutItem'));
    expect(leadingKeys(write!).sort()).toEqual([...API_WRITES].sort());
    // Approving a charged request line numbers its sale form; shipping a request records its shipment lines.
    expect([...API_WRITES].sort()).toEqual(
      [
        everyPartitionOf(PK_PREFIX.dealer),
        everyPartitionOf(PK_PREFIX.uploadTicket),
        everyPartitionOf(PK_PREFIX.complaint),
        everyPartitionOf(PK_PREFIX.unit),
        everyPartitionOf(PK_PREFIX.lookup),
        PARTITION.invoiceCounter,
        everyPartitionOf(PK_PREFIX.shipment),
        everyPartitionOf(PK_PREFIX.return),
      ].sort(),
    );
    expect(asList(write!.Action)).not.toContain('dynamodb:DeleteItem');
    const read = table.find((s) => asList(s.Action).includes('dynamodb:GetItem'));
    expect(leadingKeys(read!).sort()).toEqual([...API_READS].sort());
    const index = table.find((s) => JSON.stringify(s.Resource).includes('/index/'));
    expect(JSON.stringify(index!.Resource)).toContain('/index/gsi1');
    expect(JSON.stringify(index!.Resource)).not.toContain('/index/*');
  });

  it('lets the ledger worker, which parses untrusted files, write only ledger lines and its upload outcomes, and delete nothing', () => {
    const table = roleStatements('LedgerIntakeWorkerRole').filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
    const write = table.find((s) => asList(s.Action).includes('dynamodb:PutItem'));
    expect(leadingKeys(write!).sort()).toEqual([everyPartitionOf(PK_PREFIX.shipment), everyPartitionOf(PK_PREFIX.return), everyPartitionOf(PK_PREFIX.ledgerUpload)].sort());
    expect([...LEDGER_WORKER_WRITES].sort()).toEqual(leadingKeys(write!).sort());
    expect(asList(write!.Action)).not.toContain('dynamodb:DeleteItem');
    const read = table.find((s) => asList(s.Action).includes('dynamodb:GetItem'));
    expect(leadingKeys(read!).sort()).toEqual([...LEDGER_WORKER_READS].sort());
    expect(LEDGER_WORKER_READS).not.toContain(everyPartitionOf(PK_PREFIX.dealer));
    expect(JSON.stringify(table)).not.toContain('/index/');
  });

  it('lets the ledger worker read ledger uploads only and write annotated workbooks under ledger-errors/ only', () => {
    const s3 = roleStatements('LedgerIntakeWorkerRole').filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
    expect(JSON.stringify(s3.find((s) => s.Sid === 'ReadLedgerUploads')!.Resource)).toContain('/ledger/*');
    expect(JSON.stringify(s3.find((s) => s.Sid === 'WriteLedgerErrors')!.Resource)).toContain('/ledger-errors/*');
    expect(s3.flatMap((s) => asList(s.Action)).sort()).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject']);
  });

  it('lets the API read the reconciliation runs (a dealer’s position and reconciliation workbook find the run first), and write none', () => {
    const table = roleStatements('ApiApiRole');
    const read = table.find((s) => s.Sid === 'ReadTable')!;
    const write = table.find((s) => s.Sid === 'WriteTable')!;
    expect(leadingKeys(read)).toContain(PARTITION.reconciliationRuns);
    expect(leadingKeys(write)).not.toContain(PARTITION.reconciliationRuns);
  });

  it('lets the API sign and read uploads only under the prefixes of the keys it makes: report types, ledger files, the master-data form, unboxing photos', () => {
    const uploads = roleStatements('ApiApiRole').find((s) => s.Sid === 'SignAndReadUploads')!;
    const prefixes = asList(uploads.Resource).map((r) => (JSON.stringify(r).match(/"\/([^"]*)\*"/) ?? [])[1]);
    expect(prefixes.sort()).toEqual(['installation/', 'ledger/', 'master/portal/', 'repair/', 'unboxing-photos/']);
  });

  it('lets the per-dealer reconciliation check the run item inside its transactions (ConditionCheckItem), on the partitions it writes', () => {
    const write = roleStatements('ReconciliationReconcileDealerRole').find((s) => s.Sid === 'WriteRunsResultsAndInvoices')!;
    expect(asList(write.Action)).toContain('dynamodb:ConditionCheckItem');
    expect(leadingKeys(write)).toContain(PARTITION.reconciliationRuns);
  });

  it('lets the API tell an upload not yet arrived (404) from a refusal (403): ListBucket on the uploads bucket, nothing else there', () => {
    const list = roleStatements('ApiApiRole').filter((s) => asList(s.Action).includes('s3:ListBucket') && s.Sid === 'SeeWhetherUploadsArrived');
    expect(list).toHaveLength(1);
    expect(asList(list[0]!.Action)).toEqual(['s3:ListBucket']);
  });
});
