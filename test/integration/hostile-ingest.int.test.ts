import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { ingestReport } from '../../shared/app/ingest-report.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { CASES } from '../fixtures/hostile/corpus.js';
import { builtCorpus, type WrittenCase } from '../fixtures/hostile/generate.js';
import { freshStack } from '../helpers/local-stack.js';
import { loadWorkbook } from '../helpers/workbooks.js';

/**
 * The hostile corpus through the whole ingest use case, against DynamoDB Local and s3rver:
 * each file ends as an accepted current version holding exactly its records, or as a
 * rejected upload that leaves nothing current, its outcome stored (so a replay returns it)
 * and, when its rows could be read, an annotated workbook that opens.
 */
let corpus: WrittenCase[];
let config: BackOfficeConfig;
let adapters: Adapters;

/** What each file comes to: accepted with that many records, or rejected with these codes first. */
const EXPECTED: Record<string, { accepted: number } | { rejected: readonly string[] }> = {
  'truncated.xlsx': { rejected: ['unreadable'] },
  'random-binary.xlsx': { rejected: ['not_xlsx'] },
  'csv-named.xlsx': { rejected: ['not_xlsx'] },
  'legacy-xls.xlsx': { rejected: ['not_xlsx'] },
  'encrypted.xlsx': { rejected: ['not_xlsx'] },
  'zip-bomb-declared.xlsx': { rejected: ['zip_bomb'] },
  'zip-bomb-lying.xlsx': { rejected: ['zip_bomb'] },
  'zip-bomb-lying-under-limits.xlsx': { rejected: ['zip_bomb'] },
  'million-rows.xlsx': { rejected: ['too_many_errors', 'too_many_rows'] },
  'columns-16384.xlsx': { accepted: 2 },
  'cells-32767.xlsx': { rejected: ['text_too_long', 'text_too_long', 'text_too_long'] },
  'shared-strings-bloat.xlsx': { accepted: 2 },
  'shared-string-out-of-range.xlsx': { rejected: ['required'] },
  'formulas.xlsx': { rejected: ['required'] },
  'merged-over-data.xlsx': { rejected: ['required'] },
  'hidden-sheets-and-rows.xlsx': { accepted: 3 },
  'several-sheets.xlsx': { accepted: 1 },
  'dates-before-1900.xlsx': { rejected: ['invalid_date', 'invalid_date'] },
  'date-1904.xlsx': { accepted: 1 },
  'emoji-and-control.xlsx': { accepted: 2 },
  'right-to-left.xlsx': { accepted: 2 },
  'header-only.xlsx': { accepted: 0 },
  'headers-reordered.xlsx': { accepted: 2 },
};

beforeAll(async () => {
  corpus = await builtCorpus();
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
});

describe('the hostile corpus through ingestReport', () => {
  it('names an outcome for every file', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(CASES.map((c) => c.file).sort());
  });

  it.each(CASES.map((c, i) => [c.file, i] as const))('%s', async (file, i) => {
    // Prepare: every file is D001's October installation report in turn; a rejected one must leave the last accepted current
    const own: ReportTarget = { dealer: 'D001', type: 'installation', period: '2026-10' };
    const bytes = await readFile(corpus[i]!.path);
    const sourceId = `hostile:${file}`;
    const before = await adapters.reports.currentVersion(own);
    // Act
    const result = await ingestReport({ ...adapters, config }, { bytes, target: own, receivedAt: new Date('2026-11-02T08:00:00+08:00'), sourceId });
    // Assess (how long each takes: npm run bench -- hostile)
    const expected = EXPECTED[file]!;
    for (const issue of [...result.errors, ...result.warnings]) expect(issue.message_zh).toMatch(/[\u4e00-\u9fff]/);
    if ('accepted' in expected) {
      expect(result.errors, file).toEqual([]);
      expect(result.status).toBe('accepted');
      expect(result.counts.records).toBe(expected.accepted);
      expect((await adapters.reports.currentVersion(own))?.version).toBe(result.version);
      let stored = 0;
      for await (const _ of adapters.reports.readItems(own, result.version!)) stored += 1;
      expect(stored).toBe(expected.accepted);
    } else {
      expect(result.status).toBe('rejected');
      expect(result.errors.slice(0, expected.rejected.length).map((e) => e.code)).toEqual(expected.rejected);
      expect((await adapters.reports.currentVersion(own))?.version).toBe(before?.version);
      if (result.error_report_key !== null) await loadWorkbook(await adapters.blobs.get('reports', result.error_report_key));
    }
    // The stored outcome answers a replay of the same upload.
    const replay = await ingestReport({ ...adapters, config }, { bytes, target: own, receivedAt: new Date(), sourceId });
    expect(replay).toMatchObject({ replayed: true, status: result.status, version: result.version });
  }, 120_000);
});
