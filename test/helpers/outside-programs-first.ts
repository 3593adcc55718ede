import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files that spend half a minute or more waiting on programs of their own (the real `cdk synth`,
 * the CLI as a process, LibreOffice), measured in a fresh clone's run. They are small files: with
 * no timings of its own yet, vitest starts the larger files first and these last, and the run
 * then ended waiting on them. First among their project's files, they overlap the rest.
 */
export const OUTSIDE_PROGRAMS = [
  'test/infra/synth.test.ts',
  'test/integration/cli.int.test.ts',
  'test/integration/libreoffice.int.test.ts',
  'test/unit/app/dealer-workbooks.test.ts',
];

/** vitest's order (by project, then by past duration or else size), with the files above first within their project. */
export default class OutsideProgramsFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (file: TestSpecification) => OUTSIDE_PROGRAMS.some((path) => file.moduleId.endsWith(path));
    const byProject = new Map<string, TestSpecification[]>();
    for (const file of sorted) byProject.set(file.project.name, [...(byProject.get(file.project.name) ?? []), file]);
    return [...byProject.values()].flatMap((project) => [...project.filter(first), ...project.filter((file) => !first(file))]);
  }
}
