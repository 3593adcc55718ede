import { gzipSync } from 'node:zlib';
import { buildPortalFilesSync, firstLoadScripts } from '../infra/local/portal-build.js';

/**
 * `npx tsx bench/portal.ts`: builds the portal as `npm start` and the CDK construct do, and
 * prints the JavaScript a browser loads before the first page can draw (the entry script and
 * the chunks it imports statically), raw and gzipped, against the 350 KB gzipped budget of
 * issue 25; then every file of the build. Asserts nothing. Prints one JSON line at the end.
 */
const BUDGET_GZIP = 350 * 1024;
const started = performance.now();
const files = buildPortalFilesSync();
const buildMs = Math.round(performance.now() - started);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const gzipped = (body: Uint8Array): number => gzipSync(body).length;

const first = firstLoadScripts(files);
const firstRaw = first.reduce((sum, file) => sum + file.body.length, 0);
const firstGzip = first.reduce((sum, file) => sum + gzipped(file.body), 0);
console.log(`portal build: ${buildMs} ms, ${files.length} files`);
console.log('file                                   raw        gzip   cache');
for (const file of files) console.log(`${file.path.padEnd(36)} ${kb(file.body.length).padStart(10)} ${kb(gzipped(file.body)).padStart(10)}   ${file.immutable ? 'a year' : 'no-cache'}`);
console.log(`first-load JavaScript: ${first.length} file(s), ${kb(firstRaw)} raw, ${kb(firstGzip)} gzipped (budget ${kb(BUDGET_GZIP)}: ${firstGzip <= BUDGET_GZIP ? 'within' : 'OVER'})`);
console.log(JSON.stringify({ build_ms: buildMs, first_load_files: first.length, first_load_raw: firstRaw, first_load_gzip: firstGzip, budget_gzip: BUDGET_GZIP }));
