import { crc32, deflateRawSync, constants as zlib } from 'node:zlib';

/**
 * A zip writer of our own for test files: deflated entries whose declared sizes can be made
 * to lie, which no zip library would write.
 */

export interface ZipEntry {
  readonly name: string;
  /** The deflate stream (raw) of the content. */
  readonly packed: Buffer;
  /** What the central directory and local header declare; the truth unless a case lies. */
  readonly size: number;
  readonly crc: number;
}

export const deflated = (name: string, data: Buffer | string): ZipEntry => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { name, packed: deflateRawSync(bytes, { level: 6 }), size: bytes.length, crc: crc32(bytes) };
};

/** The raw deflate stream of `megabytes` MiB of one byte, made from one flushed 1 MiB block repeated: no gigabyte is ever held in memory. */
export function deflatedRepeat(megabytes: number, byte: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1024 * 1024, byte), { level: 9, finishFlush: zlib.Z_FULL_FLUSH });
  const last = deflateRawSync(Buffer.alloc(0));
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), last]);
}

/** An honest entry of `megabytes` MiB of one byte, deflated once per MiB rather than as a whole. */
export function repeatedByte(name: string, megabytes: number, byte: number): ZipEntry {
  const block = Buffer.alloc(1024 * 1024, byte);
  let crc = 0;
  for (let i = 0; i < megabytes; i += 1) crc = crc32(block, crc);
  return { name, packed: deflatedRepeat(megabytes, byte), size: megabytes * block.length, crc };
}

/** The archive of `entries` in order, with its central directory. */
export function zip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.packed.length, 18);
    local.writeUInt32LE(entry.size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.packed.length, 20);
    central.writeUInt32LE(entry.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, entry.packed);
    centrals.push(central, name);
    offset += 30 + name.length + entry.packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
