import yauzl from 'yauzl';

/**
 * Puts the parts exceljs's streaming reader needs first (workbook, relationships, styles,
 * shared strings) ahead of the worksheets, by copying each entry's compressed bytes as they
 * are — nothing is inflated or recompressed.
 *
 * Why: Excel writes the worksheets before the shared strings. exceljs then spills each sheet
 * to a temporary file, and for a small sheet it loses the race with the rest of the archive:
 * the shared strings are never read and every text cell comes back as `{sharedString: n}`.
 * With the parts in this order the sheet streams straight from the archive, no temporary file
 * is written, and nothing is left behind when a read stops early.
 */
const FIRST = [/^\[Content_Types\]\.xml$/, /^_rels\//, /^xl\/workbook\.xml$/, /^xl\/_rels\/workbook\.xml\.rels$/, /^xl\/styles\.xml$/, /^xl\/sharedStrings\.xml$/];
const WORKSHEET = /^xl\/worksheets\/sheet\d+\.xml$/;

const rank = (name: string): number => {
  const first = FIRST.findIndex((pattern) => pattern.test(name));
  if (first >= 0) return first;
  return WORKSHEET.test(name) ? FIRST.length + 1 : FIRST.length;
};

function centralDirectory(buffer: Buffer): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || zip === undefined) return reject(error ?? new Error('no zip'));
      const entries: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const isOrdered = (entries: readonly yauzl.Entry[]): boolean =>
  entries.every((entry, i) => i === 0 || rank(entries[i - 1]?.fileName ?? '') <= rank(entry.fileName));

/** The archive with its parts in streaming order; the same bytes when they already are. */
export async function inStreamingOrder(bytes: Uint8Array): Promise<Uint8Array> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = await centralDirectory(buffer);
  if (isOrdered(entries)) return bytes;
  const sorted = entries
    .filter((entry) => !entry.fileName.endsWith('/'))
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => rank(a.entry.fileName) - rank(b.entry.fileName) || a.index - b.index)
    .map(({ entry }) => entry);

  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const at = entry.relativeOffsetOfLocalHeader;
    const dataStart = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
    const data = buffer.subarray(dataStart, dataStart + entry.compressedSize);
    const name = Buffer.from(entry.fileName, 'utf8');
    // Sizes and CRC come from the central directory, so the data-descriptor flag is dropped.
    const flags = (entry.generalPurposeBitFlag & ~0x0008) | 0x0800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.compressionMethod, 8);
    local.writeUInt16LE(entry.lastModFileTime, 10);
    local.writeUInt16LE(entry.lastModFileDate, 12);
    local.writeUInt32LE(entry.crc32, 14);
    local.writeUInt32LE(entry.compressedSize, 18);
    local.writeUInt32LE(entry.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(entry.compressionMethod, 10);
    central.writeUInt16LE(entry.lastModFileTime, 12);
    central.writeUInt16LE(entry.lastModFileDate, 14);
    central.writeUInt32LE(entry.crc32, 16);
    central.writeUInt32LE(entry.compressedSize, 20);
    central.writeUInt32LE(entry.uncompressedSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
