import { loadConfig } from '../shared/config.js';
import { createBackOffice, type BackOffice } from '../shared/compose.js';
import { environmentNamesResources, openLocalStack } from '../infra/local/stack.js';

/**
 * Runs a command's work on the back office: the resources the environment names, else the
 * embedded stack of the data directory (joined when `npm start` serves it, else started for
 * the length of the command).
 */
export async function withBackOffice<T>(dataDir: string | undefined, work: (deps: BackOffice) => Promise<T>): Promise<T> {
  if (environmentNamesResources()) {
    const config = loadConfig();
    return work(createBackOffice(config));
  }
  const stack = await openLocalStack(dataDir);
  try {
    return await work(createBackOffice(stack.config));
  } finally {
    await stack.stop();
  }
}
