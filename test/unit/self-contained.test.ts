import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Rules of the code base that no type checker enforces, each checked by reading the sources:
 * `npm test` needs nothing outside the repository, and every "today" is the business date.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mjs)$/.test(entry.name))
    .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)));
}

/** Lines of `files` matching `pattern`, as `file:line: text`. */
function offending(files: readonly string[], pattern: RegExp): string[] {
  return files.flatMap((file) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((text, i) => (pattern.test(text) ? [`${file}:${i + 1}: ${text.trim()}`] : [])),
  );
}

describe('npm test on a lone clone', () => {
  const corpusOwn = (file: string) => file.startsWith('test/corpus/') || file === 'test/helpers/realworld-corpus.ts' || file === 'test/unit/self-contained.test.ts';
  const tests = sources('test').filter((file) => !corpusOwn(file));

  it('leaves the real-world corpus to its own command', () => {
    expect(offending(tests, /realworld/)).toEqual([]);
  });

  it('names no path that leads out of the repository', () => {
    const outside = tests.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(/['"`]((?:\.\.\/)+[^'"`$]*)['"`]/g)]
        .map((match) => match[1]!)
        .filter((path) => relative(ROOT, resolve(dirname(join(ROOT, file)), path)).startsWith('..'))
        .map((path) => `${file}: ${path}`),
    );
    expect(outside).toEqual([]);
  });
});

describe('one business date', () => {
  const code = ['shared', 'functions', 'cli', 'infra', 'portal/src', 'bin'].flatMap(sources);
  // The calendar itself, and the reading and writing of Excel cells, whose UTC fields are
  // Excel's wall-clock time by definition, are the only places that take a Date apart.
  const calendar = (file: string) => file === 'shared/domain/dates.ts' || file.startsWith('shared/sheets/');

  it('is never the UTC date cut from an ISO string', () => {
    expect(offending(code, /toISOString\(\)\s*\.slice\(\s*0\s*,\s*(7|10)\s*\)/)).toEqual([]);
  });

  it("is never the UTC date of the test's clock either: between 16:00 and 24:00 UTC it is a day behind the business date", () => {
    const checks = ['test', 'bench'].flatMap(sources).filter((file) => file !== 'test/unit/self-contained.test.ts');
    expect(offending(checks, /new Date\(\)\s*\.toISOString\(\)\s*\.slice\(\s*0\s*,\s*(7|10)\s*\)/)).toEqual([]);
  });

  it('is never day arithmetic on a Date outside the calendar module', () => {
    const pattern = /\.(get|set)(UTC)?(FullYear|Month|Date|Hours|Day)\(|Date\.UTC\(|getTimezoneOffset|toLocale(Date|Time)String\(|Date\([^)]*\)\.toLocaleString\(/;
    expect(offending(code.filter((file) => !calendar(file)), pattern)).toEqual([]);
  });
});
