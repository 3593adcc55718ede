import { readFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReportValidator } from '../shared/domain/report-validation.js';
import { INSTALLATION_FIELDS } from '../shared/domain/fields.js';
import { DEFAULT_LIMITS } from '../shared/sheets/guard.js';
import { openUpload } from '../shared/app/upload-pipeline.js';
import { writeCorpus } from '../test/fixtures/hostile/generate.js';

/**
 * The hostile corpus (test/fixtures/hostile) through the upload path as its test runs it: how
 * long each file takes to be refused or read, and the RSS it adds. test/unit/hostile-corpus.test.ts
 * checks the answers; the times are here, where a busy machine makes a figure worth less, not a
 * test fail.
 */
const written = await writeCorpus(mkdtempSync(join(tmpdir(), 'bench-hostile-')));
console.log('file                                      KB    answer            ms   +RSS MB');
for (const { file, path, bytes } of written) {
  const validator = createReportValidator({
    type: 'installation',
    period: '2026-10',
    today: '2026-11-02',
    master: { warrantyMonths: () => 24, hasPart: () => true },
  });
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const opened = await openUpload(await readFile(path), { limits: DEFAULT_LIMITS, fields: INSTALLATION_FIELDS });
  const answer = opened.status === 'refused' ? opened.issue.code : ((await opened.read(validator, async () => undefined)).refusal?.code ?? 'read');
  const ms = performance.now() - started;
  const rss = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  console.log(`${file.padEnd(40)} ${String(Math.round(bytes / 1024)).padStart(6)}    ${answer.padEnd(14)} ${ms.toFixed(0).padStart(6)} ${rss.toFixed(0).padStart(9)}`);
}
