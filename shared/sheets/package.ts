import { posix } from 'node:path';
import type yauzl from 'yauzl';
import { DoctypePart } from './sheet-xml.js';
import { Archive } from './zip.js';

/**
 * What a SpreadsheetML package says about itself, found the way the standard says and not by
 * conventional names: the package relationships name the workbook part, whose relationships
 * name the worksheets, shared strings and styles. Transitional and strict namespaces alike
 * (only a relationship type's last segment is compared) and any namespace prefix on elements
 * and attributes, so that files from Numbers, WPS, Tencent Docs or an Excel "Strict Open XML"
 * save are indexed as Excel's own.
 */

export interface Worksheet {
  readonly name: string;
  /** Path of its part in the archive, such as xl/worksheets/sheet1.xml. */
  readonly part: string;
  /** Hidden or very hidden: a tab the person who saved the file did not see. */
  readonly hidden: boolean;
}

/** The worksheets in tab order, where the shared parts are, and the date system. */
export interface WorkbookIndex {
  /** The workbook part, such as xl/workbook.xml; undefined when the package names none that exists. */
  readonly workbook: string | undefined;
  /** The sheet entries of the workbook part, worksheets or not, with or without a part. */
  readonly listed: number;
  readonly worksheets: readonly Worksheet[];
  readonly sharedStrings: string | undefined;
  readonly styles: string | undefined;
  /** Dates count from 1904 (Excel for Mac's old default) instead of 1900. */
  readonly date1904: boolean;
}

const unescapeXml = (text: string): string =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|quot|apos|amp));/gi, (_, hex?: string, dec?: string, name?: string) => {
    if (hex !== undefined) return String.fromCodePoint(parseInt(hex, 16));
    if (dec !== undefined) return String.fromCodePoint(parseInt(dec, 10));
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[name ?? 'amp'] ?? '';
  });

/** An attribute's value; `name` is a regular expression, so that a prefix may be allowed for. */
export const attribute = (tag: string, name: string): string | undefined => {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  const value = match?.[1] ?? match?.[2];
  return value === undefined ? undefined : unescapeXml(value);
};

/** The start tags of elements with this local name, whatever their prefix. */
export const tags = (xml: string, name: string): string[] => xml.match(new RegExp(`<(?:[\\w.-]+:)?${name}(?=[\\s/>])[^>]*>`, 'g')) ?? [];

/** `Type="…/worksheet"` in either namespace: the type's last segment. */
const relationshipType = (type: string): string => type.slice(type.lastIndexOf('/') + 1);

interface Relationship {
  readonly type: string;
  readonly path: string;
}

/** The relationships part of `source` (`_rels/.rels` for the package), keyed by id, targets as archive paths. */
function relationships(xml: string, source: string): Map<string, Relationship> {
  const base = posix.dirname(source);
  const found = new Map<string, Relationship>();
  for (const tag of tags(xml, 'Relationship')) {
    const [id, type, target] = [attribute(tag, 'Id'), attribute(tag, 'Type'), attribute(tag, 'Target')];
    if (id === undefined || type === undefined || target === undefined || attribute(tag, 'TargetMode') === 'External') continue;
    const path = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(base, target));
    found.set(id, { type: relationshipType(type), path });
  }
  return found;
}

const relationshipsPart = (part: string): string => posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);

const DEFAULT_WORKBOOK = 'xl/workbook.xml';

/** Reads the index from the archive's relationships and workbook part; nothing else is inflated. */
export async function workbookIndex(archive: Archive, entries: ReadonlyMap<string, yauzl.Entry>): Promise<WorkbookIndex> {
  const text = async (path: string) => {
    const entry = entries.get(path);
    const xml = entry === undefined ? '' : await archive.text(entry);
    // Parsed here by pattern, not by an XML parser, so no entity is expanded; refused all the same, as the parts a parser reads are.
    if (xml.slice(0, 1024).includes('<!DOCTYPE')) throw new DoctypePart(path);
    return xml;
  };
  const office = [...relationships(await text('_rels/.rels'), '').values()].find((r) => r.type === 'officeDocument' && entries.has(r.path));
  const workbook = office?.path ?? (entries.has(DEFAULT_WORKBOOK) ? DEFAULT_WORKBOOK : undefined);
  if (workbook === undefined) return { workbook, listed: 0, worksheets: [], sharedStrings: undefined, styles: undefined, date1904: false };
  const targets = relationships(await text(relationshipsPart(workbook)), workbook);
  const xml = await text(workbook);
  const listed = tags(xml, 'sheet');
  const worksheets: Worksheet[] = [];
  for (const tag of listed) {
    const name = attribute(tag, 'name');
    // Chart sheets and dialog sheets are listed too; only worksheets hold rows.
    const target = targets.get(attribute(tag, '(?:[\\w.-]+:)?id') ?? '');
    if (name !== undefined && target?.type === 'worksheet' && entries.has(target.path)) worksheets.push({ name, part: target.path, hidden: /^(?:hidden|veryHidden)$/.test(attribute(tag, 'state') ?? '') });
  }
  const shared = (type: string) => [...targets.values()].find((t) => t.type === type && entries.has(t.path))?.path;
  const properties = tags(xml, 'workbookPr')[0] ?? '';
  const date1904 = ['1', 'true'].includes(attribute(properties, 'date1904') ?? '');
  return { workbook, listed: listed.length, worksheets, sharedStrings: shared('sharedStrings'), styles: shared('styles'), date1904 };
}

/** An archive opened once, its central directory listed and its workbook indexed; everything else is read from it on demand. */
export interface OpenedPackage {
  readonly archive: Archive;
  /** The guard inflated every part but the worksheets, shared strings and styles within its declared size (see inspectWorkbook). */
  readonly othersChecked?: boolean;
  readonly entries: ReadonlyMap<string, yauzl.Entry>;
  readonly index: WorkbookIndex;
}

/** Opens and indexes a package; throws whatever yauzl throws on an archive it cannot read. */
export async function openPackage(bytes: Uint8Array): Promise<OpenedPackage> {
  const archive = await Archive.open(bytes);
  try {
    const entries = new Map((await archive.entries()).map((entry) => [entry.fileName, entry]));
    return { archive, entries, index: await workbookIndex(archive, entries) };
  } catch (error) {
    archive.close();
    throw error;
  }
}
