import { beforeAll, describe, expect, it } from 'vitest';
import { archiveKey, type ArchiveEntry, type ArchiveStore } from '../../shared/app/ports.js';
import { installationEvent, repairEvent, type UnitEvent } from '../../shared/domain/archive-history.js';
import { installationRecord, repairRecord } from '../helpers/month-fixtures.js';
import { fresh } from './fixtures.js';

const entry = (overrides: Partial<ArchiveEntry> = {}): ArchiveEntry => ({
  product_model: 'WC-800',
  serial_no: fresh('SN-'),
  dealer_code: 'D001',
  install_id: 'IN-0001',
  install_date: '2026-10-08',
  purchase_date: '2026-09-28',
  commissioning: 'passed',
  owner_name: '陈小姐',
  address: '上海市浦东新区张江路 88 号',
  ...overrides,
});

/** What every ArchiveStore does: one entry per product model and serial number, found by both. */
export function describeArchiveStoreContract(name: string, makeStore: () => Promise<ArchiveStore>): void {
  describe(`${name} as the end-user archive`, () => {
    let store: ArchiveStore;
    beforeAll(async () => {
      store = await makeStore();
    });

    it('finds the archived entries by model and serial number, and leaves out those never archived', async () => {
      const [a, b] = [entry(), entry({ product_model: 'BT-1500' })];
      await store.put([a, b]);
      const found = await store.find([a, b, { product_model: 'WC-800', serial_no: 'SN-NEVER' }, a]);
      expect(Object.fromEntries(found)).toEqual({ [archiveKey(a.product_model, a.serial_no)]: a, [archiveKey(b.product_model, b.serial_no)]: b });
    });

    it('keeps the latest entry of a product installed again', async () => {
      const first = entry();
      const again = { ...first, dealer_code: 'D002', install_id: 'IN-0002', commissioning: 'failed' as const };
      await store.put([first]);
      await store.put([again]);
      expect([...(await store.find([first])).values()]).toEqual([again]);
    });

    it('keeps the latest installation by install date: September\'s failed commissioning archived after October\'s pass does not take its place', async () => {
      // Prepare
      const october = entry({ install_id: 'IN-10', install_date: '2026-10-08', commissioning: 'passed' });
      const september = { ...october, install_id: 'IN-09', install_date: '2026-09-20', commissioning: 'failed' as const };
      // Act
      await store.put([october]);
      await store.put([september]);
      // Assess
      expect([...(await store.find([october])).values()]).toEqual([october]);
    });

    it('keeps the latest installation whatever the order of the entries in one write', async () => {
      const serial_no = fresh('SN-');
      const dated = ['2026-10-08', '2026-11-02', '2026-09-20'].map((install_date, i) => entry({ serial_no, install_id: `IN-${i}`, install_date }));
      await store.put(dated);
      expect([...(await store.find([dated[0]!])).values()].map((e) => e.install_id)).toEqual(['IN-1']);
    });

    it('tells a serial number of one model from the same serial number of another', async () => {
      const serial_no = fresh('SN-');
      await store.put([entry({ serial_no, product_model: 'WC-800' })]);
      expect((await store.find([{ product_model: 'FC-200', serial_no }])).size).toBe(0);
    });

    describe('as a history', () => {
      const unitEvents = (serial_no: string, phone: string): UnitEvent[] => [
        repairEvent('D002', { ...repairRecord({ repair_id: 'RP-2', serial_no, phone, called_at: '2026-11-03T09:00:00' }) }, [], null),
        installationEvent('D001', installationRecord({ serial_no, phone, owner_name: '陈 小姐' })),
        repairEvent('D001', { ...repairRecord({ serial_no, phone }) }, [{ part_code: 'P-VALVE-01', part_qty: 1 }], { phase: 'in_warranty', materials_charged: false }),
      ];

      it("keeps a unit's events in order: when, then installation before repair", async () => {
        const serial_no = fresh('SN-H');
        const events = unitEvents(serial_no, fresh('139'));
        await store.record(events);
        const history = await store.history({ product_model: 'WC-800', serial_no });
        expect(history.map((e) => [e.kind, e.id, e.dealer_code])).toEqual([['installation', 'IN-0001', 'D001'], ['repair', 'RP-0001', 'D001'], ['repair', 'RP-2', 'D002']]);
        expect(history[1]).toEqual(events[2]);
      });

      it('replaces an event recorded again instead of adding a copy', async () => {
        const serial_no = fresh('SN-H');
        const [, install] = unitEvents(serial_no, fresh('139'));
        await store.record([install!]);
        const corrected = installationEvent('D001', installationRecord({ serial_no, address: '新地址' }));
        await store.record([corrected]);
        expect(await store.history({ product_model: 'WC-800', serial_no })).toEqual([corrected]);
      });

      it('finds the unit by serial number, phone and owner name, with the dealers that named it so', async () => {
        const serial_no = fresh('SN-H');
        const phone = fresh('1391');
        await store.record(unitEvents(serial_no, phone));
        const unit = { product_model: 'WC-800', serial_no };
        expect(await store.lookup('serial', serial_no)).toEqual([{ ...unit, dealers: ['D001', 'D002'] }]);
        expect(await store.lookup('phone', phone)).toEqual([{ ...unit, dealers: ['D001', 'D002'] }]);
        expect(await store.lookup('owner', '陈小姐')).toContainEqual({ ...unit, dealers: ['D001'] });
        expect(await store.lookup('phone', fresh('nobody'))).toEqual([]);
      });

      it('answers an unknown unit with an empty history', async () => {
        expect(await store.history({ product_model: 'WC-800', serial_no: fresh('SN-NONE') })).toEqual([]);
      });
    });
  });
}
