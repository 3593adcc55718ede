import yauzl from 'yauzl';

/**
 * The few archive operations the guard and the reader share, on yauzl: it reads the central
 * directory without inflating anything and checks every entry against its declared size.
 */

/** The same bytes as a Buffer, without copying. */
export const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

const END_OF_CENTRAL_DIRECTORY = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
/** The fixed part of the end-of-central-directory record; its comment follows. */
const END_RECORD_BYTES = 22;

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

const fromBuffer = (bytes: Buffer): Promise<yauzl.ZipFile> => yauzl.fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true });

/**
 * Opens an archive held in memory; entries are listed on demand and sizes are validated when
 * read. Bytes after the end of the archive are ignored, as Excel ignores them.
 */
export async function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  const buffer = asBuffer(bytes);
  try {
    return await fromBuffer(buffer);
  } catch (error) {
    const trimmed = withoutTrailingBytes(buffer);
    if (trimmed === undefined) throw error;
    return fromBuffer(trimmed);
  }
}

/** Every entry of the central directory, in archive order; nothing is inflated. */
export async function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  const entries: yauzl.Entry[] = [];
  for await (const entry of zip.eachEntry()) entries.push(entry);
  return entries;
}

/** The inflated content of an entry, chunk by chunk as zlib produces it. */
export async function* entryChunks(zip: yauzl.ZipFile, entry: yauzl.Entry): AsyncGenerator<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    // Stopping early must not leave an inflater running.
    stream.destroy();
  }
}

/** The whole content of a small entry as UTF-8 text. */
export async function entryText(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of entryChunks(zip, entry)) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
