import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import type { StaticFile } from './api-server.js';

export const PORTAL_DIR = fileURLToPath(new URL('../../portal/', import.meta.url));

/** How the portal's script is bundled, here and for the CDK portal construct alike. */
export const PORTAL_BUNDLE = {
  entryPoints: [`${PORTAL_DIR}src/main.tsx`],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  // React and Ant Design drop their development checks only when told it is production.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** The files served as they are, next to the bundled `app.js`. */
export const PORTAL_STATIC_FILES = ['index.html', 'styles.css', 'favicon.svg'] as const;

/**
 * The portal's static files, bundled in memory on start: the same page, script and styles
 * the CDK portal construct puts behind CloudFront.
 */
export async function buildPortal(): Promise<Map<string, StaticFile>> {
  const bundle = await build({ ...PORTAL_BUNDLE, write: false });
  const script = bundle.outputFiles[0];
  if (script === undefined) throw new Error('the portal did not build');
  return new Map<string, StaticFile>([
    ['/', { body: await readFile(`${PORTAL_DIR}index.html`, 'utf8'), contentType: 'text/html; charset=utf-8' }],
    ['/app.js', { body: script.contents, contentType: 'text/javascript; charset=utf-8' }],
    ['/styles.css', { body: await readFile(`${PORTAL_DIR}styles.css`, 'utf8'), contentType: 'text/css; charset=utf-8' }],
    ['/favicon.svg', { body: await readFile(`${PORTAL_DIR}favicon.svg`, 'utf8'), contentType: 'image/svg+xml' }],
  ]);
}
