import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportDigest, ReportItem, ReportStore, ReportTarget, SubmissionOutcome } from '../../shared/app/ports.js';
import type { Issue } from '../../shared/domain/issues.js';
import { fresh, installation, inWarranty, outOfWarranty, partLine, repair } from './fixtures.js';

const summary = (source: string, late = false) => ({ received_at: '2026-11-02T10:00:00.000Z', late, counts: { rows: 1, records: 1, part_lines: 0 }, source });
const installations = (n: number, tag: string): ReportItem[] =>
  Array.from({ length: n }, (_, i) => installation({ install_id: `${tag}-${i}`, serial_no: `SN-${tag}-${i}` }, i + 2));

async function readAll(store: ReportStore, target: ReportTarget, version: number): Promise<ReportItem[]> {
  const out: ReportItem[] = [];
  for await (const item of store.readItems(target, version)) out.push(item);
  return out;
}

const issue = (row: number, value: string | null = null): Issue => ({ row, column: 'install_id', value, code: 'duplicate_id', message: 'm', message_zh: '重复' });

/**
 * What every ReportStore does, whatever is behind it: versions that become visible only when
 * committed, a newer version never replaced by an older, entities read back as written.
 */
export function describeReportStoreContract(name: string, makeStore: () => Promise<ReportStore>): void {
  describe(`${name} as a report store`, () => {
    let store: ReportStore;
    const octoberReport = (type: ReportTarget['type'] = 'installation'): ReportTarget => ({ dealer: fresh('D'), type, period: '2026-10' });

    beforeAll(async () => {
      store = await makeStore();
    });

    it('makes a version current only when it is committed, whatever its size', async () => {
      // Prepare
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await store.writeItems(target, version, installations(260, 'a'));
      // Assess: written but not yet current
      expect(await store.currentVersion(target)).toBeUndefined();
      // Act
      expect(await store.commit(target, version, summary('upload-a'))).toBe('current');
      // Assess
      expect((await store.currentVersion(target))?.version).toBe(version);
      expect(await readAll(store, target, version)).toHaveLength(260);
    });

    it('gives the current version of each month of a span in one read: committed months only, of that type, within the span', async () => {
      const dealer = fresh('D');
      const commitOne = async (type: ReportTarget['type'], period: string, uploads = 1) => {
        const target: ReportTarget = { dealer, type, period };
        for (let n = 0; n < uploads; n++) {
          const source = fresh('upload-');
          const { version } = await store.claim(source, target, `2026-11-02T10:00:0${n}.000Z`);
          await store.commit(target, version, { ...summary(source), received_at: `2026-11-02T10:00:0${n}.000Z` });
        }
      };
      await commitOne('repair', '2026-01');
      await commitOne('repair', '2026-03', 2);
      await commitOne('repair', '2026-07');
      await commitOne('installation', '2026-02');
      await store.claim(fresh('upload-'), { dealer, type: 'repair', period: '2026-04' }, '2026-11-02T10:00:00.000Z');

      expect([...(await store.currentVersions(dealer, 'repair', '2026-01', '2026-06'))]).toEqual([['2026-01', 1], ['2026-03', 2]]);
      expect([...(await store.currentVersions(dealer, 'installation', '2026-01', '2026-12'))]).toEqual([['2026-02', 1]]);
    });

    it("keeps a version's digest on its pointer: the month's pages by dealer code, a dealer's months, none for a version committed without one", async () => {
      const period = '2030-05';
      const base = fresh('M');
      // Byte order: …1, …10, …2, …3 (…10 begins with …1 and must not be taken for it).
      const [d1, d10, d2, d3] = ['1', '10', '2', '3'].map((n) => `${base}-${n}`) as [string, string, string, string];
      const digestOf = (ids: string[]): ReportDigest => ({ type: 'repair', repairs: ids.map((id) => { const { repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed } = (repair(id) as Extract<ReportItem, { kind: 'repair' }>).record; return { repair_id, called_at, arrived_at, completed_date, satisfaction, service_type, customer_confirmed }; }) });
      const commitAs = async (dealer: string, type: ReportTarget['type'], digest?: ReportDigest, at = '2030-06-02T10:00:00.000Z') => {
        const source = fresh('upload-');
        const target: ReportTarget = { dealer, type, period };
        const { version } = await store.claim(source, target, at);
        await store.commit(target, version, { ...summary(source), received_at: at }, digest);
        return version;
      };
      await commitAs(d1, 'repair', digestOf(['W1', 'W2']));
      await commitAs(d1, 'installation', { type: 'installation', unboxing: [] });
      await commitAs(d10, 'repair', digestOf(['W9']));
      await commitAs(d2, 'repair');
      await store.claim(fresh('upload-'), { dealer: d3, type: 'repair', period }, '2030-06-02T10:00:00.000Z');

      const first = await store.monthReports('repair', period, { limit: 2 });
      expect(first.reports.filter((r) => r.dealer.startsWith(base))).toEqual([
        { dealer: d1, period, version: 1, digest: digestOf(['W1', 'W2']) },
        { dealer: d10, period, version: 1, digest: digestOf(['W9']) },
      ]);
      const rest = await store.monthReports('repair', period, { after: d10, limit: 5 });
      expect(rest).toEqual({ reports: [{ dealer: d2, period, version: 1, digest: null }], more: false });
      expect(first.more).toBe(true);

      const newer = await commitAs(d1, 'repair', undefined, '2030-06-03T10:00:00.000Z');
      expect(await store.dealerReports(d1, 'repair', '2030-01', '2030-12')).toEqual([{ dealer: d1, period, version: newer, digest: null }]);
      expect(await store.keepDigest({ dealer: d1, type: 'repair', period }, newer - 1, digestOf(['W1']))).toBe(false);
      expect(await store.keepDigest({ dealer: d1, type: 'repair', period }, newer, digestOf(['W3']))).toBe(true);
      expect(await store.dealerReports(d1, 'repair', '2030-05', '2030-05')).toEqual([{ dealer: d1, period, version: newer, digest: digestOf(['W3']) }]);
      expect(await store.dealerReports(d1, 'installation', '2030-05', '2030-05')).toEqual([{ dealer: d1, period, version: 1, digest: { type: 'installation', unboxing: [] } }]);
    });

    it('gives the same upload the same version when it is claimed again, and another upload the next one', async () => {
      const target = octoberReport();
      const source = fresh('upload-');
      const first = await store.claim(source, target, '2026-11-02T10:00:00.000Z');
      const again = await store.claim(source, target, '2026-11-02T10:00:00.000Z');
      const other = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      expect(first).toEqual({ version: 1, resumed: false });
      expect(again).toEqual({ version: first.version, resumed: true });
      expect(other).toEqual({ version: 2, resumed: false });
    });

    it('keeps the newer version current when an older one commits late, and marks the older superseded', async () => {
      const target = octoberReport();
      const older = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      const newer = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:01.000Z');
      expect(await store.commit(target, newer.version, summary('upload-d'))).toBe('current');
      expect(await store.commit(target, older.version, summary('upload-c'))).toBe('superseded');
      expect((await store.currentVersion(target))?.version).toBe(newer.version);
      const statuses = (await store.versions(target)).map((v) => [v.version, v.status]);
      expect(statuses).toEqual([
        [older.version, 'superseded'],
        [newer.version, 'accepted'],
      ]);
    });

    it('makes the upload received last current, whatever order the uploads were claimed in and finish in', async () => {
      const at = (received_at: string, source: string) => ({ ...summary(source), received_at });
      const EARLY = '2026-11-02T10:00:00.000Z';
      const LATE = '2026-11-02T10:05:00.000Z';
      // The upload received later is claimed first (the earlier one's event was delayed); it finishes first, then second.
      for (const finishing of [['later', 'earlier'], ['earlier', 'later']] as const) {
        const target = octoberReport();
        const later = await store.claim(fresh('upload-'), target, LATE);
        const earlier = await store.claim(fresh('upload-'), target, EARLY);
        const commits = { later: () => store.commit(target, later.version, at(LATE, 'upload-later')), earlier: () => store.commit(target, earlier.version, at(EARLY, 'upload-earlier')) };
        const outcomes = { [finishing[0]]: await commits[finishing[0]](), [finishing[1]]: await commits[finishing[1]]() };
        expect(outcomes).toEqual({ later: 'current', earlier: finishing[0] === 'later' ? 'superseded' : 'current' });
        expect(await store.currentVersion(target)).toMatchObject({ version: later.version, received_at: LATE, status: 'accepted' });
        expect((await store.versions(target)).map((v) => [v.version, v.status])).toEqual([
          [later.version, 'accepted'],
          [earlier.version, 'superseded'],
        ]);
      }
    });

    it('marks the previous version superseded when a newer one becomes current, and lists versions in order with their summaries', async () => {
      const target = octoberReport();
      const first = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await store.commit(target, first.version, summary('upload-1'));
      const second = await store.claim(fresh('upload-'), target, '2026-11-04T10:00:00.000Z');
      const late = { received_at: '2026-11-04T10:00:00.000Z', late: true, counts: { rows: 3, records: 2, part_lines: 1 }, source: 'upload-2' };
      expect(await store.commit(target, second.version, late)).toBe('current');
      expect(await store.versions(target)).toEqual([
        { version: first.version, status: 'superseded', ...summary('upload-1') },
        { version: second.version, status: 'accepted', ...late },
      ]);
      expect(await store.currentVersion(target)).toEqual({ version: second.version, status: 'accepted', ...late });
    });

    it('commits the current version again without harm (a replayed commit)', async () => {
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await store.commit(target, version, summary('upload-r'));
      expect(await store.commit(target, version, summary('upload-r'))).toBe('current');
      expect((await store.versions(target)).map((v) => v.status)).toEqual(['accepted']);
    });

    it('removes a discarded version and leaves the current one intact', async () => {
      const target = octoberReport();
      const good = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await store.writeItems(target, good.version, installations(3, 'g'));
      await store.commit(target, good.version, summary('upload-good'));
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await store.writeItems(target, version, installations(30, 'e'));
      await store.discard(target, version, summary('upload-e'));
      expect(await readAll(store, target, version)).toHaveLength(0);
      expect((await store.currentVersion(target))?.version).toBe(good.version);
      expect(await readAll(store, target, good.version)).toHaveLength(3);
      const statuses = Object.fromEntries((await store.versions(target)).map((v) => [v.version, v.status]));
      expect(statuses[version]).toBe('rejected');
    });

    it('reads entities back as written, in sheet-row order, the entities of one row in the order given', async () => {
      // Prepare: written out of order, part lines on rows 9 and 10 of one repair
      const target = octoberReport('repair');
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      const items = [repair('RP-2', outOfWarranty, 9), partLine('RP-2', 10, 'P-SEAL-03', outOfWarranty), partLine('RP-2', 9, 'P-VALVE-01', outOfWarranty), repair('RP-1', inWarranty, 2), partLine('RP-1', 2)];
      // Act
      await store.writeItems(target, version, items);
      await store.commit(target, version, summary('upload-items'));
      // Assess
      expect(await readAll(store, target, version)).toEqual([items[3], items[4], items[0], items[2], items[1]]);
    });

    it('reads a large report back whole and in row order, across the calls that wrote it', async () => {
      // Prepare: about 2 MB of rows, written as an upload does, a chunk at a time
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      const rows = Array.from({ length: 3_000 }, (_, i) => installation({ install_id: `L-${i}`, serial_no: `SN-L-${i}`, remarks: `第${i}行 ${'x'.repeat(500)}` }, i + 2));
      // Act
      for (let i = 0; i < rows.length; i += 1_000) await store.writeItems(target, version, rows.slice(i, i + 1_000));
      await store.commit(target, version, summary('upload-large'));
      // Assess
      expect(await readAll(store, target, version)).toEqual(rows);
    });

    /** 3,000 installations, one every hundredth sheet row down to row 299,902, written 100 at a time as an upload does. */
    const farDownTheSheet = async (target: ReportTarget, version: number): Promise<ReportItem[]> => {
      const rows = Array.from({ length: 3_000 }, (_, i) => installation({ install_id: `F-${i}`, serial_no: `SN-F-${i}` }, 2 + 100 * i));
      for (let i = 0; i < rows.length; i += 100) await store.writeItems(target, version, rows.slice(i, i + 100));
      return rows;
    };

    it('reads a report reaching far down the sheet back whole and in row order', async () => {
      // Prepare
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      const rows = await farDownTheSheet(target, version);
      // Act
      await store.commit(target, version, summary('upload-far'));
      // Assess
      expect(await readAll(store, target, version)).toEqual(rows);
    });

    it('removes every row of a discarded report reaching far down the sheet', async () => {
      // Prepare
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await farDownTheSheet(target, version);
      // Act
      await store.discard(target, version, summary('upload-far-discarded'));
      // Assess
      expect(await readAll(store, target, version)).toEqual([]);
    });

    it('reads an installation with its blank fields as null and a repair with its yes/no answers as booleans', async () => {
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      const written = [installation({ unboxing_issue: null, remarks: '门口有台阶' }), repair('RP-9')];
      await store.writeItems(target, version, written);
      expect(await readAll(store, target, version)).toEqual([written[0], written[1]]);
    });

    it('stores an entity written twice once (a chunk written again after a crash)', async () => {
      const target = octoberReport();
      const { version } = await store.claim(fresh('upload-'), target, '2026-11-02T10:00:00.000Z');
      await store.writeItems(target, version, installations(5, 'x'));
      await store.writeItems(target, version, installations(5, 'x'));
      expect(await readAll(store, target, version)).toHaveLength(5);
    });

    it('returns the recorded outcome of an upload, keeping the first 200 issues and quoting at most 200 characters of a cell', async () => {
      // Prepare
      const target = octoberReport();
      const source = fresh('upload-');
      const errors = Array.from({ length: 250 }, (_, i) => issue(i + 2, i === 0 ? 'x'.repeat(5_000) : 'IN-1'));
      const outcome: SubmissionOutcome = {
        status: 'rejected',
        target,
        version: 1,
        late: false,
        received_at: '2026-11-02T10:00:00.000Z',
        counts: { rows: 250, records: 250, part_lines: 0 },
        errors,
        warnings: [issue(3)],
        error_report_key: 'error-reports/x.xlsx',
      };
      expect(await store.findOutcome(source)).toBeUndefined();
      // Act
      await store.claim(source, target, outcome.received_at);
      await store.recordOutcome(source, outcome);
      // Assess
      const found = await store.findOutcome(source);
      expect(found).toEqual({ ...outcome, errors: expect.any(Array) });
      expect(found?.errors).toHaveLength(200);
      expect(found?.errors[0]?.value).toBe(`${'x'.repeat(199)}…`);
      expect(found?.errors.slice(1)).toEqual(errors.slice(1, 200));
    });

    it("gives a dealer's repairs as its current repair reports of any month state them, for a decision taken again today, and nothing else", async () => {
      // Prepare
      const dealer = fresh('D');
      const september: ReportTarget = { dealer, type: 'repair', period: '2026-09' };
      const october: ReportTarget = { dealer, type: 'repair', period: '2026-10' };
      const sept = await store.claim(fresh('upload-'), september, '2026-10-02T10:00:00.000Z');
      await store.writeItems(september, sept.version, [repair('RP-S', outOfWarranty)]);
      await store.commit(september, sept.version, summary('s'));
      const other = { ...october, dealer: fresh('D') };
      const elsewhere = await store.claim(fresh('upload-'), other, '2026-11-02T10:00:00.000Z');
      await store.writeItems(other, elsewhere.version, [repair('RP-ELSEWHERE', outOfWarranty)]);
      await store.commit(other, elsewhere.version, summary('e'));
      const oct = await store.claim(fresh('upload-'), october, '2026-11-02T10:00:00.000Z');
      await store.writeItems(october, oct.version, [repair('RP-O', inWarranty)]);
      await store.commit(october, oct.version, summary('o'));
      const pending = await store.claim(fresh('upload-'), october, '2026-11-02T11:00:00.000Z');
      await store.writeItems(october, pending.version, [repair('RP-PENDING', outOfWarranty)]);
      // Act
      const records = await store.repairRecords(dealer, ['RP-S', 'RP-O', 'RP-PENDING', 'RP-ELSEWHERE', 'RP-NONE']);
      // Assess
      expect([...records.keys()].sort()).toEqual(['RP-O', 'RP-S']);
      expect(records.get('RP-O')?.repair_id).toBe('RP-O');
    });
  });
}
