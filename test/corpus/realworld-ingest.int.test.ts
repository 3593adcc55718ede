import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackOfficeConfig } from '../../shared/config.js';
import { createAdapters, type Adapters } from '../../shared/compose.js';
import { ingestReport } from '../../shared/app/ingest-report.js';
import type { ReportTarget } from '../../shared/app/ports.js';
import { ERROR_LIST_SHEET } from '../../shared/sheets/reader.js';
import { DEMO_DEALERS, DEMO_PARTS, DEMO_PRODUCTS } from '../../infra/local/demo.js';
import { CORPUS, corpusFiles, REFUSED, UNREADABLE_SHEET } from '../helpers/realworld-corpus.js';
import { freshStack } from '../helpers/local-stack.js';
import { loadWorkbook } from '../helpers/workbooks.js';

/**
 * The real-world corpus through the whole ingest use case, against DynamoDB Local and s3rver,
 * as D001's October installation report: every file is rejected with one clear answer, its
 * outcome stored (a replay returns it), the previous version left current, and a file whose
 * rows could be read gets an annotated workbook that opens on its issue list.
 */
let config: BackOfficeConfig;
let adapters: Adapters;
const own: ReportTarget = { dealer: 'D001', type: 'installation', period: '2026-10' };

beforeAll(async () => {
  config = await freshStack();
  adapters = createAdapters(config);
  await adapters.master.save({ dealers: DEMO_DEALERS, products: DEMO_PRODUCTS, parts: DEMO_PARTS });
});

describe('the real-world corpus through ingestReport', () => {
  it.each(corpusFiles())(
    '%s',
    async (file) => {
      // Prepare
      const bytes = await readFile(CORPUS + file);
      const sourceId = `realworld:${file}`;
      const before = await adapters.reports.currentVersion(own);
      // Act
      const result = await ingestReport({ ...adapters, config }, { bytes, target: own, receivedAt: new Date('2026-11-02T08:00:00+08:00'), sourceId });
      // Assess
      expect(result.status).toBe('rejected');
      expect((await adapters.reports.currentVersion(own))?.version).toBe(before?.version);
      for (const issue of result.errors) expect(issue.message_zh).toMatch(/[\u4e00-\u9fff]/);
      const refused = REFUSED[file];
      if (refused !== undefined) {
        expect(result.errors).toMatchObject([{ code: refused[0], message: expect.stringMatching(refused[1]) }]);
        expect(result.error_report_key).toBeNull();
      } else if (UNREADABLE_SHEET.has(file)) {
        expect(result.errors.map((issue) => issue.code)).toEqual(['unreadable']);
      } else {
        expect(result.errors.map((issue) => issue.code)).toEqual(['header_not_found']);
        expect(result.error_report_key).not.toBeNull();
        const workbook = await loadWorkbook(await adapters.blobs.get('reports', result.error_report_key!));
        expect(workbook.worksheets[0]?.name).toBe(ERROR_LIST_SHEET);
      }
      const replay = await ingestReport({ ...adapters, config }, { bytes, target: own, receivedAt: new Date(), sourceId });
      expect(replay).toMatchObject({ replayed: true, status: 'rejected', version: result.version });
    },
    120_000,
  );
});
