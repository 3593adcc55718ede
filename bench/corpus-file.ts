import { readFile } from 'node:fs/promises';
import { createReportValidator } from '../shared/domain/report-validation.js';
import { UPLOAD_FIELDS } from '../shared/domain/fields.js';
import { DEFAULT_LIMITS } from '../shared/sheets/guard.js';
import { openUpload } from '../shared/app/upload-pipeline.js';
import { writeErrorReport } from '../shared/sheets/error-report.js';

/**
 * One file of the real-world corpus through the upload pipeline as an installation report, in
 * a fresh process so that its peak RSS is its own: the guard, the data sheet, the read and
 * validation, and the annotated workbook when it is rejected row by row. Prints one JSON line:
 * {class, codes, wall_ms, cpu_ms, peak_rss_mb}.
 */
const file = process.argv[2];
if (file === undefined) throw new Error('usage: corpus-file FILE');
const bytes = await readFile(file);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const upload = await openUpload(bytes, { limits: DEFAULT_LIMITS, fields: UPLOAD_FIELDS.installation });
let answer: { class: 'refused' | 'read'; codes: string[]; annotated_kb?: number | null };
if (upload.status === 'refused') answer = { class: 'refused', codes: [upload.issue.code] };
else {
  const validator = createReportValidator({ type: 'installation', period: '2026-10', today: '2026-11-02', master: { warrantyMonths: () => 24, hasPart: () => true } });
  const { summary, refusal } = await upload.read(validator);
  const errors = [...summary.errors, ...(refusal === undefined ? [] : [refusal])];
  const annotated = refusal === undefined && errors.length > 0 ? await upload.annotate({ errors, warnings: summary.warnings, columns: summary.columns }, writeErrorReport) : null;
  answer = { class: 'read', codes: [...new Set(errors.map((e) => e.code))], annotated_kb: annotated === null ? null : Math.round(annotated.length / 1024) };
}
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    ...answer,
    wall_ms: Math.round(performance.now() - started),
    cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
