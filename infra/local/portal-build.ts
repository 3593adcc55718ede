import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import type { StaticFile } from './api-server.js';
import { REPOSITORY } from './repository.js';

export const PORTAL_DIR = join(REPOSITORY, 'portal') + sep;

/** Where the hashed files go, under the site's root: served with a year's cache (their name changes with their content). */
export const PORTAL_ASSETS = 'assets';

/** How the portal's script is bundled, here and for the CDK portal construct alike. */
export const PORTAL_BUNDLE = {
  // rc-util adds CSS at run time as <style> elements, which the portal's CSP refuses: the
  // portal's own modules do the same through adopted style sheets and computed styles.
  alias: {
    'rc-util/es/Dom/dynamicCSS': `${PORTAL_DIR}src/adopted-css.ts`,
    'rc-util/es/getScrollBarSize': `${PORTAL_DIR}src/scrollbar-size.ts`,
  },
  entryPoints: [`${PORTAL_DIR}src/main.tsx`],
  bundle: true,
  format: 'esm',
  splitting: true,
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  // React and Ant Design drop their development checks only when told it is production.
  define: { 'process.env.NODE_ENV': '"production"' },
  // The name carries the content's hash: a new build is a new name, so browsers may keep a file for a year.
  entryNames: `${PORTAL_ASSETS}/app-[hash]`,
  chunkNames: `${PORTAL_ASSETS}/chunk-[hash]`,
  outdir: `${PORTAL_DIR}.build`,
  write: false,
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** One file of the built portal, by its path under the site's root (`index.html`, `assets/app-XXXX.js`). */
export interface PortalFile {
  readonly path: string;
  readonly body: Uint8Array;
  readonly contentType: string;
  /** Whether its name carries its content's hash (cache it for a year) or not (ask every time). */
  readonly immutable: boolean;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const hashOf = (body: Uint8Array): string => createHash('sha256').update(body).digest('hex').slice(0, 10).toUpperCase();

/**
 * Ant Design's styles under the portal's theme as a stylesheet (portal/src/antd-styles.tsx),
 * bundled as the portal's script is (the same antd modules, production) and run here in Node.
 */
function antdStylesheet(): Uint8Array {
  // The components the portal imports (`antd/es/config-provider` is ConfigProvider).
  const sources = readdirSync(`${PORTAL_DIR}src`).filter((name) => /\.tsx?$/.test(name)).map((name) => readFileSync(`${PORTAL_DIR}src/${name}`, 'utf8'));
  const used = [...new Set(sources.flatMap((text) => [...text.matchAll(/from 'antd\/es\/([a-z-]+)'/g)].map((m) => m[1]!)))]
    .map((path) => path.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase()));
  const [script] = buildSync({
    entryPoints: [`${PORTAL_DIR}src/antd-styles.tsx`],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    jsx: 'automatic',
    mainFields: ['module', 'main'],
    define: PORTAL_BUNDLE.define,
    write: false,
    logLevel: 'silent',
  }).outputFiles;
  const module = { exports: {} as { antdStylesheet?: (used: readonly string[]) => string } };
  new Function('module', 'exports', 'require', script!.text)(module, module.exports, createRequire(import.meta.url));
  return utf8(module.exports.antdStylesheet!(used));
}

/** The page, its styles and icon, and the bundle's files: index.html names the hashed script and styles. */
function assemble(outputs: readonly OutputFile[]): PortalFile[] {
  const scripts = outputs.map((file) => ({ path: file.path.slice(PORTAL_BUNDLE.outdir.length + 1), body: file.contents }));
  const entry = scripts.find((file) => file.path.startsWith(`${PORTAL_ASSETS}/app-`));
  if (entry === undefined) throw new Error('the portal did not build');
  const styles = readFileSync(`${PORTAL_DIR}styles.css`);
  const stylesPath = `${PORTAL_ASSETS}/styles-${hashOf(styles)}.css`;
  const antd = antdStylesheet();
  const antdPath = `${PORTAL_ASSETS}/antd-${hashOf(antd)}.css`;
  const page = readFileSync(`${PORTAL_DIR}index.html`, 'utf8')
    .replace('href="/antd.css"', `href="/${antdPath}"`)
    .replace('href="/styles.css"', `href="/${stylesPath}"`)
    .replace('src="/app.js"', `src="/${entry.path}"`);
  return [
    { path: 'index.html', body: utf8(page), contentType: 'text/html; charset=utf-8', immutable: false },
    { path: 'favicon.svg', body: readFileSync(`${PORTAL_DIR}favicon.svg`), contentType: 'image/svg+xml', immutable: false },
    { path: antdPath, body: antd, contentType: 'text/css; charset=utf-8', immutable: true },
    { path: stylesPath, body: styles, contentType: 'text/css; charset=utf-8', immutable: true },
    ...scripts.map((file) => ({ ...file, contentType: 'text/javascript; charset=utf-8', immutable: true })),
  ];
}

/** The portal built, as files to write (the CDK portal construct's bundling, synchronous there). */
export const buildPortalFilesSync = (): PortalFile[] => assemble(buildSync(PORTAL_BUNDLE).outputFiles);

/** The scripts the page loads before it can draw anything: the entry and the chunks it imports statically. */
export function firstLoadScripts(files: readonly PortalFile[]): PortalFile[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const entry = files.find((file) => file.path.startsWith(`${PORTAL_ASSETS}/app-`));
  const seen = new Set<string>();
  const visit = (file: PortalFile | undefined): void => {
    if (file === undefined || seen.has(file.path)) return;
    seen.add(file.path);
    const code = new TextDecoder().decode(file.body);
    // esbuild's static imports between chunks: `from"./chunk-XXXX.js"` (dynamic ones are `import("./chunk-…")`).
    for (const match of code.matchAll(/from\s*"\.\/(chunk-[A-Z0-9]+\.js)"/g)) visit(byPath.get(`${PORTAL_ASSETS}/${match[1]}`));
  };
  visit(entry);
  return files.filter((file) => seen.has(file.path));
}

/** Built portals by the stamp of what they were built from (portal-build.ts's own cache, beside the CLI's). */
const CACHE = join(REPOSITORY, 'node_modules', '.cache', 'backoffice', 'portal');

/** Where the portal's sources are: its own folder, and the shared code it imports (`../../shared/…`). */
const SOURCE_DIRS = [PORTAL_DIR, join(REPOSITORY, 'shared')];

/**
 * What a build depends on: every file the portal may bundle (path, size, time), the installed
 * packages and how it is bundled. A change to any of them is a new key, so a cached build is
 * never stale.
 */
async function buildKey(): Promise<string> {
  const hash = createHash('sha256').update(JSON.stringify(PORTAL_BUNDLE)).update(readFileSync(join(REPOSITORY, 'infra', 'local', 'portal-build.ts')));
  const listed = await Promise.all(SOURCE_DIRS.map((dir) => readdir(dir, { recursive: true, withFileTypes: true })));
  const files = listed
    .flat()
    .filter((entry) => entry.isFile() && !relative(PORTAL_DIR, join(entry.parentPath, entry.name)).startsWith('.build'))
    .map((entry) => join(entry.parentPath, entry.name))
    .concat([join(REPOSITORY, 'package-lock.json'), join(REPOSITORY, 'node_modules', '.package-lock.json')])
    .sort();
  for (const file of files) {
    const stats = await stat(file).catch(() => undefined);
    hash.update(`${relative(REPOSITORY, file)}:${stats?.size}:${stats?.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

interface CachedFile {
  readonly path: string;
  readonly contentType: string;
  readonly immutable: boolean;
}

/** The portal's files as built before from the same sources, if they are in the cache. */
async function cachedBuild(dir: string): Promise<PortalFile[] | undefined> {
  try {
    const files = JSON.parse(await readFile(join(dir, 'files.json'), 'utf8')) as CachedFile[];
    return await Promise.all(files.map(async (file) => ({ ...file, body: new Uint8Array(await readFile(join(dir, 'files', file.path))) })));
  } catch {
    return undefined;
  }
}

/** Keeps a build under its key: written aside and renamed, so a start reading it never sees half of it. */
async function keep(dir: string, files: readonly PortalFile[]): Promise<void> {
  const aside = `${dir}.${randomUUID()}`;
  try {
    for (const file of files) {
      await mkdir(join(aside, 'files', file.path, '..'), { recursive: true });
      await writeFile(join(aside, 'files', file.path), file.body);
    }
    await writeFile(join(aside, 'files.json'), JSON.stringify(files.map(({ path, contentType, immutable }) => ({ path, contentType, immutable }))));
    await rename(aside, dir);
    // Builds of sources as they were before are not served again.
    for (const other of await readdir(CACHE)) if (join(CACHE, other) !== dir) await rm(join(CACHE, other), { recursive: true, force: true });
  } catch {
    // Another start kept the same build first, or the cache cannot be written: this start serves what it built.
    await rm(aside, { recursive: true, force: true });
  }
}

/**
 * The portal's static files, bundled on start (or taken from the cache when nothing it is built
 * from changed since): the same page, script and styles the CDK portal construct puts behind
 * CloudFront, each also gzipped for a browser that accepts it (as CloudFront compresses them).
 */
export async function buildPortal(): Promise<Map<string, StaticFile>> {
  const dir = join(CACHE, await buildKey());
  let files = await cachedBuild(dir);
  if (files === undefined) {
    files = assemble((await build(PORTAL_BUNDLE)).outputFiles);
    await mkdir(CACHE, { recursive: true });
    await keep(dir, files);
  }
  return new Map<string, StaticFile>(files.map((file) => [
    file.path === 'index.html' ? '/' : `/${file.path}`,
    {
      body: file.body,
      contentType: file.contentType,
      immutable: file.immutable,
      gzip: gzipSync(file.body),
    },
  ]));
}
