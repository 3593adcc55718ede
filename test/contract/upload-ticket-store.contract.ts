import { beforeAll, describe, expect, it } from 'vitest';
import type { IssuedTicket, UploadTicketStore } from '../../shared/app/ports.js';
import { uploadKey } from '../../shared/app/upload-keys.js';
import { fresh } from './fixtures.js';

const ticket = (overrides: Partial<IssuedTicket> = {}): IssuedTicket => {
  const upload_id = fresh('upload-');
  const target = { dealer: 'D001', type: 'repair' as const, period: '2026-10' };
  return { key: uploadKey(target, upload_id), upload_id, target, expires_at: '2026-11-02T02:15:00.000Z', ...overrides };
};

/** What every UploadTicketStore does: keeps each ticket handed out, found by exactly the key it names. */
export function describeUploadTicketStoreContract(name: string, makeStore: () => Promise<UploadTicketStore>): void {
  describe(`${name} as the upload tickets handed out`, () => {
    let store: UploadTicketStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('finds a ticket by the key it names, with whose report it is and until when', async () => {
      const issued = ticket();
      await store.record(issued);
      expect(await store.find(issued.key)).toEqual(issued);
    });

    it('finds nothing for a key no ticket names, nor for a key that merely begins like one', async () => {
      const issued = ticket();
      await store.record(issued);
      expect(await store.find(uploadKey({ dealer: 'D002', type: 'repair', period: '2026-10' }, issued.upload_id))).toBeUndefined();
      expect(await store.find(issued.key.replace(/\.xlsx$/, ''))).toBeUndefined();
    });

    it('keeps a ledger form\'s ticket, which names no report', async () => {
      const upload_id = fresh('upload-');
      const issued: IssuedTicket = { key: `ledger/shipments/${upload_id}.xlsx`, upload_id, expires_at: '2026-11-02T02:15:00.000Z' };
      await store.record(issued);
      expect(await store.find(issued.key)).toEqual(issued);
    });

    it('keeps one ticket per key: the one recorded last', async () => {
      const first = ticket();
      const again = { ...first, expires_at: '2026-11-02T03:15:00.000Z' };
      await store.record(first);
      await store.record(again);
      expect(await store.find(first.key)).toEqual(again);
    });
  });
}
