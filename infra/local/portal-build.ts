import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import type { StaticFile } from './api-server.js';

export const PORTAL_DIR = fileURLToPath(new URL('../../portal/', import.meta.url));

/** Where the hashed files go, under the site's root: served with a year's cache (their name changes with their content). */
export const PORTAL_ASSETS = 'assets';

/** How the portal's script is bundled, here and for the CDK portal construct alike. */
export const PORTAL_BUNDLE = {
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

/** The page, its styles and icon, and the bundle's files: index.html names the hashed script and styles. */
function assemble(outputs: readonly OutputFile[]): PortalFile[] {
  const scripts = outputs.map((file) => ({ path: file.path.slice(PORTAL_BUNDLE.outdir.length + 1), body: file.contents }));
  const entry = scripts.find((file) => file.path.startsWith(`${PORTAL_ASSETS}/app-`));
  if (entry === undefined) throw new Error('the portal did not build');
  const styles = readFileSync(`${PORTAL_DIR}styles.css`);
  const stylesPath = `${PORTAL_ASSETS}/styles-${hashOf(styles)}.css`;
  const page = readFileSync(`${PORTAL_DIR}index.html`, 'utf8').replace('href="/styles.css"', `href="/${stylesPath}"`).replace('src="/app.js"', `src="/${entry.path}"`);
  return [
    { path: 'index.html', body: utf8(page), contentType: 'text/html; charset=utf-8', immutable: false },
    { path: 'favicon.svg', body: readFileSync(`${PORTAL_DIR}favicon.svg`), contentType: 'image/svg+xml', immutable: false },
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

/**
 * The portal's static files, bundled in memory on start: the same page, script and styles
 * the CDK portal construct puts behind CloudFront, each also gzipped for a browser that
 * accepts it (as CloudFront compresses them).
 */
export async function buildPortal(): Promise<Map<string, StaticFile>> {
  const files = assemble((await build(PORTAL_BUNDLE)).outputFiles);
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
