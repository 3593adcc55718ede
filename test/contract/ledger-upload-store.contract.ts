import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerUploadOutcome, LedgerUploadStore } from '../../shared/app/ports.js';
import { ledgerUploadKey } from '../../shared/app/upload-keys.js';
import type { Issue } from '../../shared/domain/issues.js';
import { fresh } from './fixtures.js';

const issue = (row: number, value: string | null = 'D999'): Issue => ({ row, column: 'dealer_code', value, code: 'unknown_dealer', message: 'unknown', message_zh: '未知' });

const outcome = (upload_id: string, overrides: Partial<LedgerUploadOutcome> = {}): LedgerUploadOutcome => ({
  status: 'accepted',
  type: 'shipments',
  upload_id,
  source: `s3://uploads/${ledgerUploadKey('shipments', upload_id)}#v1`,
  received_at: '2026-11-02T02:05:00.000Z',
  counts: { rows: 2, records: 2, recorded: 2, already_recorded: 0 },
  errors: [],
  warnings: [],
  error_report_key: null,
  ...overrides,
});

/** What every LedgerUploadStore does: keeps the latest outcome per upload key, with the first issues of a long list. */
export function describeLedgerUploadStoreContract(name: string, makeStore: () => Promise<LedgerUploadStore>): void {
  describe(`${name} as the outcomes of ledger uploads`, () => {
    let store: LedgerUploadStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('finds the outcome recorded under a key, and nothing under a key with none', async () => {
      const id = fresh('upload-');
      const recorded = outcome(id);
      await store.recordOutcome(ledgerUploadKey('shipments', id), recorded);
      expect(await store.findOutcome(ledgerUploadKey('shipments', id))).toEqual(recorded);
      expect(await store.findOutcome(ledgerUploadKey('returns', id))).toBeUndefined();
    });

    it('keeps the outcome recorded last under a key: a later object uploaded with the same form', async () => {
      const id = fresh('upload-');
      const key = ledgerUploadKey('shipments', id);
      await store.recordOutcome(key, outcome(id));
      const later = outcome(id, { source: `s3://uploads/${key}#v2`, counts: { rows: 2, records: 2, recorded: 0, already_recorded: 2 } });
      await store.recordOutcome(key, later);
      expect(await store.findOutcome(key)).toEqual(later);
    });

    it('keeps the first 200 issues of a long list, each quoting at most 200 characters', async () => {
      const id = fresh('upload-');
      const key = ledgerUploadKey('returns', id);
      const errors = Array.from({ length: 1_000 }, (_, i) => issue(i + 2, 'x'.repeat(5_000)));
      await store.recordOutcome(key, outcome(id, { status: 'rejected', type: 'returns', errors, error_report_key: `ledger-errors/returns/${id}.xlsx` }));
      const found = await store.findOutcome(key);
      expect(found?.errors).toHaveLength(200);
      expect(found?.errors[0]?.value).toHaveLength(200);
      expect(found?.error_report_key).toBe(`ledger-errors/returns/${id}.xlsx`);
    });
  });
}
