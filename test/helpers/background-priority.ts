import { setPriority } from 'node:os';

/**
 * The unit, integration and infra files run at a lower priority than the browser walks (and
 * what they start inherits it): a walk is a chain of steps, each waiting on the last, and the
 * longest walks are the run's critical path, while these files only need the CPU the walks
 * leave. On two cores the walks otherwise shared it with them and took longer.
 */
setPriority(10);
