import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files are handed to workers in. A browser file spends most of its time waiting
 * (on the page, the back office, a poll) and projects start in turn, so by default every
 * worker began with a browser file and both cores idled through the first half of the run,
 * then had only CPU-bound files for the second. Here two browser files start with the rest
 * and the others are spread over the first quarter of the rest (which the base order puts
 * longest first), so that a worker waiting on a page runs beside one that computes.
 */
export class BrowserFilesSpread extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const browser = sorted.filter((file) => file.project.name === 'e2e');
    const rest = sorted.filter((file) => file.project.name !== 'e2e');
    const [first, second, ...later] = browser;
    const order: TestSpecification[] = [first, second].filter((file) => file !== undefined);
    const gap = Math.max(1, Math.floor(rest.length / 4 / Math.max(1, later.length)));
    rest.forEach((file, i) => {
      order.push(file);
      if ((i + 1) % gap === 0 && later.length > 0) order.push(later.shift()!);
    });
    return [...order, ...later];
  }
}
