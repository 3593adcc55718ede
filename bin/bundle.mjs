// Runs one of the project's TypeScript entry points from a bundle that esbuild writes under
// node_modules/.cache/backoffice/<name>/ on first use and again as soon as any file it was built
// from changes (a source, a package, or how it is built), so a start neither transpiles
// TypeScript module by module nor ever runs code older than its files. The `backoffice`
// command (bin/backoffice.mjs) and `npm start` (bin/start.mjs) load their code through it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Besides the files bundled: how they are built (bin/, tsconfig.json) and which packages are installed. */
const BUILD_INPUTS = ['bin/bundle.mjs', 'tsconfig.json', 'package-lock.json', 'node_modules/.package-lock.json'];
/** Builds replaced this long ago are removed: a process loads all of its build in its first seconds. */
const OLD_BUILD_MS = 10 * 60 * 1000;

const stamp = (file) => {
  const stats = statSync(join(ROOT, file), { throwIfNoEntry: false });
  return stats === undefined ? null : `${stats.size}:${stats.mtimeMs}`;
};

/** The current build's main module, when none of the files it was built from has changed since. */
function freshBuild(cache, main) {
  let current;
  try {
    current = JSON.parse(readFileSync(join(cache, 'current.json'), 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, was] of Object.entries(current.inputs)) if (stamp(file) !== was) return undefined;
  return join(cache, current.build, main);
}

/**
 * Bundles `entry` into a build folder of its own and names it current. Concurrent processes
 * may each build; each runs its own build, and the last one named stays.
 */
async function build({ entry, cache, main, inputs: ownInputs, esbuildOptions }) {
  const { build: esbuild } = await import('esbuild');
  const name = randomUUID();
  const started = Date.now();
  const { metafile } = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outdir: join(cache, name),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Maps for BACKOFFICE_DEBUG's stack traces; they point at the sources rather than copy them.
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    ...esbuildOptions,
  });
  const built = join(cache, name, main);
  // Packages are stamped as npm installed them (node_modules/.package-lock.json), not file by file.
  const files = [...Object.keys(metafile.inputs).filter((file) => !file.startsWith('node_modules/')), ...BUILD_INPUTS, ...ownInputs];
  const inputs = Object.fromEntries(files.map((file) => [file, stamp(file)]));
  // A file saved while esbuild read it may be in the bundle as it was before: leave this build unnamed, so the next process builds again.
  if (files.some((file) => statSync(join(ROOT, file), { throwIfNoEntry: false })?.mtimeMs >= started)) return built;
  const current = join(cache, 'current.json');
  const next = `${current}.${name}`;
  writeFileSync(next, JSON.stringify({ build: name, inputs }));
  renameSync(next, current);
  removeOldBuilds(cache, name, started);
  return built;
}

function removeOldBuilds(cache, keep, now) {
  try {
    for (const entry of readdirSync(cache, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === keep) continue;
      const folder = join(cache, entry.name);
      const stats = statSync(folder, { throwIfNoEntry: false });
      if (stats !== undefined && now - stats.mtimeMs > OLD_BUILD_MS) rmSync(folder, { recursive: true, force: true });
    }
  } catch {
    // Another process is clearing them too; what is left goes next time.
  }
}

/**
 * Imports `entry` (a path under the repository, e.g. `cli/main.ts`) from its bundle, built
 * under node_modules/.cache/backoffice/`name`/ when missing or stale; `inputs` are the files
 * besides the bundled ones that decide how it is built (its launcher). Without a bundle (no
 * esbuild, a cache it cannot write, or sources it cannot compile), tsx runs the sources as
 * they are and tells what is wrong. Answers the module's namespace.
 */
export async function importBundled({ entry, name, inputs = [], esbuildOptions = {} }) {
  const cache = join(ROOT, 'node_modules', '.cache', 'backoffice', name);
  const main = entry.replace(/^.*\//, '').replace(/\.ts$/, '.js');
  const fresh = freshBuild(cache, main);
  if (fresh !== undefined) {
    try {
      return await import(pathToFileURL(fresh).href);
    } catch (error) {
      // Removed by a process that built after it; build again.
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  let built;
  try {
    mkdirSync(cache, { recursive: true });
    built = await build({ entry, cache, main, inputs, esbuildOptions });
  } catch {
    const { register } = await import('tsx/esm/api');
    register();
    return import(pathToFileURL(join(ROOT, entry)).href);
  }
  return import(pathToFileURL(built).href);
}
