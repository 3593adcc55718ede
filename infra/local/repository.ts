import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's folder, found from this module upwards: the first folder whose package.json
 * is this project's. The same from the sources (infra/local/) as from `npm start`'s bundle
 * (node_modules/.cache/backoffice/start/…, bin/bundle.mjs), where a path relative to the
 * module would point into the cache.
 */
function findRepository(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'aftersales-backoffice') return dir;
    if (dirname(dir) === dir) throw new Error(`no aftersales-backoffice package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

export const REPOSITORY = findRepository();
