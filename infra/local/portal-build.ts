import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { StaticFile } from './api-server.js';

const portalDir = fileURLToPath(new URL('../../portal/', import.meta.url));

/**
 * The portal's static files, bundled in memory on start: the same page, script and styles
 * the CDK portal construct would put behind CloudFront.
 */
export async function buildPortal(): Promise<Map<string, StaticFile>> {
  const bundle = await build({
    entryPoints: [`${portalDir}src/main.ts`],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0];
  if (script === undefined) throw new Error('the portal did not build');
  return new Map<string, StaticFile>([
    ['/', { body: await readFile(`${portalDir}index.html`, 'utf8'), contentType: 'text/html; charset=utf-8' }],
    ['/app.js', { body: script.contents, contentType: 'text/javascript; charset=utf-8' }],
    ['/styles.css', { body: await readFile(`${portalDir}styles.css`, 'utf8'), contentType: 'text/css; charset=utf-8' }],
  ]);
}
