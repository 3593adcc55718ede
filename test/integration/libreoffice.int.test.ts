import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileWorkbooks, type WrittenWorkbook } from '../helpers/hostile-outputs.js';
import { loadWorkbook } from '../helpers/workbooks.js';

/**
 * Every workbook the back office writes, hostile text included, opened by LibreOffice Calc
 * (headless) and saved as CSV, one file per sheet, showing cells as Calc shows them: each
 * opens cleanly, and text that starts like a formula is shown as the text it is, never
 * computed. scripts/check-prereqs.sh installs LibreOffice (scripts/install-libreoffice.sh)
 * where it can; without soffice on the PATH this file is skipped, saying so.
 */
const run = promisify(execFile);
const soffice = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'soffice')).find(existsSync);

// Separator, quote, UTF-8, first line 1, ..., cells as shown, ..., every sheet to its own file (-1).
const CSV_FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1';

/** RFC 4180 fields: quoted fields may hold separators, doubled quotes and line breaks. */
function csvFields(text: string): string[] {
  const fields: string[] = [];
  const pattern = /"((?:[^"]|"")*)"|([^,\n]*)/g;
  for (const line of text.split(/\n(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    for (const m of line.matchAll(pattern)) {
      if (m[0] === '' && m.index === line.length) break;
      fields.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : (m[2] ?? ''));
    }
  }
  return fields;
}

let dir: string;
let workbooks: WrittenWorkbook[];
/** Per workbook: its sheets' names and the CSV LibreOffice wrote for each. */
const converted = new Map<string, { sheets: string[]; csv: Map<string, string> }>();

describe.skipIf(soffice === undefined)('generated workbooks in LibreOffice Calc', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lo-check-'));
    workbooks = await hostileWorkbooks();
    const files = workbooks.map((_, i) => join(dir, `w${i}.xlsx`));
    await Promise.all(workbooks.map((w, i) => writeFile(files[i] ?? '', w.bytes)));
    // A profile of its own, so that a LibreOffice the user has open does not take the job.
    await run(soffice ?? 'soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', CSV_FILTER, '--outdir', join(dir, 'csv'), ...files], { timeout: 180_000 });
    const outputs = await readdir(join(dir, 'csv'));
    for (const [i, w] of workbooks.entries()) {
      const sheets = (await loadWorkbook(w.bytes)).worksheets.map((s) => s.name);
      const csv = new Map<string, string>();
      for (const sheet of sheets) {
        const file = outputs.find((name) => name === `w${i}-${sheet}.csv`);
        if (file !== undefined) csv.set(sheet, await readFile(join(dir, 'csv', file), 'utf8'));
      }
      converted.set(w.name, { sheets, csv });
    }
  }, 200_000);

  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('opens every workbook and writes every sheet', () => {
    expect(converted.size).toBe(14);
    for (const [name, { sheets, csv }] of converted) expect([...csv.keys()], name).toEqual(sheets);
  });

  it('shows hostile text as text, never as a computed value', () => {
    for (const w of workbooks) {
      const fields = [...(converted.get(w.name)?.csv.values() ?? [])].flatMap(csvFields).map((f) => f.trim());
      for (const payload of w.payloads) expect(fields, `${w.name}: ${JSON.stringify(payload)}`).toContain(payload.trim());
    }
  });

  it('shows the figures and words the writers put in: totals computed, Chinese whole', () => {
    const text = (name: string) => [...(converted.get(name)?.csv.values() ?? [])].join('\n');
    // Ten lines of 4 × ¥35.50 on the invoice: ¥1,420.00, in figures and in capitals.
    expect(text('fee invoice')).toContain('1,420.00');
    expect(text('fee invoice')).toContain('壹仟肆佰贰拾元整');
    expect(text('error report, annotated in place')).toContain('错误 error');
    expect(text('error report, copied by streaming')).toContain('不可用');
    expect(text('template installation')).toContain('安装单号');
    expect(text('month statistics')).toMatch(/\d/);
  });
});
