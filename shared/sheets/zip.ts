import yauzl from 'yauzl';

/**
 * The few archive operations the guard and the reader share, on yauzl: it reads the central
 * directory without inflating anything and checks every entry against its declared size.
 */

/** The same bytes as a Buffer, without copying. */
export const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Opens an archive held in memory; entries are listed on demand and sizes are validated when read. */
export const openZip = (bytes: Uint8Array): Promise<yauzl.ZipFile> =>
  yauzl.fromBufferPromise(asBuffer(bytes), { lazyEntries: true, validateEntrySizes: true });

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
