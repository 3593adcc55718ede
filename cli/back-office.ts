import { loadConfig, type BackOfficeConfig } from '../shared/config.js';
import { createAdapters, type Adapters } from '../shared/store/adapters.js';
import { environmentNamesResources, openLocalStack } from '../infra/local/stack.js';

/**
 * Runs a command's work on the back office: the resources the environment names, else the
 * embedded stack of the data directory (joined when `npm start` serves it, else started for
 * the length of the command).
 */
export async function withBackOffice<T>(dataDir: string | undefined, work: (deps: Adapters & { config: BackOfficeConfig }) => Promise<T>): Promise<T> {
  if (environmentNamesResources()) {
    const config = loadConfig();
    return work({ ...createAdapters(config), config });
  }
  const stack = await openLocalStack(dataDir);
  try {
    return await work({ ...createAdapters(stack.config), config: stack.config });
  } finally {
    await stack.stop();
  }
}
