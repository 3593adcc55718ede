import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisationOf, normaliseXml, repairCells, wholeCharacters } from '../../shared/sheets/sheet-xml.js';

/** `bytes` cut at the given offsets, as a stream would deliver them. */
async function* chunked(bytes: Buffer, cuts: readonly number[]): AsyncGenerator<Buffer> {
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    yield bytes.subarray(from, cut);
    from = cut;
  }
  yield bytes.subarray(from);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('wholeCharacters', () => {
  it('keeps the bytes and ends every chunk on a character boundary', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 80 }), cuts, async (text, at) => {
        // Prepare
        const bytes = Buffer.from(text);
        // Act
        const chunks = await collect(wholeCharacters(chunked(bytes, at)));
        // Assess
        expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
        expect(chunks.map((chunk) => chunk.toString('utf8')).join('')).toBe(text);
      }),
    );
  });
});

describe('repairCells', () => {
  const xmlText = fc.stringMatching(/^[a-z0-9 上海市&;]{0,12}$/).map((s) => s.replace(/&/g, '&amp;'));

  it('joins the runs of an inline rich string and keeps the part exactly as long', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(xmlText, { minLength: 1, maxLength: 4 }), xmlText, cuts, async (runs, phonetic, at) => {
        // Prepare
        const rich = runs.map((run, i) => `<r>${i === 0 ? '<rPr><b/><sz val="11"/></rPr>' : ''}<t xml:space="preserve">${run}</t></r>`).join('');
        const xml = Buffer.from(`<row r="1"><c r="A1" t="inlineStr"><is>${rich}<rPh sb="0" eb="1"><t>${phonetic}</t></rPh></is></c><c r="B1"><v>1</v></c></row>`);
        // Act
        const out = Buffer.concat(await collect(repairCells(chunked(xml, at))));
        // Assess
        expect(out.length).toBe(xml.length);
        expect(out.toString()).toMatch(new RegExp(`^<row r="1"><c r="A1" t="inlineStr"><is><t>${escapeRegExp(runs.join(''))}</t></is><!-- *--></c><c r="B1"><v>1</v></c></row>$`));
      }),
    );
  });

  it('hides the formula of a cell whose result is an error, and only of that cell', async () => {
    await fc.assert(
      fc.asyncProperty(cuts, async (at) => {
        // Prepare: an empty error cell must not reach into the formula of the next cell
        const xml = Buffer.from('<c r="A1" t="e"/><c r="B1" s="2" t="e"><f>VLOOKUP(A1,Z:Z,1,0)</f><v>#N/A</v></c><c r="C1"><f>--A1</f><v>3</v></c>');
        // Act
        const out = Buffer.concat(await collect(repairCells(chunked(xml, at)))).toString();
        // Assess
        expect(out.length).toBe(xml.length);
        expect(out).toMatch(/^<c r="A1" t="e"\/><c r="B1" s="2" t="e"><!-- +--><v>#N\/A<\/v><\/c><c r="C1"><f>--A1<\/f><v>3<\/v><\/c>$/);
      }),
    );
  });

  it('passes any XML without those cells through unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 200 }), cuts, async (text, at) => {
        // Prepare
        const xml = Buffer.from(`<c r="A1" t="s"><v>${text.replace(/[<&]/g, '')}</v></c>`);
        // Act
        const out = Buffer.concat(await collect(repairCells(chunked(xml, at))));
        // Assess
        expect(out.equals(xml)).toBe(true);
      }),
    );
  });
});

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('normaliseXml', () => {
  const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const prefixed =
    `<x:worksheet xmlns:x="${MAIN}" xmlns:mc="urn:mc"><x:sheetData><x:row><x:c t="s"><x:v>0</x:v></x:c><x:c><x:v>1</x:v></x:c></x:row>` +
    '<x:row r="5"><x:c r="C5"><x:v>2</x:v></x:c><x:c><x:v>3</x:v></x:c></x:row></x:sheetData><mc:AlternateContent/></x:worksheet>';

  it('takes the main namespace\'s prefix off and numbers rows and cells as Excel does, wherever the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(cuts, async (at) => {
        // Prepare
        const how = normalisationOf(prefixed, true);
        // Act
        const out = Buffer.concat(await collect(normaliseXml(chunked(Buffer.from(prefixed), at), how!))).toString();
        // Assess
        expect(how).toEqual({ prefix: 'x', addReferences: true });
        expect(out).toBe(
          `<worksheet xmlns:x="${MAIN}" xmlns:mc="urn:mc"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>` +
            '<row r="5"><c r="C5"><v>2</v></c><c r="D5"><v>3</v></c></row></sheetData><mc:AlternateContent/></worksheet>',
        );
      }),
    );
  });

  it('leaves a part as Excel writes it alone', () => {
    expect(normalisationOf(`<worksheet xmlns="${MAIN}"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, true)).toBeUndefined();
  });
});
