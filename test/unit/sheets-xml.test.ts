import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SheetRow } from '../../shared/domain/cells.js';
import { feed, readSharedStrings, readStyles, SharedStrings, worksheetParser, type SheetContext } from '../../shared/sheets/sheet-xml.js';

/** `bytes` cut at the given offsets, as a stream would deliver them. */
async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

const cuts = fc.array(fc.nat(), { maxLength: 12 });

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const STRICT = 'http://purl.oclc.org/ooxml/spreadsheetml/main';

async function rowsOf(xml: string, at: readonly number[] = [], context: Partial<SheetContext> = {}): Promise<SheetRow[]> {
  const { sax, take } = worksheetParser({ sharedStrings: SharedStrings.of([]), formats: [], date1904: false, ...context });
  const rows: SheetRow[] = [];
  for await (const batch of feed(chunked(Buffer.from(xml), at), sax, take)) rows.push(...batch);
  return rows;
}

const date = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({ kind: 'datetime', year, month, day, hour, minute, second });

describe('the worksheet parser', () => {
  it('keeps every character whole and every row, wherever the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }), cuts, async (texts, at) => {
        // Prepare
        const escaped = texts.map((t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, ''));
        const xml = `<worksheet xmlns="${MAIN}"><sheetData>${escaped.map((t, i) => `<row r="${i + 1}"><c r="B${i + 1}" t="inlineStr"><is><t xml:space="preserve">上${t}</t></is></c></row>`).join('')}</sheetData></worksheet>`;
        // Act
        const rows = await rowsOf(xml, at);
        // Assess
        expect(rows.map((row) => row.cells[1])).toEqual(escaped.map((t) => `上${t.replace(/&amp;/g, '&').replace(/&lt;/g, '<')}`));
        expect(rows.every((row) => row.cells[0] === null)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('reads prefixed and Strict parts, and numbers rows and cells without references as Excel does', async () => {
    // Prepare: WPS-style prefix on the main namespace, Strict OOXML's namespace, no `r` on most rows and cells
    const xml =
      `<x:worksheet xmlns:x="${STRICT}" xmlns:mc="urn:mc"><x:sheetData><x:row><x:c t="s"><x:v>0</x:v></x:c><x:c><x:v>1</x:v></x:c></x:row>` +
      '<x:row r="5"><x:c r="C5"><x:v>2</x:v></x:c><x:c><x:v>3</x:v></x:c></x:row><x:row><x:c><x:v>4</x:v></x:c></x:row></x:sheetData><mc:AlternateContent/></x:worksheet>';
    // Act
    const rows = await rowsOf(xml, [], { sharedStrings: SharedStrings.of(['安装单号']) });
    // Assess
    expect(rows).toEqual([
      { row: 1, cells: ['安装单号', 1] },
      { row: 5, cells: [null, null, 2, 3] },
      { row: 6, cells: [4] },
    ]);
  });

  it('reads each cell form: inline rich text without its phonetic guide, str, booleans, errors, formulas, ISO dates, escapes', async () => {
    // Prepare
    const xml =
      `<worksheet xmlns="${MAIN}"><sheetData><row r="2">` +
      '<c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>世纪</t></r><r><t xml:space="preserve"> 大道</t></r><rPh sb="0" eb="1"><t>せいき</t></rPh></is></c>' +
      '<c r="B2" t="str"><v>a&amp;b_x0007_</v></c>' +
      '<c r="C2" t="b"><v>1</v></c>' +
      '<c r="D2" t="e"><f>VLOOKUP(A1,Z:Z,1,0)</f><v>#N/A</v></c>' +
      '<c r="E2" t="e"/>' +
      '<c r="F2"><f>1+1</f><v>2</v></c>' +
      '<c r="G2"><f>NOW()</f></c>' +
      '<c r="H2" t="d"><v>2026-10-03T14:30:00</v></c>' +
      '<c r="I2"><v/></c>' +
      '<c r="J2" t="s"><v>7</v></c>' +
      '<c r="K2"><v>-1.5</v></c>' +
      '</row><row r="3"><c r="A3" t="inlineStr"><is><t>   </t></is></c></row></sheetData></worksheet>';
    // Act
    const rows = await rowsOf(xml);
    // Assess: the blank row 3 is skipped; a shared string that does not exist reads blank
    expect(rows).toEqual([{ row: 2, cells: ['世纪 大道', 'a&b\u0007', true, { kind: 'error', text: '#N/A' }, null, 2, null, date(2026, 10, 3, 14, 30), null, null, -1.5] }]);
  });

  it('reads numbers through their format: dates in either date system, padded identifiers, the row format for cells naming none', async () => {
    // Prepare
    const styles =
      `<styleSheet xmlns="${MAIN}"><numFmts count="2"><numFmt numFmtId="164" formatCode="0000000000"/><numFmt numFmtId="165" formatCode="&quot;SN-&quot;000000"/></numFmts>` +
      '<cellStyleXfs count="1"><xf numFmtId="22"/></cellStyleXfs>' +
      '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="31"/><xf numFmtId="2"/></cellXfs></styleSheet>';
    const formats = await readStyles(chunked(Buffer.from(styles), []));
    const xml =
      `<worksheet xmlns="${MAIN}"><sheetData><row r="1">` +
      '<c r="A1" s="1"><v>46298.5</v></c><c r="B1" s="2"><v>26090002</v></c><c r="C1" s="3"><v>42</v></c><c r="D1" s="4"><v>46298</v></c><c r="E1" s="5"><v>26090002</v></c><c r="F1" s="2"><v>2.5</v></c>' +
      '</row><row r="2" s="1" customFormat="1"><c r="A2"><v>46298</v></c></row></sheetData></worksheet>';
    // Act
    const in1900 = await rowsOf(xml, [], { formats });
    const in1904 = await rowsOf(xml, [], { formats, date1904: true });
    // Assess
    expect(formats).toHaveLength(6);
    expect(in1900).toEqual([
      { row: 1, cells: [date(2026, 10, 3, 12), '0026090002', 'SN-000042', date(2026, 10, 3), 26090002, 2.5] },
      { row: 2, cells: [date(2026, 10, 3)] },
    ]);
    expect(in1904[0]?.cells[0]).toEqual(date(2030, 10, 4, 12));
  });

  it('refuses a DOCTYPE and XML that is not well formed', async () => {
    await expect(rowsOf(`<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet xmlns="${MAIN}"/>`)).rejects.toThrow();
    await expect(rowsOf(`<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData></worksheet>`)).rejects.toThrow();
  });
});

describe('the shared-strings parser', () => {
  it('joins rich-text runs, leaves out phonetic guides, decodes escapes and reads an empty item as blank, wherever the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(cuts, async (at) => {
        // Prepare
        const xml =
          `<sst xmlns="${MAIN}" count="4" uniqueCount="4"><si><t>安装单号</t></si><si><r><rPr><b/></rPr><t>上海市</t></r><r><t xml:space="preserve"> 浦东</t></r></si>` +
          '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh></si><si><t/></si><si><t>a_x005F_x0007_b_x0007_</t></si></sst>';
        // Act
        const table = await readSharedStrings(chunked(Buffer.from(xml), at));
        // Assess
        expect(Array.from({ length: table.count + 1 }, (_, i) => table.at(i))).toEqual(['安装单号', '上海市 浦东', '漢字', null, 'a_x0007_b\u0007', null]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('the shared-strings table', () => {
  it('reads whatever count the table declares: too small, absurd or not a number', async () => {
    for (const declared of ['uniqueCount="1"', 'uniqueCount="99999999999"', 'uniqueCount="x"']) {
      // Prepare
      const xml = `<sst xmlns="${MAIN}" ${declared}>${Array.from({ length: 20_000 }, (_, i) => `<si><t>上海${i}</t></si>`).join('')}</sst>`;
      // Act
      const table = await readSharedStrings(chunked(Buffer.from(xml), []));
      // Assess
      expect([table.count, table.at(0), table.at(19_999), table.at(20_000)]).toEqual([20_000, '上海0', '上海19999', null]);
    }
  });


  it('gives back every string across its segments, empty ones and those past the end as blank', () => {
    // Prepare: more text than two segments of a million characters hold, some strings empty, one longer than a segment
    const strings = Array.from({ length: 150_000 }, (_, i) => (i % 997 === 0 ? '' : i === 70_001 ? '长'.repeat(1_100_000) : `上海${i}`));
    // Act
    const table = SharedStrings.of(strings);
    // Assess
    expect(table.count).toBe(150_000);
    expect(strings.filter((text, i) => table.at(i) !== (text === '' ? null : text))).toEqual([]);
    expect([table.at(-1), table.at(150_000), table.at(Number.NaN)]).toEqual([null, null, null]);
  });
});
