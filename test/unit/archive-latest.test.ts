import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latestInstallations, supersedesInstallation } from '../../shared/domain/archive-history.js';
import { MemoryArchiveStore } from '../helpers/memory/archive-store.js';
import { anyDate } from '../helpers/arbitraries.js';

/** domain.md, "The archive holds the latest installation, by installation date", never by upload order. */
const unit = (install_date: string, install_id: string) => ({ product_model: 'WC-800', serial_no: 'SN-1', install_date, install_id });

describe('the archive holds the latest installation', () => {
  it('does not let an earlier installation uploaded afterwards take a later one\'s place; the same date replaces', () => {
    expect(supersedesInstallation(unit('2026-09-20', 'IN-09'), unit('2026-10-08', 'IN-10'))).toBe(false);
    expect(supersedesInstallation(unit('2026-10-08', 'IN-10b'), unit('2026-10-08', 'IN-10'))).toBe(true);
    expect(supersedesInstallation(unit('2026-09-20', 'IN-09'), undefined)).toBe(true);
  });

  it('property: whatever the order of the writes, one by one or together, the archive keeps an installation of the latest date', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyDate(2015, 2030), { minLength: 1, maxLength: 8 }), fc.boolean(), async (dates, together) => {
        const entries = dates.map((d, i) => ({ ...unit(d, `IN-${i}`), dealer_code: 'D001', purchase_date: '2015-01-01', commissioning: 'passed' as const, owner_name: 'x', address: 'y' }));
        const store = new MemoryArchiveStore();
        if (together) await store.put(entries);
        else for (const entry of entries) await store.put([entry]);
        const kept = [...(await store.find([unit('', '')])).values()];
        const latest = [...dates].sort().at(-1);
        expect(kept.map((e) => e.install_date)).toEqual([latest]);
        // Among installations of that date, the last written.
        expect(kept[0]?.install_id).toBe(`IN-${dates.lastIndexOf(latest!)}`);
        expect(latestInstallations(entries)).toEqual(kept);
      }),
    );
  });
});
