import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';

/**
 * The archive operations the guard and the reader share. yauzl reads the central directory
 * without inflating anything and finds where each entry's data starts; the data is inflated
 * here, straight from the bytes already in memory, in chunks of 32 KiB (about half the CPU
 * yauzl's own stream of 16 KiB chunks and byte counter takes; larger chunks save a little more
 * CPU but grow the young generation, so the peak RSS), and never past the size the
 * central directory declares for it: the bound that makes reading a part safe without
 * inflating it once beforehand.
 */

/** The same bytes as a Buffer, without copying. */
export const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** The fixed part of the end-of-central-directory record; its comment follows. */
const END_RECORD_BYTES = 22;

/** Inflated bytes handed on at a time. */
const CHUNK_BYTES = 32 * 1024;

/**
 * The archive without bytes after its end: the last end-of-central-directory record and its
 * comment, and nothing more. Some writers (and mail gateways) append padding, which Excel
 * ignores but yauzl takes for a damaged comment. Undefined when there is nothing to cut.
 */
function withoutTrailingBytes(bytes: Buffer): Buffer | undefined {
  const end = bytes.lastIndexOf(END_OF_CENTRAL_DIRECTORY);
  if (end < 0 || end + END_RECORD_BYTES > bytes.length) return undefined;
  const length = end + END_RECORD_BYTES + bytes.readUInt16LE(end + 20);
  return length < bytes.length ? bytes.subarray(0, length) : undefined;
}

/** An entry that inflates to more than its declared size: a lying central directory, so a bomb or damage. */
export class EntryOverflow extends Error {
  constructor(readonly entry: yauzl.Entry) {
    super(`${entry.fileName} inflates past its declared ${entry.uncompressedSize} bytes`);
  }
}

/** An entry that cannot be read: encrypted, an unknown compression, data outside the archive, fewer bytes than declared. */
export class EntryDamaged extends Error {}

const localHeader = (zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<number> =>
  new Promise((resolve, reject) =>
    zip.readLocalFileHeader(entry, { minimal: true }, (error, header) => (error ? reject(error instanceof Error ? error : new EntryDamaged(String(error))) : resolve(header.fileDataStart))),
  );

/** An archive held in memory, opened once; its entries are listed on demand and inflated as they are read. */
export class Archive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly bytes: Buffer,
  ) {}

  /**
   * Opens an archive held in memory. Bytes after the end of the archive are ignored, as Excel
   * ignores them. Throws whatever yauzl throws on an archive it cannot read.
   */
  static async open(bytes: Uint8Array): Promise<Archive> {
    const buffer = asBuffer(bytes);
    const from = async (b: Buffer) => new Archive(await yauzl.fromBufferPromise(b, { lazyEntries: true, validateEntrySizes: true }), b);
    try {
      return await from(buffer);
    } catch (error) {
      const trimmed = withoutTrailingBytes(buffer);
      if (trimmed === undefined) throw error;
      return from(trimmed);
    }
  }

  /** Entries the central directory declares. */
  get entryCount(): number {
    return this.zip.entryCount;
  }

  /** Every entry of the central directory, in archive order; nothing is inflated. */
  async entries(): Promise<yauzl.Entry[]> {
    const entries: yauzl.Entry[] = [];
    for await (const entry of this.zip.eachEntry()) entries.push(entry);
    return entries;
  }

  /**
   * The inflated content of an entry, chunk by chunk.
   *
   * @throws EntryOverflow as soon as it passes its declared size (at most one chunk past it is inflated).
   * @throws EntryDamaged, or zlib's error, when it cannot be read whole.
   */
  async *chunks(entry: yauzl.Entry): AsyncGenerator<Buffer> {
    if (entry.isEncrypted()) throw new EntryDamaged(`${entry.fileName} is encrypted`);
    const start = await localHeader(this.zip, entry);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (entry.compressionMethod === 0) {
      if (data.length !== entry.uncompressedSize) throw new EntryDamaged(`${entry.fileName} is stored with a size other than declared`);
      for (let at = 0; at < data.length; at += CHUNK_BYTES) yield data.subarray(at, at + CHUNK_BYTES);
      return;
    }
    if (entry.compressionMethod !== 8) throw new EntryDamaged(`${entry.fileName} uses compression method ${entry.compressionMethod}`);
    const inflater = createInflateRaw({ chunkSize: CHUNK_BYTES });
    inflater.end(data);
    let inflated = 0;
    try {
      for await (const chunk of inflater) {
        inflated += (chunk as Buffer).length;
        if (inflated > entry.uncompressedSize) throw new EntryOverflow(entry);
        yield chunk as Buffer;
      }
    } finally {
      // Stopping early must not leave an inflater running.
      inflater.destroy();
    }
    if (inflated !== entry.uncompressedSize) throw new EntryDamaged(`${entry.fileName} inflates to fewer bytes than declared`);
  }

  /** The whole content of a small entry as UTF-8 text. */
  async text(entry: yauzl.Entry): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.chunks(entry)) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}
