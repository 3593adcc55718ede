import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import OutsideProgramsFirst, { OUTSIDE_PROGRAMS } from '../helpers/outside-programs-first.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** A fresh clone's view: no past durations, each file's size known. */
function freshClone(sizes: Record<string, number>): Vitest {
  return {
    config: { root: ROOT },
    cache: {
      getFileTestResults: () => undefined,
      getFileStats: (key: string) => ({ size: sizes[key.slice(key.indexOf(':') + 1)] ?? 0 }),
    },
  } as unknown as Vitest;
}

const spec = (project: string, path: string) =>
  ({ moduleId: join(ROOT, path), project: { name: project, config: { sequence: { groupOrder: 0 }, isolate: project !== 'e2e' } } }) as unknown as TestSpecification;

describe('the order files start in', () => {
  it('starts the files that wait on programs of their own first within their project, the rest in vitest\'s order, the walks still before them', async () => {
    const files = [
      spec('node', 'test/unit/money.test.ts'),
      spec('node', 'test/infra/synth.test.ts'),
      spec('e2e', 'test/e2e/portal.e2e.test.ts'),
      spec('node', 'test/integration/api-isolation.int.test.ts'),
      spec('node', 'test/integration/cli.int.test.ts'),
    ];
    const sizes = { 'test/unit/money.test.ts': 5_000, 'test/infra/synth.test.ts': 3_000, 'test/integration/api-isolation.int.test.ts': 50_000, 'test/integration/cli.int.test.ts': 4_000, 'test/e2e/portal.e2e.test.ts': 20_000 };
    const sorted = await new OutsideProgramsFirst(freshClone(sizes)).sort(files);
    expect(sorted.map((file) => file.moduleId.slice(ROOT.length + 1))).toEqual([
      'test/e2e/portal.e2e.test.ts',
      'test/integration/cli.int.test.ts',
      'test/infra/synth.test.ts',
      'test/integration/api-isolation.int.test.ts',
      'test/unit/money.test.ts',
    ]);
  });

  it('names only files that exist', () => {
    expect(OUTSIDE_PROGRAMS.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
