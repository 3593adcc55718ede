import { readFile } from 'node:fs/promises';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';

/**
 * The floor of reading a report (issue 28): yauzl inflating the shared strings and the first
 * worksheet, saxes parsing them, rows and cells counted and every cell's text gathered, nothing
 * normalised, validated or kept. Whatever reader the upload path uses does at least this, so
 * its CPU time is measured against this one's (`npm run bench -- ingest`, stage `floor`).
 *
 * `npx tsx bench/floor.ts FILE.xlsx` prints {rows, cells, strings}.
 */

async function entries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  const found = new Map<string, yauzl.Entry>();
  for await (const entry of zip.eachEntry()) found.set(entry.fileName, entry);
  return found;
}

/** Streams an entry through a fresh parser; `onOpen`/`onText` see its elements and text. */
async function parse(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, onOpen: (name: string) => void, onText: (text: string) => void): Promise<void> {
  if (entry === undefined) return;
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => onOpen(tag.name));
  parser.on('text', onText);
  const stream = await zip.openReadStreamPromise(entry);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of stream) parser.write(decoder.decode(chunk as Buffer, { stream: true }));
  parser.close();
}

export async function countRows(bytes: Buffer): Promise<{ rows: number; cells: number; strings: number }> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true });
  try {
    const parts = await entries(zip);
    let strings = 0;
    let chars = 0;
    await parse(zip, parts.get('xl/sharedStrings.xml'), (name) => void (name === 'si' && (strings += 1)), (text) => void (chars += text.length));
    let rows = 0;
    let cells = 0;
    await parse(zip, parts.get('xl/worksheets/sheet1.xml'), (name) => {
      if (name === 'row') rows += 1;
      else if (name === 'c') cells += 1;
    }, (text) => void (chars += text.length));
    return { rows, cells, strings };
  } finally {
    zip.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: tsx bench/floor.ts FILE.xlsx');
  console.log(JSON.stringify(await countRows(await readFile(file))));
}
