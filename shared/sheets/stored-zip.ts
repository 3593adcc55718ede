import { Readable } from 'node:stream';

/**
 * A zip written as a stream of stored (uncompressed) entries, for exceljs's streaming reader
 * to parse as it goes. It is not a general zip writer: it carries no central directory and a
 * zero CRC, which is all exceljs's unzipper reads (it never checks CRCs); the content was
 * inflated and size-checked by yauzl on the way in.
 *
 * Stored entries of declared size are why this exists: unzipper hands each chunk of a stored
 * entry to exceljs exactly as it was written, so chunks cut on character boundaries stay so
 * (see sheet-xml.ts), and the parts come in the order chosen here.
 */
export interface StoredPart {
  /** The path exceljs looks for, such as xl/sharedStrings.xml. */
  readonly name: string;
  /** Exact byte length of `content`. */
  readonly size: number;
  readonly content: AsyncIterable<Buffer> | Iterable<Buffer>;
}

function localHeader(part: StoredPart): Buffer {
  const name = Buffer.from(part.name, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed: 2.0
  header.writeUInt16LE(0x0021, 12); // DOS date 1980-01-01
  header.writeUInt32LE(part.size, 18); // compressed size = size: method 0, stored
  header.writeUInt32LE(part.size, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name]);
}

/** An end-of-central-directory record, so the reader ends cleanly after the last entry. */
function endRecord(): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return end;
}

async function* storedEntries(parts: readonly StoredPart[]): AsyncGenerator<Buffer> {
  for (const part of parts) {
    // The header goes out on its own: each chunk of content then reaches exceljs whole.
    yield localHeader(part);
    for await (const chunk of part.content) yield chunk;
  }
  yield endRecord();
}

/** The parts, in order, as a readable zip stream (in object mode, so no two chunks are ever merged). */
export const storedZip = (parts: readonly StoredPart[]): Readable => Readable.from(storedEntries(parts));
