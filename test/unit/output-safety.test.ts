import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostileWorkbooks, type WrittenWorkbook } from '../helpers/hostile-outputs.js';
import { loadWorkbook } from '../helpers/workbooks.js';

/**
 * Text from uploads never becomes a formula, a hyperlink or an external reference in a
 * workbook the back office writes: checked in the XML itself, where Excel and LibreOffice
 * decide what a cell is, for every writer in shared/sheets.
 */
let written: WrittenWorkbook[];

beforeAll(async () => {
  written = await hostileWorkbooks();
}, 60_000);

async function partsOf(bytes: Uint8Array): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = new Map<string, string>();
  for (const [name, file] of Object.entries(zip.files)) if (!file.dir) parts.set(name, await file.async('string'));
  return parts;
}

const unescapeXml = (text: string) => text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The only formulas the writers build themselves: totals over their own cell ranges. */
const OWN_FORMULA = /^SUBTOTAL\(109,[A-Z]{1,3}\d+:[A-Z]{1,3}\d+\)$/;

describe.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('written workbook #%i', (index) => {
  it('holds no formula but its own totals, no outside link, no external reference', async () => {
    const workbook = written[index];
    if (workbook === undefined) return;
    const parts = await partsOf(workbook.bytes);
    const sheets = [...parts].filter(([name]) => /^xl\/worksheets\/[^/]+\.xml$/.test(name));
    expect(sheets.length, workbook.name).toBeGreaterThan(0);
    for (const [name, xml] of sheets) {
      const formulas = [...xml.matchAll(/<f\b[^>]*>([\s\S]*?)<\/f>|<f\b[^>]*\/>/g)].map((m) => unescapeXml(m[1] ?? ''));
      for (const formula of formulas) expect(formula, `${workbook.name} ${name}`).toMatch(OWN_FORMULA);
    }
    expect([...parts.keys()].filter((name) => name.startsWith('xl/externalLinks/')), workbook.name).toEqual([]);
    // The only links are the error list's, to a cell of the same workbook (exceljs writes "#'sheet'!A1" as an "external" target).
    for (const [name, xml] of parts) {
      if (!name.endsWith('.rels')) continue;
      for (const relationship of xml.match(/<Relationship\b[^>]*>/g) ?? []) {
        if (!/TargetMode="External"/.test(relationship)) continue;
        expect(relationship, `${workbook.name} ${name}`).toMatch(/\/hyperlink" Target="#/);
      }
    }
    for (const xml of parts.values()) expect(xml).not.toMatch(/evil\.example\/[fl]/);
  });

  it('shows every payload as the plain text it was', async () => {
    const workbook = written[index];
    if (workbook === undefined) return;
    const texts = new Set<string>();
    for (const sheet of (await loadWorkbook(workbook.bytes)).worksheets) {
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) expect(cell.formula, `${workbook.name} ${sheet.name}!${cell.address}`).toMatch(OWN_FORMULA);
          if (typeof cell.value === 'string') texts.add(cell.value.replace(/\r\n?/g, '\n'));
        }),
      );
    }
    for (const payload of workbook.payloads) expect([...texts], `${workbook.name}: ${JSON.stringify(payload)}`).toContain(payload.replace(/\r\n?/g, '\n'));
  });
});

describe('the written workbooks', () => {
  it('are one per writer and path, fourteen in all (eight templates with the complaint, return-call and material-request workbooks)', () => {
    expect(written.map((w) => w.name)).toEqual([
      'error report, annotated in place',
      'error report, copied by streaming',
      'fee invoice',
      'reconciliation',
      'month statistics',
      ...written.slice(5).map((w) => w.name),
    ]);
    expect(written).toHaveLength(14);
  });
});
