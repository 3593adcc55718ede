import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * The unit, integration and infra files run at a lower priority than the browser walks (and
 * what they start inherits it): a walk is a chain of steps, each waiting on the last, and the
 * longest walks are the run's critical path, while these files only need the CPU the walks
 * leave. On two cores the walks otherwise shared it with them and took longer.
 *
 * Every thread of the process, not only this one: Linux keeps a priority per thread, and a
 * JavaScript thread below V8's own threads (the compiler's, the collector's) waited on them
 * while they ran ahead on work it did not need yet. A first synthesis with CloudFormation's
 * rules (a WebAssembly engine) took 30 s of CPU that way and 11 s at one priority.
 */
const threads = (() => {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    // Not Linux: one priority for the process.
    return [0];
  }
})();
for (const thread of threads) {
  try {
    setPriority(thread, 10);
  } catch {
    // The thread ended since the list was read.
  }
}
